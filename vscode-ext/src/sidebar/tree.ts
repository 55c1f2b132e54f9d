/**
 * The "Privet" activity-bar tree: experiments → the views each may use (tier, source, rows,
 * provenance) → columns with their masking operator. Read from the gateway on every refresh.
 * Signed out it is empty, so VS Code shows the view's welcome content (package.json viewsWelcome:
 * what to do and a Sign In button); a failed read says what happened, the gateway's fix, and
 * refreshes on click.
 */
import * as vscode from 'vscode';
import { allowsDataAccess } from '@privet/core/record/lifecycle';
import type { LifecycleState } from '@privet/core/record/types';
import type { Session } from '../session.js';
import { syntheticPrivacyMarkdown } from '../synthetic/privacy-text.js';
import { kAnonymityMarkdown } from './k-anonymity-text.js';
import { childrenOf, readTopLevel, type PrivetNode } from './tree-nodes.js';
import { ChildrenWatch } from './tree-watch.js';

/** How long a burst of session changes (sign in, pick an experiment, …) is gathered into one re-read. */
export const REFRESH_COALESCE_MS = 50;

/** Most redraws for one content after VS Code lost an experiment's views request (see tree-watch.ts). */
export const MAX_REDRAWS = 2;

export type { PrivetNode };

/**
 * Tree data provider of experiments, views and columns. A refresh re-reads the top level and tells
 * VS Code only when what the tree shows changed (a DP spend or a budget refresh changes nothing
 * here). Each change numbers a new generation that the item ids carry, so VS Code builds fresh
 * nodes and asks for their children again: an experiment whose children VS Code asked for just as
 * the previous refresh landed (it then answers "no such item", drawn as an expanded, empty node)
 * is replaced, never left empty. Expand/collapse choices reset only when the content changes.
 * When VS Code loses such a request anyway (a re-read of its own), the watch (tree-watch.ts) sees
 * an expanded experiment never asked for its views and the tree is drawn again, at most
 * MAX_REDRAWS times per content, each logged.
 */
export class PrivetTree implements vscode.TreeDataProvider<PrivetNode> {
  private readonly changed = new vscode.EventEmitter<PrivetNode | undefined>();
  /** Fires when the top level changed and should be read again. */
  readonly onDidChangeTreeData = this.changed.event;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private shown: { key: string; nodes: PrivetNode[] } | undefined;
  private generation = 0;
  private reads = 0;
  private redraws = 0;
  private readonly watch: ChildrenWatch;

  /** Creates the tree over the session (re-reads when it changes); `log` gets each redraw. */
  constructor(
    private readonly session: Session,
    private readonly log: (message: string) => void = () => undefined,
    watch?: (redraw: (missed: string[]) => void) => ChildrenWatch,
  ) {
    session.onDidChange(() => this.refresh());
    const redraw = (missed: string[]): void => this.redraw(missed);
    this.watch = watch ? watch(redraw) : new ChildrenWatch(redraw);
  }

  /** Follows the tree view VS Code shows: its visibility and the experiments collapsed. */
  attachView(view: vscode.TreeView<PrivetNode>): vscode.Disposable {
    this.watch.setVisible(view.visible);
    const follow = (node: PrivetNode, collapsed: boolean): void => {
      if (node.kind === 'experiment') this.watch.setCollapsed(experimentKey(node), collapsed);
    };
    const listeners = [
      view.onDidChangeVisibility((e) => this.watch.setVisible(e.visible)),
      view.onDidCollapseElement((e) => follow(e.element, true)),
      view.onDidExpandElement((e) => follow(e.element, false)),
    ];
    return { dispose: () => listeners.forEach((l) => l.dispose()) };
  }

