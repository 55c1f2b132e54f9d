/**
 * `privet:services`: the shared session and experiment selection. Also takes a sign-in token from
 * the page's URL fragment (`#privet-token=…`, what `npm start` opens): a fragment never reaches
 * the Jupyter server or its logs, is removed from the address bar at once, and the token is kept
 * only in this tab's sessionStorage — never in a notebook or the settings. When the tab is already
 * signed in as someone else, the link's user is looked up and a dialog asks before switching
 * (see session.ts for why).
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ExperimentContext } from '../experiment.js';
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

/** Read at module load, before JupyterLab's router rewrites the URL. */
const fragmentToken = takeFragmentToken();

/** The plugin providing IPrivetServices. */
export const servicesPlugin: JupyterFrontEndPlugin<IPrivetServices> = {
  id: 'privet:services',
  description: 'The Privet sign-in session and selected experiment shared by the Privet plugins.',
  autoStart: true,
  provides: IPrivetServices,
  activate: (app: JupyterFrontEnd): IPrivetServices => ({
    session: new PrivetSession(fragmentToken, linkSignInPrompt(app.restored)),
    context: new ExperimentContext(),
    openedWithLink: fragmentToken !== null,
  }),
};
