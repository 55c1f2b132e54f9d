/**
 * The experiment the user works in, shared by the data panel and the budget sidebar. Why a
 * separate object: the sidebar must follow the panel's selection and refresh when a DP query
 * spends budget, without the two widgets knowing each other.
 */
import { Signal, type ISignal } from '@lumino/signaling';
import type { ListExperimentsResponse } from '@privet/core/protocol';
import { allowsDataAccess } from '@privet/core/record/lifecycle';

/** An experiment as the gateway lists it. */
export type Experiment = ListExperimentsResponse['experiments'][number];

/** True when the experiment may use views now (approved or running, as the gateway decides). */
export function isActive(experiment: Experiment): boolean {
  return allowsDataAccess(experiment.state);
}

/** Why a view cannot be used in the experiment, or null when it can. */
export function whyUnusable(experiment: Experiment | null, view: string): string | null {
  if (!experiment) return 'select an experiment first';
  if (!experiment.views.includes(view)) return `not requested by experiment "${experiment.id}"`;
  if (!isActive(experiment)) return `experiment "${experiment.id}" is ${experiment.state}`;
  return null;
}

/** The selected experiment and a "budget spent" notification. */
export class ExperimentContext {
  private current: Experiment | null = null;
  private readonly changedSignal = new Signal<this, Experiment | null>(this);
  private readonly spentSignal = new Signal<this, string>(this);

  /** The selected experiment, or null. */
  get selected(): Experiment | null {
    return this.current;
  }

  /** Emits when the selection changes. */
  get changed(): ISignal<this, Experiment | null> {
    return this.changedSignal;
  }

  /** Emits the experiment id after a query spent budget in it. */
  get spent(): ISignal<this, string> {
    return this.spentSignal;
  }

  /** Selects an experiment (null: none). */
  select(experiment: Experiment | null): void {
    if (experiment?.id === this.current?.id && experiment?.state === this.current?.state) return;
    this.current = experiment;
    this.changedSignal.emit(experiment);
  }

  /** Tells listeners that budget was spent in `experiment`. */
  notifySpent(experiment: string): void {
    this.spentSignal.emit(experiment);
  }
}
