/**
 * The "Privet SQL" NotebookController for .ipynb notebooks. Cells run through SqlCellRunner:
 * masked/synthetic views locally in duckdb-wasm, DP views as a gateway dry run first with a
 * "Run and Spend" action (notification and cell status bar) when the budget can pay it, else what
 * is short and the fix. Outputs were checked by core's review before they reach here; flagged ones
 * arrive as placeholders. The placeholders and DP
 * releases it writes are recorded (HeldOutputs, Approvals.releases) so the output gate, which
 * checks every other output carrying Privet's MIME types, leaves them be.
 */
import * as vscode from 'vscode';
import { dirname, join } from 'node:path';
import { WorkerSqlEngine, type EngineWorkerOptions } from '../sql/worker-engine.js';
import type { Session } from '../session.js';
import { SQL_CELL_LANGUAGES } from '../shared/sql-languages.js';
import { logFailure, type FailureLog } from '../shared/show-error.js';
import { toCellOutput } from './convert.js';
import type { Approvals } from './approvals.js';
import type { HeldOutputs } from './held.js';
import { unaffordable, type Unaffordable } from './outputs.js';
import { runProgress } from './run-progress.js';
import { SqlCellRunner, type CellRunResult } from './run-sql.js';
import type { DpDryRunWithBudget } from '@privet/core/protocol';

/** How long a cell run waits for the start-up token restore before saying "not signed in". */
const RESTORE_WAIT_MS = 10_000;
/** The button of the dry-run notification that spends the query. */
export const RUN_AND_SPEND = 'Run and Spend';
/** Id of the controller (also used by tests to select it). */
export const CONTROLLER_ID = 'privet-sql';

/** A cell's last DP dry run: the SQL priced, and for which gateway and experiment. */
export interface PendingDryRun {
  /** The cell text the dry run priced (as sent, not as the cell reads once it answered). */
  text: string;
  gateway: string;
  experiment: string;
  /** The priced plan's hash: Run and Spend sends it, so a plan changed since is refused for free. */
  planHash: string;
  /** Set when a budget the query charges cannot pay it: "Run and Spend" is not offered then. */
  unaffordable?: Unaffordable;
}

/** "ε = 0.5 on patients" (or "… on each of patients and visits"): what spending a dry run costs. */
export function costText(dryRun: DpDryRunWithBudget): string {
  const { epsilon, delta, rho } = dryRun.cost;
  const figures = [
    ...(epsilon ? [`ε = ${epsilon}`] : []),
    ...(delta ? [`δ = ${delta}`] : []),
    ...(rho ? [`ρ = ${rho}`] : []),
  ].join(', ');
  const sources = dryRun.budget.map((b) => b.source);
  const where =
    sources.length > 1
      ? ` on each of ${sources.join(' and ')}`
      : sources[0]
        ? ` on ${sources[0]}`
        : '';
  return `${figures || 'budget'}${where}`;
}

/** The notice for a dry run the budget cannot pay: what is short and how to fix it. */
export function unaffordableText(cell: vscode.NotebookCell, refused: Unaffordable): string {
  return `Privet: the DP query in cell ${cell.index + 1} cannot be spent: ${refused.message}. Fix: ${refused.fix}, then run the cell again.`;
}

