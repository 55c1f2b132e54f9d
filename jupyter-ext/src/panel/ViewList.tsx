/**
 * The data panel's list of views: loaded after sign-in, after each publish and on each tick of the
 * panel's poll (while it is shown), and replaced by a newer list a query fetched, with "Loading
 * views…", an empty list that says what to do, and a failure with Retry (LoadStatus). A refresh
 * that fails keeps the views shown (and the cards as the user left them) with a StaleNotice above
 * them, until a refresh works; a failed first load still shows the error with Retry.
 */
import * as React from 'react';
import type { ViewSummary } from '@privet/core/protocol';
import type { SignedIn } from '../session.js';
import { showsOwnNote, type SharedTold } from './gateway-problem.js';
import { LoadStatus } from './LoadStatus.js';
import { RetryButton } from './RetryButton.js';
import { StaleNotice } from './StaleNotice.js';
import {
  refreshErrorOf,
  sameContent,
  useAdoptingLoad,
  type AdoptingLoad,
  type ShownLoad,
} from './useGatewayLoad.js';

/** What the panel says when the gateway lists no view. */
export const NO_VIEWS_TEXT =
  'No views are approved for you yet. Ask your data steward to add a view to the policy and publish it, then choose Refresh views.';

/**
 * Loads the views of `signedIn` on sign-in ("Loading views…" from the first render), again on
 * every change of `version` (after a publish) or `tick` (the panel's poll): the list shown stays
 * until the new one is in, and after a failed reload too, with its error as `refreshError`; an
 * unchanged list keeps the very array shown. Also on the returned retry, and the returned adopt
 * shows a list fetched elsewhere. Another sign-in (user or gateway) never shows the former one's.
 */
export function useViews(
  signedIn: SignedIn | null,
  version: number,
  tick = 0,
): AdoptingLoad<ViewSummary[]> {
  const fetch = signedIn ? async () => (await signedIn.client.listViews()).views : null;
  return useAdoptingLoad(fetch, [signedIn], [version, tick], {
    keepOnFailedRefresh: true,
    same: sameContent,
  });
}

/** Props of the view list. */
export interface ViewListProps {
  load: ShownLoad<ViewSummary[]>;
  /** Loads the list again (Retry after a failure, Refresh views when empty or out of date). */
  onRetry: () => void;
  /** One card per view. */
  renderView: (view: ViewSummary) => JSX.Element;
  /**
   * How the list's failure is told (useReportLoad): 'above' when the shared gateway message tells
   * it (the list then only points there, with no error box or out-of-date notice of its own), or
   * 'waiting' while other lists' answers may still make it shared (no notice yet either).
   */
  told?: SharedTold;
}

/**
 * The views, or what is known about them: loading, the error with Retry, or none yet; views kept
 * after a failed refresh come with what happened, how to fix it and "Refresh now".
 */
export function ViewList(props: ViewListProps): JSX.Element {
  const { load } = props;
  const refreshing = load.state === 'ready' && load.refreshing === true;
  // An empty list has its own Refresh views (in the empty text): the notice then offers none.
  const listsViews = load.state === 'ready' && load.value.length > 0;
  return (
    <>
      <StaleNotice
        error={showsOwnNote(props.told) ? refreshErrorOf(load) : null}
        what="the views"
        onRetry={listsViews ? props.onRetry : undefined}
        busy={refreshing}
      />
      <LoadStatus
        load={load}
        loading="Loading views…"
        empty={
          <>
            {NO_VIEWS_TEXT}{' '}
            <RetryButton
              label="Refresh views"
              busyLabel="Refreshing views…"
              busy={refreshing}
              onClick={props.onRetry}
            />
          </>
        }
        onRetry={props.onRetry}
        told={props.told}
        what="The views"
      />
      <ul className="jp-Privet-views">
        {load.state === 'ready' ? load.value.map(props.renderView) : null}
      </ul>
    </>
  );
}