  /** Re-reads the top level, once for a burst of calls within REFRESH_COALESCE_MS. */
  refresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.reread();
    }, REFRESH_COALESCE_MS);
  }

  /** Reads the top level now; fires onDidChangeTreeData only when it differs from what is shown. */
  async reread(): Promise<void> {
    const read = ++this.reads;
    const nodes = await readTopLevel(this.session.signedIn);
    if (read !== this.reads) return; // a newer read is under way: it decides
    const key = JSON.stringify(nodes);
    if (this.shown?.key === key) return;
    this.shown = { key, nodes: numbered(nodes, ++this.generation) };
    this.redraws = 0;
    this.changed.fire(undefined);
  }

  /** Draws the shown content again under fresh ids: VS Code lost the views request of `missed`. */
  private redraw(missed: string[]): void {
    if (!this.shown || this.redraws >= MAX_REDRAWS) return;
    this.redraws++;
    const names = this.shown.nodes.flatMap((n) =>
      n.kind === 'experiment' && missed.includes(experimentKey(n))
        ? [`"${n.experiment.title}"`]
        : [],
    );
    this.log(
      `Tree: VS Code drew ${names.join(', ')} expanded but did not ask for its views; drawing the tree again (${this.redraws} of ${MAX_REDRAWS}).`,
    );
    this.shown = { key: this.shown.key, nodes: numbered(this.shown.nodes, ++this.generation) };
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
        item.id = experimentKey(node);
        item.description = `${e.id} · ${e.state}`;
        item.tooltip = `${e.purpose}\n\n${experimentHint(e, node.current)}`;
        item.contextValue = 'privetExperiment';
        item.iconPath = new vscode.ThemeIcon(node.current ? 'beaker' : 'circle-outline');
        // A click makes it the experiment cells run in, where the gateway allows data access:
        // one not approved (yet) would only make every cell fail.
        if (allowsDataAccess(e.state))
          item.command = {
            command: 'privet.selectExperiment',
            title: 'Select Experiment',
            arguments: [e.id],
          };
        return item;
      }
      case 'view': {
        const v = node.view;
        const item = new vscode.TreeItem(v.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `view:${node.generation}:${node.experiment}:${v.name}`;
        const warnings = v.manifest?.warnings?.length ?? 0;
        item.description =
          `${v.tier}${v.rows !== undefined ? ` · ${v.rows} rows` : ''}${v.unreadable ? ' · unreadable' : ''}` +
          (warnings > 0 ? ` · ${warnings} column warning${warnings > 1 ? 's' : ''}` : '');
        const provenance = v.manifest
          ? `source ${v.source} (version ${v.manifest.sourceHash.slice(0, 12)}…), published ${v.manifest.publishedAt}`
          : `source ${v.source}${v.published ? '' : v.unreadable ? ` (unreadable: ${v.unreadable.message}. Fix: ${v.unreadable.fix}.)` : ' (not published)'}`;
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

  /** Children: the top level as last read (read now the first time), then views and columns. */
  async getChildren(node?: PrivetNode): Promise<PrivetNode[]> {
    if (node) {
      if (node.kind === 'experiment') this.watch.childrenAsked(experimentKey(node));
      return childrenOf(node);
    }
    if (!this.shown) {
      const nodes = await readTopLevel(this.session.signedIn);
      this.shown ??= { key: JSON.stringify(nodes), nodes: numbered(nodes, this.generation) };
    }
    const shown = this.shown.nodes;
    this.watch.rootAnswered(
      shown.flatMap((n) => (n.kind === 'experiment' ? [experimentKey(n)] : [])),
    );
    return shown;
  }

  /** Stops a pending re-read and the watch (the extension is deactivating). */
  dispose(): void {
    clearTimeout(this.pending);
    this.watch.dispose();
    this.changed.dispose();
  }
}

/** The experiment tooltip's second line: what a click does, or why cells cannot run in it. */
function experimentHint(e: { state: LifecycleState }, current: boolean): string {
  if (allowsDataAccess(e.state))
    return current
      ? 'Your cells run in this experiment.'
      : 'Click to run your cells in this experiment.';
  return e.state === 'proposal'
    ? 'A proposal, not approved yet: cells cannot run in it. Fix: wait until a steward approves it.'
    : `${e.state[0]!.toUpperCase()}${e.state.slice(1)}: cells cannot run in it. Fix: propose a new experiment.`;
}

/** The item id of an experiment node: its generation and id (fresh ids make VS Code ask anew). */
function experimentKey(node: Extract<PrivetNode, { kind: 'experiment' }>): string {
  return `experiment:${node.generation}:${node.experiment.id}`;
}

/** `nodes` with their ids' generation set to `generation`. */
function numbered(nodes: PrivetNode[], generation: number): PrivetNode[] {
  return nodes.map((n) => (n.kind === 'experiment' ? { ...n, generation } : n));
}
