/**
 * `privet:services`: the shared session and experiment selection. Also takes a sign-in token from
 * the page's URL fragment (`#privet-token=…`, what `npm start` opens): a fragment never reaches
 * the Jupyter server or its logs, is removed from the address bar at once, and the token is kept
 * only in this tab's sessionStorage — never in a notebook or the settings. When the tab is already
 * signed in as someone else, the link's user is looked up and a dialog asks before switching
 * (see session.ts for why). When JupyterLab reloads the tab at once (its workspace is in use in
 * another tab), the token is carried over that one reload (link-token.ts).
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ExperimentContext } from '../experiment.js';
import { dropStashedLinkToken, stashLinkToken, takeStashedLinkToken } from '../link-token.js';
import { linkSignInPrompt } from '../panel/LinkSignInDialog.js';
import { IPrivetServices } from '../services.js';
import { PrivetSession } from '../session.js';

/** Name of the fragment parameter carrying a sign-in token. */
export const FRAGMENT_TOKEN = 'privet-token';

/** Removes `#privet-token=…` from the address bar and returns the token, if there was one. */
export function takeFragmentToken(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  if (!hash.includes(`${FRAGMENT_TOKEN}=`)) return null;
  const params = new URLSearchParams(hash);
  const token = params.get(FRAGMENT_TOKEN);
  params.delete(FRAGMENT_TOKEN);
  const rest = params.toString();
  const url = window.location.pathname + window.location.search + (rest ? `#${rest}` : '');
  window.history.replaceState(window.history.state, '', url);
  return token;
}

/** Read at module load, before JupyterLab's router rewrites the URL; stashed for one reload. */
const fragmentToken = takeFragmentToken() || null;
if (fragmentToken !== null) stashLinkToken(fragmentToken);

/** The link's token: this page's fragment's, or the one the load before this one stashed. */
const linkToken = fragmentToken ?? takeStashedLinkToken();

/** The plugin providing IPrivetServices. */
export const servicesPlugin: JupyterFrontEndPlugin<IPrivetServices> = {
  id: 'privet:services',
  description: 'The Privet sign-in session and selected experiment shared by the Privet plugins.',
  autoStart: true,
  provides: IPrivetServices,
  activate: (app: JupyterFrontEnd): IPrivetServices => {
    // A page JupyterLab reloads (its workspace in use) never restores its layout; this one did.
    if (fragmentToken !== null) void app.restored.then(() => dropStashedLinkToken(fragmentToken));
    return {
      session: new PrivetSession(linkToken, linkSignInPrompt(app.restored)),
      context: new ExperimentContext(),
      openedWithLink: linkToken !== null,
    };
  },
};
