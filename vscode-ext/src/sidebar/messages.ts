/** The one message contract between the budget webview and the extension (both directions). */
import type { BudgetResponse } from '@privet/core/protocol';
import type { Experiment } from '../client/gateway.js';

/** Extension → webview: everything the view shows, sent whole on every change. */
export type ToWebview =
  | { type: 'signedOut' }
  | { type: 'noExperiment'; user: string }
  /** `showLog`: the failure was written to the "Privet" output channel (a "Show Log" button opens it). */
  | { type: 'error'; message: string; fix: string; showLog?: boolean }
  | {
      type: 'state';
      user: string;
      experiment: Experiment;
      budget: BudgetResponse;
      /** Each charge's ε as short display text (same order as budget.charges). */
      chargeEpsilon: string[];
      /** Each budget's per-query limit in words, or null (same order as budget.budgets). */
      perQuery: (string | null)[];
    };

/** Webview → extension: user actions. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'signIn' }
  | { type: 'selectExperiment' }
  | { type: 'refresh' }
  | { type: 'showLog' };
