/**
 * The nodes of the "Privet" activity-bar tree and the one gateway read that builds its top level:
 * experiments with the views each may use, read together so that expanding needs no second trip.
 */
import type * as vscode from 'vscode';
import { GatewayError } from '../client/gateway.js';
import type { ColumnProvenance, ViewSummary, ViewWarning } from '@privet/core/protocol';
import type { Experiment } from '../client/gateway.js';
import { readExperimentViews } from '../client/experiment-views.js';
import type { SignedIn } from '../session.js';
import { noUsableExperimentText } from './select-experiment.js';

/** One node of the tree. `generation` is the content version its item id carries. */
export type PrivetNode =
  | {
      kind: 'message';
      text: string;
      command?: vscode.Command;
      /** Shown after the label, e.g. the fix of a failed read. */
      description?: string;
      tooltip?: string;
      icon?: string;
    }
  | {
      kind: 'experiment';
      experiment: Experiment;
      current: boolean;
      /** The requested views the gateway lists, in the order the experiment names them. */
      views: ViewSummary[];
      generation: number;
    }
  | {
      kind: 'view';
      view: ViewSummary;
      experiment: string;
      /** The lifecycle state of the experiment listing the view (queries need an active one). */
      experimentState: Experiment['state'];
      generation: number;
    }
  | { kind: 'column'; column: ColumnProvenance; warning?: ViewWarning };

/** The top level as read now (generation 0 until the tree numbers it): experiments, or why none. */
export async function readTopLevel(signedIn: SignedIn | undefined): Promise<PrivetNode[]> {
  // Empty while signed out: VS Code then shows the welcome content with its Sign In button.
  if (!signedIn) return [];
  try {
    const read = await readExperimentViews(signedIn.client);
    if (read.length === 0) return [noExperiments()];
    return read.map(({ experiment, views }) => ({
      kind: 'experiment',
      experiment,
      current: experiment.id === signedIn.experiment,
      views,
      generation: 0,
    }));
  } catch (error) {
    return [loadFailed(error)];
  }
}

/** The children of a node, from what the top-level read brought (no gateway call). */
export function childrenOf(node: PrivetNode): PrivetNode[] {
  if (node.kind === 'experiment') {
    const shown: PrivetNode[] = node.views.map((view) => ({
      kind: 'view',
      view,
      experiment: node.experiment.id,
      experimentState: node.experiment.state,
      generation: node.generation,
    }));
    return shown.length > 0 ? shown : [noViews(node.experiment)];
  }
  if (node.kind === 'view') {
    const warnings = node.view.manifest?.warnings ?? [];
    return node.view.columns.map((column) => {
      const warning = warnings.find((w) => w.column === column.name);
      return { kind: 'column', column, ...(warning ? { warning } : {}) };
    });
  }
  return [];
}

/** The node of an empty experiment list: why, and how to get one (as Select Experiment says). */
function noExperiments(): PrivetNode {
  return {
    kind: 'message',
    text: 'No experiments yet',
    description: 'propose one',
    tooltip: noUsableExperimentText([], 'tree'),
    icon: 'info',
  };
}

/** The node of an experiment none of whose views can be listed: why, and what to do. */
function noViews(experiment: Experiment): PrivetNode {
  const named = experiment.views.length;
  return {
    kind: 'message',
    text: 'No views',
    icon: 'info',
    tooltip:
      named === 0
        ? 'This experiment requests no views. Fix: propose a revised experiment that names the views it needs.'
        : `None of the ${named} view${named > 1 ? 's' : ''} this experiment requests is published on the gateway yet. Fix: ask a steward to publish ${named > 1 ? 'them' : 'it'}, then refresh.`,
    ...(named > 0 ? { description: 'not published yet' } : {}),
  };
}

/** The node of a failed read: what happened, the gateway's fix, and a click that refreshes. */
function loadFailed(error: unknown): PrivetNode {
  const message = error instanceof Error ? error.message : String(error);
  const fix =
    error instanceof GatewayError && error.fix
      ? error.fix
      : 'check privet.gatewayUrl and the gateway log';
  return {
    kind: 'message',
    text: `Could not load: ${message}`,
    description: `Fix: ${fix}`,
    tooltip: `${message}. Fix: ${fix}. Click to refresh.`,
    icon: 'error',
    command: { command: 'privet.refresh', title: 'Refresh' },
  };
}
