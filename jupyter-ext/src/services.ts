/**
 * The objects every Privet plugin shares: who is signed in and which experiment is selected.
 * Why a token: the output gate, the data panel, the reviewer queue and the export gate are
 * separate plugins; JupyterLab hands them the same instances through this token.
 */
import { Token } from '@lumino/coreutils';
import type { ExperimentContext } from './experiment.js';
import type { PrivetSession } from './session.js';

/** Session and experiment selection shared by the Privet plugins. */
export interface IPrivetServices {
  session: PrivetSession;
  context: ExperimentContext;
  /** True when this page was opened through a sign-in link (`#privet-token=…`). */
  openedWithLink: boolean;
}

/** The token of the shared Privet services (plugin `privet:services`). */
export const IPrivetServices = new Token<IPrivetServices>(
  'privet:services',
  'The Privet sign-in session and the selected experiment, shared by every Privet plugin.',
);
