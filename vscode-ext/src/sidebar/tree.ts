/**
 * The "Privet" activity-bar tree: experiments → the views each may use (tier, source, rows,
 * provenance) → columns with their masking operator. Read from the gateway on every refresh.
 * Signed out it is empty, so VS Code shows the view's welcome content (package.json viewsWelcome:
 * what to do and a Sign In button); a failed read says what happened, the gateway's fix, and
 * refreshes on click.
 */
import * as vscode from 'vscode';
import { GatewayError } from '../client/gateway.js';
import type { ColumnProvenance, ViewSummary, ViewWarning } from '@privet/core/protocol';
import type { Experiment } from '../client/gateway.js';
import type { Session } from '../session.js';
import { syntheticPrivacyMarkdown } from '../synthetic/privacy-text.js';
import { kAnonymityMarkdown } from './k-anonymity-text.js';
import { noUsableExperimentText } from './select-experiment.js';

/** One node of the tree. */
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
  | { kind: 'experiment'; experiment: Experiment; current: boolean }
  | { kind: 'view'; view: ViewSummary; experiment: string }
  | { kind: 'column'; column: ColumnProvenance; warning?: ViewWarning };

/** Tree data provider of experiments, views and columns. */
export class PrivetTree implements vscode.TreeDataProvider<PrivetNode> {
  private readonly changed = new vscode.EventEmitter<PrivetNode | undefined>();
  /** Fires when the whole tree should be re-read. */
  readonly onDidChangeTreeData = this.changed.event;
  private views: Map<string, ViewSummary> | undefined;

  /** Creates the tree over the session (refreshes when it changes). */
  constructor(private readonly session: Session) {
    session.onDidChange(() => this.refresh());
  }

  /** Re-reads everything from the gateway. */
  refresh(): void {
    this.views = undefined;
    this.changed.fire(undefined);
  }

  /** Renders one node. */
  getTreeItem(node: PrivetNode): vscode.TreeItem {
    switch (node.kind) {
      case 'message': {
        const item = new vscode.TreeItem(node.text);
        if (node.command) item.command = node.command;
        if (node.description) item.description = node.description;
        if (node.tooltip) item.tooltip = node.tooltip;
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      case 'experiment': {
        const e = node.experiment;
        const item = new vscode.TreeItem(
          `${e.title}${node.current ? ' (current)' : ''}`,
          vscode.TreeItemCollapsibleState.Expanded,
        );
        item.id = `experiment:${e.id}`;
        item.description = `${e.id} · ${e.state}`;
        item.tooltip = e.purpose;
        item.contextValue = 'privetExperiment';
        item.iconPath = new vscode.ThemeIcon(node.current ? 'beaker' : 'circle-outline');
        item.command = {
          command: 'privet.selectExperiment',
          title: 'Use experiment',
          arguments: [e.id],
        };
        return item;
      }
      case 'view': {
        const v = node.view;
        const item = new vscode.TreeItem(v.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `view:${node.experiment}:${v.name}`;
        const warnings = v.manifest?.warnings?.length ?? 0;
        item.description =
          `${v.tier}${v.rows !== undefined ? ` · ${v.rows} rows` : ''}` +
          (warnings > 0 ? ` · ${warnings} column warning${warnings > 1 ? 's' : ''}` : '');
        const provenance = v.manifest
          ? `source ${v.source} (version ${v.manifest.sourceHash.slice(0, 12)}…), published ${v.manifest.publishedAt}`
          : `source ${v.source}${v.published ? '' : ' (not published)'}`;
        const privacy = syntheticPrivacyMarkdown(v) || kAnonymityMarkdown(v);
        item.tooltip = new vscode.MarkdownString(
          `**${v.name}** — ${v.tier}\n\n${v.description ?? ''}\n\n${provenance}` +
            (privacy ? `\n\n${privacy}` : ''),
        );
        item.iconPath = new vscode.ThemeIcon(v.tier === 'dp' ? 'shield' : 'table');
        item.contextValue = `privetView.${v.tier}`;
        return item;
      }
      case 'column': {
        const c = node.column;
        const item = new vscode.TreeItem(c.name);
        item.description = `${c.operator} · ${c.type}`;
        item.iconPath = new vscode.ThemeIcon('symbol-field');
        if (node.warning) {
          // E.g. a column no value of which survived DP discovery: published, but all empty.
          item.iconPath = new vscode.ThemeIcon(
            'warning',
            new vscode.ThemeColor('list.warningForeground'),
          );
          item.tooltip = `${node.warning.message}. Fix: ${node.warning.fix}.`;
        }
        return item;
      }
    }
  }

  /** Children: experiments at the root, their views, then columns. */
  async getChildren(node?: PrivetNode): Promise<PrivetNode[]> {
    const signedIn = this.session.signedIn;
    // Empty while signed out: VS Code then shows the welcome content with its Sign In button.
    if (!signedIn) return [];
    try {
      if (!node) {
        const { experiments } = await signedIn.client.listExperiments();
        if (experiments.length === 0) return [noExperiments()];
        return experiments.map((experiment) => ({
          kind: 'experiment',
          experiment,
          current: experiment.id === signedIn.experiment,
        }));
      }
      if (node.kind === 'experiment') {
        const views = await this.viewMap();
        const shown: PrivetNode[] = node.experiment.views
          .map((name) => views.get(name))
          .filter((v): v is ViewSummary => v !== undefined)
          .map((view) => ({ kind: 'view', view, experiment: node.experiment.id }));
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
    } catch (error) {
      return [loadFailed(error)];
    }
  }

  private async viewMap(): Promise<Map<string, ViewSummary>> {
    if (!this.views) {
      const { views } = await this.session.signedIn!.client.listViews();
      this.views = new Map(views.map((v) => [v.name, v]));
    }
    return this.views;
  }
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
