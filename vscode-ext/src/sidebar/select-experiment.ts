/**
 * "Privet: Select Experiment": a quick pick of the experiments the signed-in user may run cells in
 * (approved or running), open and busy while the gateway lists them. When there is none, the pick
 * closes and a message says why and how to get one (propose it, have a steward approve it).
 */
import * as vscode from 'vscode';
import { allowsDataAccess } from '@privet/core/record/lifecycle';
import type { Experiment, GatewayClient } from '../client/gateway.js';
import { pickWhileLoading } from '../shared/busy-pick.js';

/**
 * Why no experiment can be picked, and how to get one, from what the gateway lists (a
 * notification's text: "Privet: you have…"; `tree`: the tree's tooltip, "You have…").
 */
export function noUsableExperimentText(
  experiments: readonly Experiment[],
  where: 'notification' | 'tree' = 'notification',
): string {
  const proposed = experiments.filter((e) => e.state === 'proposal').length;
  const waiting =
    proposed > 0
      ? ` ${proposed} proposed experiment${proposed > 1 ? 's are' : ' is'} still waiting: ask a steward to approve ${proposed > 1 ? 'them' : 'it'} (privet experiment approve).`
      : '';
  return (
    (where === 'tree' ? 'You' : 'Privet: you') +
    ' have no approved or running experiment to run cells in.' +
    waiting +
    ' Fix: propose one with the views it needs (privet experiment propose, or POST /experiments on the gateway), have a steward approve it, then run "Privet: Select Experiment" again.'
  );
}

/**
 * Lists the experiments with `client` and lets the user pick one; returns its id, or undefined
 * when cancelled or when there was none to pick (then a message says how to get one).
 */
export async function pickExperiment(client: GatewayClient): Promise<string | undefined> {
  const pick = await pickWhileLoading(
    { title: 'Privet: Select Experiment', loadingPlaceholder: 'Loading experiments…' },
    () => client.listExperiments(),
    ({ experiments }) => {
      // Only where the gateway allows data access (core's lifecycle: approved or running).
      const usable = experiments.filter((e) => allowsDataAccess(e.state));
      if (usable.length === 0) {
        void vscode.window.showInformationMessage(noUsableExperimentText(experiments));
        return undefined;
      }
      return {
        placeholder: 'Experiment your cells run in',
        items: usable.map((e) => ({
          label: e.title,
          description: `${e.id} · ${e.state}`,
          id: e.id,
        })),
      };
    },
  );
  return pick?.id;
}
