/**
 * Privet for VS Code: registers everything into context.subscriptions — the session (token in
 * SecretStorage), the activity-bar tree and budget webview, the "Privet SQL" notebook controller
 * with its cell status bar actions, the output gate for other controllers (and the approval answers
 * of the gate renderer, which checks outputs before VS Code draws them), the restorer of
 * approved outputs, the review queue panel, "Export Approved Results", the language client, the
 * policy file diagnostics, and the `privet.*` commands.
 */
import * as vscode from 'vscode';
import { startLanguageClient } from './client/language-client.js';
import { registerPolicyDiagnostics } from './policy/policy-diagnostics.js';
import { Approvals } from './notebook/approvals.js';
import { PrivetSqlController } from './notebook/controller.js';
import { exportApprovedResults, exportTarget } from './notebook/export.js';
import { GATED_NOTEBOOK_TYPES, heldIdOf, OutputGate } from './notebook/gate.js';
import { HeldCellsContext } from './notebook/held-cells-context.js';
import { HeldOutputs } from './notebook/held.js';
import { RAW_VALUE_NOT_REVIEWABLE, requestReview } from './notebook/request-review.js';
import { rawValueHold } from './notebook/raw-value.js';
import { RendererApprovals } from './notebook/renderer-approvals.js';
import { RawValueChecks } from '@privet/core/client/index';
import { GatewayViews } from './notebook/views-context.js';
import { ApprovedOutputRestorer } from './notebook/restore.js';
import { checkReviewsNow } from './notebook/check-reviews.js';
import { SELECT_EXPERIMENT, warnNeedsExperiment } from './shared/fix-actions.js';
import { showError as showErrorIn } from './shared/show-error.js';
import { showConversation } from './review/conversation-picker.js';
import { ReviewQueuePanel } from './review/queue-panel.js';
import { PrivetCellStatusBar } from './notebook/status-bar.js';
import {
  canUse,
  insertPythonCell,
  insertViewCell,
  pickView,
  viewArgument,
  type ViewCellKind,
} from './notebook/query-view.js';
import { Session } from './session.js';
import { BUDGET_VIEW_ID, BudgetViewProvider } from './sidebar/budget-view.js';
import { SidebarFreshness } from './sidebar/freshness.js';
import { pickExperiment } from './sidebar/select-experiment.js';
import { SessionStatusItem } from './sidebar/session-status.js';
import { PrivetTree } from './sidebar/tree.js';
import { confirmPublish, pickSyntheticView, publishWithProgress } from './synthetic/commands.js';
import { FidelityPanels } from './synthetic/fidelity-panels.js';

/** The button of a column-warning notification that opens the view's fidelity report. */
const SHOW_FIDELITY_REPORT = 'Show Fidelity Report';

/** The notebook cell a command was invoked on (argument or the active cell). */
function targetCell(arg: unknown): vscode.NotebookCell | undefined {
  if (arg && typeof arg === 'object' && 'document' in arg && 'notebook' in arg)
    return arg as vscode.NotebookCell;
  const editor = vscode.window.activeNotebookEditor;
  const index = editor?.selection.start;
  return editor && index !== undefined ? editor.notebook.cellAt(index) : undefined;
}

