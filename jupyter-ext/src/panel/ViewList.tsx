/**
 * The data panel's list of views: loaded after sign-in and after each publish, with "Loading
 * views…", an empty list that says what to do, and a failure with Retry (LoadStatus). A refresh
 * that fails keeps the views shown (and the cards as the user left them) with a StaleNotice above
 * them, until a refresh works; a failed first load still shows the error with Retry.
 */
import * as React from 'react';
import type { ViewSummary } from '@privet/core/protocol';
import type { SignedIn } from '../session.js';
import { LoadStatus } from './LoadStatus.js';
import { RetryButton } from './RetryButton.js';
import { StaleNotice } from './StaleNotice.js';
import { refreshErrorOf, useGatewayLoad, type ShownLoad } from './useGatewayLoad.js';

/** What the panel says when the gateway lists no view. */
export const NO_VIEWS_TEXT =
  'No views are approved for you yet. Ask your data steward to add a view to the policy and publish it, then choose Refresh views.';

/**
 * Loads the views of `signedIn` on sign-in ("Loading views…" from the first render), again on
 * every change of `version` (after a publish: the list shown stays until the new one is in, and
 * after a failed reload too, with its error as `refreshError`) and on the returned retry. Another
 * sign-in (user or gateway) never shows the former one's views.
 */
export function useViews(
  signedIn: SignedIn | null,
  version: number,
): [ShownLoad<ViewSummary[]>, () => void] {
  const fetch = signedIn ? async () => (await signedIn.client.listViews()).views : null;
  return useGatewayLoad(fetch, [signedIn], [version], { keepOnFailedRefresh: true });
}

/** Props of the view list. */
export interface ViewListProps {
  load: ShownLoad<ViewSummary[]>;
  /** Loads the list again (Retry after a failure, Refresh views when empty or out of date). */
  onRetry: () => void;
  /** One card per view. */
  renderView: (view: ViewSummary) => JSX.Element;
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
        error={refreshErrorOf(load)}
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
      />
      <ul className="jp-Privet-views">
        {load.state === 'ready' ? load.value.map(props.renderView) : null}
      </ul>
    </>
  );
}
