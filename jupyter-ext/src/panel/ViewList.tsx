/**
 * The data panel's list of views: loaded after sign-in and after each publish, with "Loading
 * views…", an empty list that says what to do, and a failure with Retry (LoadStatus).
 */
import * as React from 'react';
import type { ViewSummary } from '@privet/core/protocol';
import type { SignedIn } from '../session.js';
import { LoadStatus, type Load } from './LoadStatus.js';
import { RetryButton } from './RetryButton.js';
import { useGatewayLoad } from './useGatewayLoad.js';

/** What the panel says when the gateway lists no view. */
export const NO_VIEWS_TEXT =
  'No views are approved for you yet. Ask your data steward to add a view to the policy and publish it, then choose Refresh views.';

/**
 * Loads the views of `signedIn` on sign-in ("Loading views…" from the first render), again on
 * every change of `version` (after a publish: the list shown stays until the new one is in) and
 * on the returned retry.
 */
export function useViews(
  signedIn: SignedIn | null,
  version: number,
): [Load<ViewSummary[]>, () => void] {
  const fetch = signedIn ? async () => (await signedIn.client.listViews()).views : null;
  return useGatewayLoad(fetch, [signedIn], [version]);
}

/** Props of the view list. */
export interface ViewListProps {
  load: Load<ViewSummary[]>;
  /** Loads the list again (Retry after a failure, Refresh views when empty). */
  onRetry: () => void;
  /** One card per view. */
  renderView: (view: ViewSummary) => JSX.Element;
}

/** The views, or what is known about them: loading, the error with Retry, or none yet. */
export function ViewList(props: ViewListProps): JSX.Element {
  const { load } = props;
  return (
    <>
      <LoadStatus
        load={load}
        loading="Loading views…"
        empty={
          <>
            {NO_VIEWS_TEXT}{' '}
            <RetryButton
              label="Refresh views"
              busyLabel="Refreshing views…"
              busy={load.state === 'ready' && load.refreshing === true}
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