/** The Privet SQL controller and its pending dry runs. */
export class PrivetSqlController implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private readonly engine: WorkerSqlEngine;
  private runner: SqlCellRunner | undefined;
  private order = 0;
  /** Counts Stop presses: a run of several cells ends at the one stopped. */
  private interrupts = 0;
  /** Aborted by the next Stop: ends the view downloads of the cells running until then. */
  private stopping = new AbortController();
  /** Cells (by document URI) whose last run was a DP dry run, with what was priced and where. */
  readonly pendingDryRuns = new Map<string, PendingDryRun>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when pending dry runs change (the status bar re-reads them). */
  readonly onDidChange = this.changed.event;
  /** Notebooks (by URI) whose selected kernel is Privet SQL. */
  private readonly selectedNotebooks = new Set<string>();
  /** Notebooks (by URI) whose kernel was Privet SQL until another one was picked. */
  private readonly deselectedNotebooks = new Set<string>();

  /**
   * Creates the controller for jupyter notebooks; `wasmDir` holds the duckdb-wasm files (the
   * extension's dist/duckdb) and the SQL worker is dist/sql-worker.cjs next to it unless `worker`
   * says otherwise (tests start the TypeScript entry). A cell's unexpected failure (not a gateway
   * or SQL error) is written to `log`, the "Privet" output channel its error output points at.
   */
  constructor(
    private readonly session: Session,
    private readonly held: HeldOutputs,
    private readonly approvals: Approvals,
    wasmDir: string,
    worker: EngineWorkerOptions = { script: join(dirname(wasmDir), 'sql-worker.cjs') },
    private readonly log?: FailureLog,
  ) {
    this.engine = new WorkerSqlEngine(wasmDir, worker);
    this.controller = vscode.notebooks.createNotebookController(
      CONTROLLER_ID,
      'jupyter-notebook',
      'Privet SQL',
    );
    this.controller.supportedLanguages = [...SQL_CELL_LANGUAGES]; // new cells: the first
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'SQL over approved Privet views';
    this.controller.executeHandler = (cells, notebook) => this.executeAll(cells, notebook);
    // Stop: view downloads end, the running statement's worker is terminated, and the cell ends
    // as failed, saying so.
    this.controller.interruptHandler = () => this.interrupt();
    this.controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
      const key = notebook.uri.toString();
      if (selected) {
        this.selectedNotebooks.add(key);
        this.deselectedNotebooks.delete(key);
      } else if (this.selectedNotebooks.delete(key)) this.deselectedNotebooks.add(key);
    });
    session.onDidChange(() => {
      if (this.runner && !this.runnerIsCurrent(this.runner)) this.runner = undefined;
      // A dry run priced for another experiment or gateway (or signed out) is no longer current.
      let dropped = false;
      for (const [key, pending] of this.pendingDryRuns)
        if (!this.isCurrent(pending)) dropped = this.pendingDryRuns.delete(key) || dropped;
      if (dropped) this.changed.fire();
    });
  }

  /** True when Privet SQL is the selected kernel of `notebook`. */
  isSelectedFor(notebook: vscode.NotebookDocument): boolean {
    return this.selectedNotebooks.has(notebook.uri.toString());
  }

  /** True when another kernel was picked for `notebook` after Privet SQL had been its kernel. */
  hasOtherKernel(notebook: vscode.NotebookDocument): boolean {
    return this.deselectedNotebooks.has(notebook.uri.toString());
  }

  /** Makes Privet SQL the kernel of the notebook in `editor` (VS Code's own kernel selection). */
  async selectFor(editor: vscode.NotebookEditor, extension: string): Promise<void> {
    this.controller.updateNotebookAffinity(
      editor.notebook,
      vscode.NotebookControllerAffinity.Preferred,
    );
    await vscode.commands.executeCommand('notebook.selectKernel', {
      notebookEditor: editor,
      id: CONTROLLER_ID,
      extension,
    });
  }

  /** Stop in the notebook: ends the running cells' downloads and statement; later cells are skipped. */
  private interrupt(): void {
    this.interrupts++;
    const stopping = this.stopping;
    // Cells started from now on get a signal of their own.
    this.stopping = new AbortController();
    stopping.abort();
    this.engine.interrupt();
  }

  /** True when `runner` belongs to the sign-in (client) and experiment current now. */
  private runnerIsCurrent(runner: SqlCellRunner): boolean {
    const signedIn = this.session.signedIn;
    return (
      signedIn !== undefined &&
      runner.client === signedIn.client &&
      runner.experiment === signedIn.experiment
    );
  }

  /** True when `pending` was priced for the gateway and experiment signed in now. */
  private isCurrent(pending: PendingDryRun): boolean {
    const signedIn = this.session.signedIn;
    return (
      signedIn !== undefined &&
      signedIn.client.baseUrl === pending.gateway &&
      signedIn.experiment === pending.experiment
    );
  }

  /** The cell's dry run, if it priced the cell's current text for the current gateway and experiment. */
  currentDryRun(cell: vscode.NotebookCell): PendingDryRun | undefined {
    const pending = this.pendingDryRuns.get(cell.document.uri.toString());
    return pending && pending.text === cell.document.getText() && this.isCurrent(pending)
      ? pending
      : undefined;
  }

  private currentRunner(): SqlCellRunner | string {
    const signedIn = this.session.signedIn;
    if (!signedIn) return 'not signed in to a Privet gateway. Fix: run "Privet: Sign In"';
    if (!signedIn.experiment) return 'no experiment chosen. Fix: run "Privet: Select Experiment"';
    if (!this.runner || !this.runnerIsCurrent(this.runner)) {
      this.runner = new SqlCellRunner(
        signedIn.client,
        this.engine,
        signedIn.experiment,
        this.held,
        this.approvals,
        signedIn.exportRules,
      );
      const log = this.log;
      if (log)
        this.runner.onUnexpectedError = (error) =>
          logFailure(log, 'running a Privet SQL cell', error);
    }
    return this.runner;
  }

  private async executeAll(
    cells: vscode.NotebookCell[],
    notebook: vscode.NotebookDocument,
  ): Promise<void> {
    const interrupts = this.interrupts;
    for (const cell of cells) {
      if (this.interrupts !== interrupts) break;
      await this.execute(cell, notebook, false);
    }
  }

  /** Runs one cell (`spend`: the DP query for real, the text and plan its dry run priced). */
  async execute(
    cell: vscode.NotebookCell,
    _notebook: vscode.NotebookDocument,
    spend: boolean | PendingDryRun,
  ): Promise<void> {
    const execution = this.controller.createNotebookCellExecution(cell);
    const signal = this.stopping.signal;
    execution.executionOrder = ++this.order;
    execution.start(Date.now());
    // A cell run right at start-up waits (bounded) for the stored token to be restored.
    if (!this.session.signedIn) await this.session.restoredWithin(RESTORE_WAIT_MS);
    const runner = this.currentRunner();
    let result: CellRunResult;
    /** What was sent, and for whom: a dry run is recorded as what it priced, never as the cell reads later. */
    let sent: { text: string; gateway: string; experiment: string } | undefined;
    if (typeof runner === 'string') {
      const [message, fix] = runner.split('. Fix: ');
      result = {
        kind: 'error',
        outputs: [
          {
            output_type: 'error',
            ename: 'Privet',
            evalue: `${message ?? runner}. Fix: ${fix ?? ''}`,
            traceback: [],
          },
        ],
      };
    } else {
      const sql = typeof spend === 'object' ? spend.text : cell.document.getText();
      sent = { text: sql, gateway: runner.client.baseUrl, experiment: runner.experiment };
      const progress = runProgress();
      try {
        result = spend
          ? await runner.runAndSpend(
              sql,
              signal,
              typeof spend === 'object' ? spend.planHash : undefined,
            )
          : await runner.run(sql, signal, (text) => progress.report(text));
      } finally {
        progress.end();
      }
    }
    // What Privet writes is known before VS Code reports it: the output gate leaves this
    // controller's placeholders be, and trusts its DP releases (this release id, this content).
    const client = this.session.signedIn?.client;
    if (result.kind === 'release' && client)
      this.approvals.releases.remember(result.release, client.baseUrl);
    if (result.kind === 'withheld') {
      for (const o of result.outputs) this.held.notePlaceholder(result.heldId, o);
    }
    await execution.replaceOutput(result.outputs.map(toCellOutput));
    execution.end(result.kind !== 'error', Date.now());
    const key = cell.document.uri.toString();
    if (result.kind === 'dryRun' && sent) {
      const refused = unaffordable(result.dryRun);
      this.pendingDryRuns.set(key, {
        ...sent,
        planHash: result.dryRun.planHash,
        ...(refused ? { unaffordable: refused } : {}),
      });
      // Edited, or signed in or experiment switched while it was priced: nothing is offered.
      if (this.currentDryRun(cell)) void this.offerSpend(cell, result.dryRun);
    } else {
      this.pendingDryRuns.delete(key);
    }
    // A stopped run may have been charged just before it was stopped: budgets reload too.
    if (result.kind === 'release' || spend !== false) this.session.refresh();
    this.changed.fire();
  }

  /** Offers "Run and Spend" for a dry run the budget can pay; otherwise says what is short. */
  private async offerSpend(cell: vscode.NotebookCell, dryRun: DpDryRunWithBudget): Promise<void> {
    const refused = unaffordable(dryRun);
    if (refused) {
      void vscode.window.showWarningMessage(unaffordableText(cell, refused));
      return;
    }
    const choice = await vscode.window.showInformationMessage(
      `Privet: the DP query in cell ${cell.index + 1} would spend ${costText(dryRun)}. See the expected error in the cell.`,
      RUN_AND_SPEND,
    );
    if (choice === RUN_AND_SPEND) await this.runAndSpend(cell);
  }

  /**
   * Runs a dry-run cell for real, if its text is still the one that was priced, for the gateway
   * and experiment signed in now, and if the budget could pay it when it was priced.
   */
  async runAndSpend(cell: vscode.NotebookCell): Promise<void> {
    const pending = this.currentDryRun(cell);
    if (!pending) {
      void vscode.window.showWarningMessage(
        'Privet: this cell has no current dry run (it was edited, not run, or priced for another experiment or gateway). Fix: run the cell first to see the cost.',
      );
      return;
    }
    if (pending.unaffordable) {
      void vscode.window.showWarningMessage(unaffordableText(cell, pending.unaffordable));
      return;
    }
    await this.execute(cell, cell.notebook, pending);
  }

  /** Releases the controller. */
  dispose(): void {
    this.engine.dispose();
    this.controller.dispose();
    this.changed.dispose();
  }
}
