/**
 * The experiments the user can see, each with the views it requests, read in one round of calls
 * (the Privet tree's top level and the view pick of "New SQL/Python Cell for View").
 */
import type { ViewSummary } from '@privet/core/protocol';
import type { Experiment, GatewayClient } from './gateway.js';

/** An experiment and the requested views the gateway lists, in the order the experiment names them. */
export interface ExperimentViews {
  experiment: Experiment;
  views: ViewSummary[];
}

/** Reads the experiments and the views together; each experiment gets the views it requests. */
export async function readExperimentViews(client: GatewayClient): Promise<ExperimentViews[]> {
  const [{ experiments }, { views }] = await Promise.all([
    client.listExperiments(),
    client.listViews(),
  ]);
  const byName = new Map(views.map((v) => [v.name, v]));
  return experiments.map((experiment) => ({
    experiment,
    views: experiment.views
      .map((name) => byName.get(name))
      .filter((v): v is ViewSummary => v !== undefined),
  }));
}
