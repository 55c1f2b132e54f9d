import * as React from 'react';
import { Button, HTMLSelect } from '@jupyterlab/ui-components';
import { isActive, type Experiment, type ExperimentContext } from '../experiment.js';
import type { SignedIn } from '../session.js';
import { ErrorBox, type ErrorInfo } from './ErrorBox.js';
import { showsOwnNote } from './gateway-problem.js';
import { blockedText } from './LoadStatus.js';
import { StaleNotice } from './StaleNotice.js';
import { refreshErrorOf, sameContent, useGatewayLoad } from './useGatewayLoad.js';
import { useReportLoad, type StatusScope } from './useGatewayStatus.js';
import { useSignalValue } from './useSignalValue.js';

/** The user's experiments as loaded, and how to load them again. */
export interface ExperimentsState {
  experiments: Experiment[];
  selected: Experiment | null;
  /** True until the first answer since sign-in or the last refresh. */
  loading: boolean;
  /** Why the last load failed when no list is shown (null: it did not). */
  error: ErrorInfo | null;
  /**
   * Why the last refresh failed while the list from the one before is still shown (null or
   * absent: it did not; the list and the selection are then as the gateway last gave them).
   */
  refreshError?: ErrorInfo | null;
  /** True while a refresh asked for with onRefresh runs over the list shown. */
  refreshing?: boolean;
  /** Reloads the list from the gateway (e.g. after a steward approved a proposal). */
  onRefresh: () => void;
  /**
   * True when the shared gateway message tells this list's error (GatewayStatus): the picker then
   * only points there, with no error box or out-of-date notes of its own.
   */
  toldAbove?: boolean;
  /**
   * True while the first load is under way and the shared gateway message says the gateway fails
   * (the picker then says the list waits for it, pointing there, instead of "Loading…").
   */
  blocked?: boolean;
}

/** The experiments while none are loaded (one array, so the selection effect does not rerun). */
const NONE: Experiment[] = [];

/**
 * Loads the user's experiments after sign-in ("Loading experiments…" from the first render, not
 * "no experiment yet"), again at each `tick` of the panel's poll (so an approval made meanwhile
 * shows, and the views follow it), and keeps the context's selection valid. An unchanged list
 * keeps the very array shown. A refresh that fails keeps the list and the selection (with its
 * error as `refreshError`); another sign-in starts from nothing. With `status` (the panel's part
 * in the shared gateway status), the list reports itself there and says when it is told above.
 */
export function useExperiments(
  signedIn: SignedIn | null,
  context: ExperimentContext,
  tick = 0,
  status: StatusScope | null = null,
): ExperimentsState {
  const selected = useSignalValue(context.changed, () => context.selected);
  const fetch = signedIn ? async () => (await signedIn.client.listExperiments()).experiments : null;
  const [load, retry] = useGatewayLoad(fetch, [signedIn], [tick], {
    keepOnFailedRefresh: true,
    same: sameContent,
  });
  const told = useReportLoad(status, 'experiments', signedIn ? load : null, retry);
  const waiting = told === 'waiting' && load.state === 'failed';
  const blocked = told === 'blocked' && load.state === 'loading';
  const list = load.state === 'ready' ? load.value : null;
  // Signed out, or another user or gateway signed in: the former one's selection must not stay
  // (with a new list loading or failed to load, nothing else would replace it).
  const selectedFor = React.useRef(signedIn);
  React.useEffect(() => {
    if (!signedIn || selectedFor.current !== signedIn) context.select(null);
    selectedFor.current = signedIn;
  }, [signedIn, context]);
  React.useEffect(() => {
    if (!list) return;
    const keep = list.find((e) => e.id === context.selected?.id);
    context.select(keep ?? list.find(isActive) ?? list[0] ?? null);
  }, [list, context]);
  return {
    experiments: list ?? NONE,
    selected,
    loading: load.state === 'loading' || load.state === 'retrying' || waiting,
    error: load.state === 'failed' && !waiting ? load.error : null,
    refreshError: showsOwnNote(told) ? (refreshErrorOf(load) ?? null) : null,
    refreshing: load.state === 'ready' && load.refreshing === true,
    onRefresh: retry,
    toldAbove: told === 'above',
    blocked,
  };
}