/** Activates the extension. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  // "Privet" in the Output panel: why an output was held, never its content.
  const log = vscode.window.createOutputChannel('Privet', { log: true });
  /** Shows (and logs) an error that says what happened and how to fix it, with "Show Log". */
  const showError = (what: string, error: unknown): void => void showErrorIn(log, what, error);
  const session = new Session(context, (message) => log.info(`Session: ${message}`));
  const held = new HeldOutputs();
  const approvals = new Approvals();
  const views = new GatewayViews(session);
  const tree = new PrivetTree(session, (message) => log.info(message));
  const treeView = vscode.window.createTreeView('privet.experiments', { treeDataProvider: tree });
  const budget = new BudgetViewProvider(context.extensionUri, session, log);
  const controller = new PrivetSqlController(
    session,
    held,
    approvals,
    context.asAbsolutePath('dist/duckdb'),
    undefined, // the SQL worker next to dist/duckdb
    log,
  );
  const restorer = new ApprovedOutputRestorer(session, held, approvals, log);
  const fidelityPanels = new FidelityPanels(context.extensionUri);
  // One cache of the gateway's raw-value verdicts for the document gate and the renderer's answers.
  const rawValues = new RawValueChecks();
  const statusBar = new PrivetCellStatusBar(controller, held);
  const queue = new ReviewQueuePanel(context.extensionUri, session, () =>
    restorer.checkInBackground(),
  );
  const refreshSidebar = (): void => {
    tree.refresh();
    void budget.update();
  };
  const kernel = {
    isSelectedFor: (notebook: vscode.NotebookDocument) => controller.isSelectedFor(notebook),
    hasOtherKernel: (notebook: vscode.NotebookDocument) => controller.hasOtherKernel(notebook),
    selectFor: (editor: vscode.NotebookEditor) =>
      controller.selectFor(editor, context.extension.id),
  };
  /** "New SQL/Python Cell for View": the view of the tree node, or picked; then the cell. */
  const newViewCell = async (arg: unknown, kind: ViewCellKind): Promise<unknown> => {
    const signedIn = session.signedIn;
    if (!signedIn) return vscode.commands.executeCommand('privet.signIn');
    try {
      const target = viewArgument(arg) ?? (await pickView(signedIn, kind));
      if (!target || !canUse(target, kind)) return;
      if (target.experiment !== signedIn.experiment) {
        await session.useExperiment(target.experiment);
        void vscode.window.showInformationMessage(
          `Privet: now using experiment ${target.experiment}, which ${target.view.name} is listed under.`,
        );
      }
      if (kind === 'sql') await insertViewCell(kernel, target.view);
      else await insertPythonCell(kernel, signedIn, target);
    } catch (error) {
      showError(`inserting the ${kind === 'sql' ? 'SQL' : 'Python'} cell`, error);
    }
    return undefined;
  };
  context.subscriptions.push(
    log,
    statusBar,
    new HeldCellsContext(held, statusBar.onDidChangeCellStatusBarItems),
    restorer.onDidCheck(() => statusBar.refresh()),
    session,
    controller,
    restorer,
    queue,
    fidelityPanels,
    new SessionStatusItem(session),
    views,
    new OutputGate(held, approvals, session, views, rawValues),
    new RendererApprovals(approvals, session, views, held, rawValues, log),
    tree,
    tree.attachView(treeView),
    treeView,
    vscode.window.registerWebviewViewProvider(BUDGET_VIEW_ID, budget),
    ...[...GATED_NOTEBOOK_TYPES].map((type) =>
      vscode.notebooks.registerNotebookCellStatusBarItemProvider(type, statusBar),
    ),
    vscode.commands.registerCommand('privet.signIn', async () => {
      const token = await vscode.window.showInputBox({
        title: 'Privet: Sign In',
        prompt: 'Paste your Privet gateway token (kept in VS Code secret storage)',
        password: true,
        ignoreFocusOut: true,
      });
      if (!token) return;
      try {
        const me = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: 'Privet: signing in…' },
          () => session.signIn(token),
        );
        if (!me.experiment) await vscode.commands.executeCommand('privet.selectExperiment');
        // Told once the experiment is settled (picked, kept from before, or still none).
        const experiment = session.signedIn?.experiment;
        if (experiment)
          void vscode.window.showInformationMessage(
            `Privet: signed in as ${me.user} (experiment ${experiment}).`,
          );
        else
          void vscode.window
            .showInformationMessage(
              `Privet: signed in as ${me.user}. No experiment selected: run "Privet: Select Experiment" before running cells.`,
              SELECT_EXPERIMENT.title,
            )
            .then((choice) =>
              choice === SELECT_EXPERIMENT.title
                ? vscode.commands.executeCommand(SELECT_EXPERIMENT.command)
                : undefined,
            );
      } catch (error) {
        showError('sign-in', error);
      }
    }),
    vscode.commands.registerCommand('privet.signOut', async () => {
      // Listed before activation too (whether a token is stored is not known then).
      if (!(await session.signOut()))
        void vscode.window.showInformationMessage(
          'Privet: you are not signed in, and no sign-in is saved for this gateway: nothing to sign out of.',
        );
    }),
    vscode.commands.registerCommand('privet.selectExperiment', async (id?: unknown) => {
      const signedIn = session.signedIn;
      if (!signedIn) return vscode.commands.executeCommand('privet.signIn');
      if (typeof id === 'string') return session.useExperiment(id);
      try {
        const picked = await pickExperiment(signedIn.client);
        if (picked) await session.useExperiment(picked);
      } catch (error) {
        showError('listing experiments', error);
      }
    }),
    vscode.commands.registerCommand('privet.refresh', () => refreshSidebar()),
    new SidebarFreshness(() => refreshSidebar()),
    vscode.commands.registerCommand('privet.runAndSpend', async (arg?: unknown) => {
      const cell = targetCell(arg);
      if (cell) await controller.runAndSpend(cell);
    }),
    vscode.commands.registerCommand('privet.requestReview', async (arg?: unknown) => {
      const cell = targetCell(arg);
      const id = cell ? heldIdOf(cell) : undefined;
      const original = id ? held.get(id) : undefined;
      const signedIn = session.signedIn;
      if (!cell || !id || !original) {
        void vscode.window.showWarningMessage(
          'Privet: this cell has no withheld output held in this window. Fix: run the cell again, then request review.',
        );
        return;
      }
      if (rawValueHold(original.review) === 'found') {
        void vscode.window.showWarningMessage(`Privet: ${RAW_VALUE_NOT_REVIEWABLE}.`);
        return;
      }
      if (!signedIn?.experiment) {
        void warnNeedsExperiment(!!signedIn, 'a review request is sent for an experiment');
        return;
      }
      const justification = await vscode.window.showInputBox({
        title: 'Privet: Request Review',
        prompt: `Why should this output be released? (rules: ${original.review.findings.map((f) => f.rule).join(', ')})`,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' ? 'A justification is required' : undefined),
      });
      if (!justification) return;
      try {
        const request = await requestReview(
          signedIn.client,
          signedIn.experiment,
          held,
          id,
          justification,
          {
            notebook: vscode.workspace.asRelativePath(cell.notebook.uri),
            cellIndex: cell.index,
          },
        );
        statusBar.refresh();
        void vscode.window.showInformationMessage(
          `Privet: review request ${request.id} sent (${request.state}).`,
        );
      } catch (error) {
        showError('review request', error);
      }
    }),
    vscode.commands.registerCommand('privet.openReviewQueue', () => {
      if (!session.signedIn) return vscode.commands.executeCommand('privet.signIn');
      queue.show();
    }),
    vscode.commands.registerCommand('privet.reviewConversation', async (arg?: unknown) => {
      const cell = targetCell(arg);
      const id = cell ? heldIdOf(cell) : undefined;
      const reviewId = id ? held.get(id)?.submitted?.reviewId : undefined;
      const signedIn = session.signedIn;
      if (!reviewId || !signedIn) {
        void vscode.window.showWarningMessage(
          'Privet: this cell has no review request from this window. Fix: request a review first (signed in).',
        );
        return;
      }
      await showConversation(signedIn.client, reviewId, showError);
    }),
    vscode.commands.registerCommand('privet.publishViews', async () => {
      const signedIn = session.signedIn;
      if (!signedIn) return vscode.commands.executeCommand('privet.signIn');
      try {
        if (!(await confirmPublish(signedIn.client))) return;
        const outcome = await publishWithProgress(signedIn.client);
        void vscode.window.showInformationMessage(`Privet: ${outcome.summary}`);
        for (const note of outcome.notes) log.info(`Publish note: ${note}`);
        // Each column DP discovery left (mostly) empty, with its fix, one notice per view (one for
        // all when they are many); also in the tree and the report, which the button opens.
        for (const notice of outcome.warnings)
          void vscode.window
            .showWarningMessage(notice.message, SHOW_FIDELITY_REPORT)
            .then((choice) =>
              choice === SHOW_FIDELITY_REPORT
                ? vscode.commands.executeCommand(
                    'privet.showFidelity',
                    notice.views.length === 1 ? notice.views[0] : notice.views,
                  )
                : undefined,
            );
        tree.refresh();
      } catch (error) {
        showError('publishing', error);
      }
    }),
    vscode.commands.registerCommand('privet.showFidelity', async (arg?: unknown) => {
      const signedIn = session.signedIn;
      if (!signedIn) return vscode.commands.executeCommand('privet.signIn');
      try {
        const view = await pickSyntheticView(signedIn.client, arg);
        if (view) await fidelityPanels.show(signedIn.client, view);
      } catch (error) {
        showError('opening the fidelity report', error);
      }
    }),
    vscode.commands.registerCommand('privet.queryView', (arg?: unknown) => newViewCell(arg, 'sql')),
    vscode.commands.registerCommand('privet.pythonCellForView', (arg?: unknown) =>
      newViewCell(arg, 'python'),
    ),
    vscode.commands.registerCommand('privet.checkReviews', () =>
      checkReviewsNow(session.signedIn, held, restorer, log),
    ),
    vscode.commands.registerCommand('privet.exportApprovedResults', async (arg?: unknown) => {
      const notebook = exportTarget(arg);
      const signedIn = session.signedIn;
      if (!notebook) {
        void vscode.window.showWarningMessage(
          'Privet: no notebook to export. Fix: open the .ipynb and run the command from its toolbar.',
        );
        return;
      }
      if (!signedIn?.experiment) {
        void warnNeedsExperiment(!!signedIn, 'exports are signed per experiment');
        return;
      }
      try {
        await exportApprovedResults({ ...signedIn, experiment: signedIn.experiment }, notebook);
      } catch (error) {
        showError('export', error);
      }
    }),
  );
  // Not awaited: VS Code opens a notebook only once the extensions its type activates have
  // activated, so a slow or silent gateway would keep notebooks from opening at start-up. What
  // depends on the restored session waits for it, bounded (session.whenRestored).
  void session.restore();
  context.subscriptions.push(registerPolicyDiagnostics());
  try {
    context.subscriptions.push(await startLanguageClient(context, session));
  } catch (error) {
    showError('starting the Privet SQL language server', error);
  }
}

/** Nothing to do: everything is in context.subscriptions. */
export function deactivate(): void {}
