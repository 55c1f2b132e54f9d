import * as React from 'react';
import { Button } from '@jupyterlab/ui-components';
import { isActive, type Experiment, type ExperimentContext } from '../experiment.js';
import type { SignedIn } from '../session.js';
import { ErrorBox, toErrorInfo, type ErrorInfo } from './ErrorBox.js';

/** The user's experiments as loaded, and how to load them again. */
export interface ExperimentsState {
  experiments: Experiment[];
  selected: Experiment | null;
  /** True until the first answer since sign-in or the last refresh. */
  loading: boolean;
  /** Why the last load failed (null: it did not). */
  error: ErrorInfo | null;
  /** Reloads the list from the gateway (e.g. after a steward approved a proposal). */
  onRefresh: () => void;
}

/** Loads the user's experiments after sign-in and keeps the context's selection valid. */
export function useExperiments(
  signedIn: SignedIn | null,
  context: ExperimentContext,
): ExperimentsState {
  const [list, setList] = React.useState<Experiment[]>([]);
  const [reloads, setReloads] = React.useState(0);
  const [selected, setSelected] = React.useState(context.selected);
  const [loading, setLoading] = React.useState(signedIn !== null);
  const [error, setError] = React.useState<ErrorInfo | null>(null);
  React.useEffect(() => {
    const onChange = (_: ExperimentContext, e: Experiment | null): void => setSelected(e);
    context.changed.connect(onChange);
    return () => {
      context.changed.disconnect(onChange);
    };
  }, [context]);
  React.useEffect(() => {
    setList([]);
    setError(null);
    setLoading(signedIn !== null);
    if (!signedIn) {
      context.select(null);
      return;
    }
    let live = true;
    signedIn.client
      .listExperiments()
      .then(
        ({ experiments }) => {
          if (!live) return;
          setList(experiments);
          const keep = experiments.find((e) => e.id === context.selected?.id);
          context.select(keep ?? experiments.find(isActive) ?? experiments[0] ?? null);
        },
        (e: unknown) => live && setError(toErrorInfo(e)),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [signedIn, context, reloads]);
  return {
    experiments: list,
    selected,
    loading,
    error,
    onRefresh: () => setReloads((n) => n + 1),
  };
}

/**
 * The experiment selector: each experiment with its lifecycle state; while loading, after a
 * failure and with no experiment it says so instead. "Refresh experiments" is always there.
 */
export function ExperimentPicker(
  props: ExperimentsState & { context: ExperimentContext },
): JSX.Element {
  const { experiments, selected, context } = props;
  const refresh = (
    <Button small minimal onClick={props.onRefresh}>
      Refresh experiments
    </Button>
  );
  if (props.loading || props.error || experiments.length === 0) {
    return (
      <div className="jp-Privet-experiment">
        {props.loading ? (
          <p className="jp-Privet-hint" role="status">
            Loading experiments…
          </p>
        ) : props.error ? (
          <ErrorBox error={props.error} />
        ) : (
          <p className="jp-Privet-noExperiment">
            You are in no experiment yet. Propose one (privet experiment propose) and ask your
            steward to approve it; view data and DP queries are only available inside one.
          </p>
        )}
        {refresh}
      </div>
    );
  }
  return (
    <div className="jp-Privet-experiment">
      <span>Experiment</span>
      <select
        aria-label="Experiment"
        className="jp-mod-styled"
        value={selected?.id ?? ''}
        onChange={(e) => context.select(experiments.find((x) => x.id === e.target.value) ?? null)}
      >
        {experiments.map((e) => (
          <option key={e.id} value={e.id}>
            {e.title} ({e.id}) · {e.state}
          </option>
        ))}
      </select>
      {refresh}
      {selected && !isActive(selected) ? (
        <span className="jp-Privet-experimentNote">
          This experiment is {selected.state}: its views can be used once it is approved or running.
        </span>
      ) : null}
    </div>
  );
}