/** An experiment as the picker names it (also its tooltip, should a long title be cut off). */
function experimentLabel(experiment: Experiment): string {
  return `${experiment.title} (${experiment.id}) · ${experiment.state}`;
}

/** What the picker shows in place of the selector while loading, after a failure or with none. */
function Status(props: {
  loading: boolean;
  error: ErrorInfo | null;
  toldAbove: boolean;
  blocked: boolean;
}): JSX.Element {
  if (props.blocked) {
    // Not a status of its own: the message above is announced, this line only points there.
    return <p className="jp-Privet-hint">{blockedText('The experiments')}</p>;
  }
  if (props.loading) {
    return (
      <p className="jp-Privet-hint" role="status">
        Loading experiments…
      </p>
    );
  }
  if (props.error && props.toldAbove) {
    return (
      <p className="jp-Privet-hint">The experiments could not be loaded: see the message above.</p>
    );
  }
  if (props.error) return <ErrorBox error={props.error} />;
  return (
    <p className="jp-Privet-noExperiment">
      You are in no experiment yet. Propose one (privet experiment propose) and ask your steward to
      approve it; view data and DP queries are only available inside one.
    </p>
  );
}

/**
 * What the picker says of the selection kept after a failed refresh: it is the last known one,
 * its state may have changed, and what to do if the gateway then refuses it.
 */
function StaleSelection(props: { selected: Experiment; id: string }): JSX.Element {
  const { selected } = props;
  const text =
    `“${selected.title}” is still selected as the last refresh that worked listed it ` +
    `(${selected.state}); it may have been closed or changed since. If the gateway refuses a ` +
    'query in it, choose Refresh experiments once the gateway answers, then select again.';
  return (
    <span id={props.id} className="jp-Privet-experimentNote">
      {text}
    </span>
  );
}

/** Props of ExperimentPicker. */
export type ExperimentPickerProps = ExperimentsState & {
  context: ExperimentContext;
};

/**
 * The experiment selector (JupyterLab's HTMLSelect: its arrow and focus ring): each experiment
 * with its lifecycle state; while loading, after a failure and with no experiment it says so
 * instead. "Refresh experiments" is always there, in the same place (it keeps keyboard focus
 * while the list reloads). After a failed refresh the list stays, with the error, and the
 * selection is marked as possibly out of date.
 */
export function ExperimentPicker(props: ExperimentPickerProps): JSX.Element {
  const { experiments, selected, context } = props;
  const toldAbove = props.toldAbove === true;
  const listed = !props.loading && !props.error && experiments.length > 0;
  const staleId = React.useId();
  const refreshError = toldAbove ? null : props.refreshError;
  const staleSelection = listed && selected !== null && Boolean(refreshError);
  return (
    <div className="jp-Privet-experiment">
      {listed ? (
        <div className="jp-Privet-experimentSelect">
          <span>Experiment</span>
          <HTMLSelect
            aria-label="Experiment"
            className="jp-Privet-experimentSelector"
            aria-describedby={staleSelection ? staleId : undefined}
            title={selected ? experimentLabel(selected) : undefined}
            value={selected?.id ?? ''}
            onChange={(e) =>
              context.select(experiments.find((x) => x.id === e.target.value) ?? null)
            }
          >
            {experiments.map((e) => (
              <option key={e.id} value={e.id}>
                {experimentLabel(e)}
              </option>
            ))}
          </HTMLSelect>
        </div>
      ) : (
        <Status
          loading={props.loading}
          error={props.error}
          toldAbove={toldAbove}
          blocked={props.blocked === true}
        />
      )}
      <Button key="refresh" small minimal onClick={props.onRefresh}>
        Refresh experiments
      </Button>
      <StaleNotice error={refreshError} what="the experiments" />
      {staleSelection && selected ? <StaleSelection selected={selected} id={staleId} /> : null}
      {listed && selected && !isActive(selected) ? (
        <span className="jp-Privet-experimentNote">
          This experiment is {selected.state}: its views can be used once it is approved or running.
        </span>
      ) : null}
    </div>
  );
}
