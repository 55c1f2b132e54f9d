/**
 * "Use in notebook": inserts a code cell that loads a view into the kernel with pandas from the
 * gateway's Parquet URL. Why the cell only calls privet_jupyter.load_view (the Python side of this
 * extension, privet_jupyter/views.py): a short cell the user can read, and the download, the token
 * and the gateway's refusals handled in one place. Why the environment variable: the token must
 * never be written into a notebook, so it reaches the kernel by a silent execution (store_history
 * off, no output, not a cell), and load_view reads it from os.environ. The cell prints a summary
 * rather than rows: rows of a masked view are row-level data, which the output gate holds for
 * review. Why kernel-token.ts: a kernel given the token gets the new one after every sign-in (and
 * loses it on sign-out), so a cell refused with an expired token works again once the user signs
 * in again, also after a page reload (followKernelTokens).
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { NotebookActions, type INotebookTracker, type NotebookPanel } from '@jupyterlab/notebook';
import type { ICodeCellModel } from '@jupyterlab/cells';
import { DP_RELEASE_MIME_TYPE, type DpRelease } from '@privet/core/protocol';
import { pythonIdentifier, pythonSummaryLine } from '@privet/core/client/view-query';
import { KernelTokens, TOKEN_ENV, type SignInSource } from './kernel-token.js';
import { runningKernelsOf } from './kernel-token-running.js';
import { releaseText } from './mime.js';
import { IPrivetServices } from './services.js';
import type { SignedIn } from './session.js';

/** Name of the kernel environment variable holding the token (kernel-token.ts). */
export { TOKEN_ENV } from './kernel-token.js';

/** The kernels given a token here, kept in step with the tab's sign-in. */
const kernelTokens = new KernelTokens();

/**
 * On JupyterLab start: keeps the kernels given a token before a page reload (still running, with
 * the token) in step with `session` again, from its current sign-in on. Never throws.
 */
export async function followKernelTokens(
  app: JupyterFrontEnd,
  session: SignInSource,
): Promise<void> {
  kernelTokens.follow(session);
  await kernelTokens.reattach(runningKernelsOf(app.serviceManager.kernels));
}

/**
 * What the cell says when its kernel's Python cannot import load_view: a kernel of another
 * environment, or an older privet_jupyter ({_privet_error}: Python's ImportError, in the f-string).
 */
const NO_PACKAGE_MESSAGE =
  "Privet: this kernel's Python cannot import load_view from the Privet JupyterLab package " +
  "({_privet_error}). Fix: use the kernel of JupyterLab's own environment (Kernel > Change " +
  'Kernel), or pip install the Privet JupyterLab package (./jupyter-ext of the Privet ' +
  "repository) into this kernel's environment";

/**
 * The Python source of the cell that loads `view` (contains its URL, never the token). The
 * loading itself (token from TOKEN_ENV, the gateway's refusals as errors with their fix) is
 * privet_jupyter.load_view, installed with this extension (jupyter-ext/privet_jupyter/views.py).
 */
export function loadViewCode(view: string, parquetUrl: string): string {
  const variable = pythonIdentifier(view);
  return [
    `# Privet: load the approved view "${view}" from the gateway (token from ${TOKEN_ENV}).`,
    'try:',
    '    from privet_jupyter import load_view',
    'except ImportError as _privet_error:',
    `    raise RuntimeError(f${JSON.stringify(NO_PACKAGE_MESSAGE)}) from None`,
    `${variable} = load_view(${JSON.stringify(parquetUrl)}, ${JSON.stringify(view)})`,
    // A summary, not rows: df.head() of a masked view is row-level data, which the gate holds.
    pythonSummaryLine(view, variable),
  ].join('\n');
}

/** The current notebook, or a new one when none is open. */
async function targetNotebook(
  app: JupyterFrontEnd,
  tracker: INotebookTracker | null,
): Promise<NotebookPanel> {
  const current = tracker?.currentWidget;
  if (current) return current;
  const created = (await app.commands.execute('notebook:create-new', {
    kernelName: 'python3',
  })) as NotebookPanel;
  await created.context.ready;
  return created;
}

/**
 * Gives the notebook's kernel the token through a silent, history-free execution, and keeps it in
 * step with the sign-in of the tab's session (the shared IPrivetServices one) from then on.
 */
async function giveKernelToken(
  app: JupyterFrontEnd,
  panel: NotebookPanel,
  session: SignedIn,
): Promise<void> {
  kernelTokens.follow((await app.resolveRequiredService(IPrivetServices)).session);
  await panel.sessionContext.ready;
  const kernel = panel.sessionContext.session?.kernel;
  if (!kernel) return; // No kernel yet: the cell explains how to fix it when run.
  await kernelTokens.give(kernel, session);
}

/** Adds a code cell below the active one (or reuses an empty first cell) and returns it. */
function newCodeCell(panel: NotebookPanel): ICodeCellModel {
  const notebook = panel.content;
  const empty =
    notebook.widgets.length === 1 && notebook.activeCell?.model.sharedModel.getSource() === '';
  if (!empty) NotebookActions.insertBelow(notebook);
  NotebookActions.changeCellType(notebook, 'code');
  const cell = notebook.activeCell;
  if (!cell || cell.model.type !== 'code')
    throw new Error('the notebook has no active cell. Fix: click into the notebook and try again.');
  return cell.model as ICodeCellModel;
}

/** Inserts the loading cell below the active cell of the current (or a new) notebook. */
export async function useInNotebook(
  app: JupyterFrontEnd,
  tracker: INotebookTracker | null,
  session: SignedIn,
  view: string,
  experiment: string,
): Promise<NotebookPanel> {
  const panel = await targetNotebook(app, tracker);
  const cell = newCodeCell(panel);
  cell.sharedModel.setSource(loadViewCode(view, session.client.parquetUrl(view, experiment)));
  app.shell.activateById(panel.id);
  await giveKernelToken(app, panel, session);
  return panel;
}

/**
 * Inserts a cell whose output is the DP release (its MIME bundle plus a text fallback). The
 * source only names the release: the numbers live in the output, which re-running would clear.
 */
export async function insertRelease(
  app: JupyterFrontEnd,
  tracker: INotebookTracker | null,
  release: DpRelease,
): Promise<NotebookPanel> {
  const panel = await targetNotebook(app, tracker);
  const cell = newCodeCell(panel);
  const sql = release.sql.split('\n').map((line) => `#   ${line}`);
  cell.sharedModel.setSource(
    [`# Privet DP release ${release.releaseId} (output below; do not re-run)`, ...sql].join('\n'),
  );
  cell.outputs.add({
    output_type: 'display_data',
    data: {
      [DP_RELEASE_MIME_TYPE]: JSON.parse(JSON.stringify(release)) as Record<string, never>,
      'text/plain': releaseText(release),
    },
    metadata: {},
  });
  app.shell.activateById(panel.id);
  return panel;
}
