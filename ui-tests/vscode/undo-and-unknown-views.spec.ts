/**
 * What the host gate keeps out of the notebook document, read back from the saved .ipynb.
 * Undo: the gate swaps a flagged cell for one with the placeholder, an undoable edit, so Ctrl+Z
 * brings the original cell back; the gate checks added cells and holds it again, and the save right
 * after it writes the new placeholder, never the address. Views unknown (signed out): a masked
 * view's rows from another kernel are held in the document too (fail closed, as in JupyterLab),
 * like any possible table of rows; once signed in, a harmless table is put back and the masked rows
 * stay held. Runs after the other VS Code specs (file order): it signs out and writes its own
 * notebooks into the workspace.
 */
import { expect, test } from '@playwright/test';
import {
  DISPLAY_CELLS,
  DISPLAYED_ROW_MARK,
  ECHOED_EMAIL,
  MONTHLY_TOTAL,
  MONTHLY_VISITS_HTML,
} from './support/demo-notebook.js';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import {
  hostPlaceholders,
  saveAndWait,
  savedOutputs,
  useEchoKernel,
  writeNotebook,
} from './support/saved-notebook.js';
import {
  cell,
  openNotebookAlone,
  openWorkbench,
  outputFrame,
  runCell,
  runCommand,
  shot,
  signInAs,
  signOut,
} from './support/workbench.js';

const env = vscodeTestEnv();

reportPrivetLogOnFailure(env);

const PLACEHOLDER = 'application/vnd.privet.withheld+json';

/** An echo-kernel cell displaying the harmless monthly table. */
const MONTHLY_VISITS = `# display: text/html\n${MONTHLY_VISITS_HTML}`;

/** The held ids of the placeholders in saved cell outputs. */
function heldIds(outputs: string): string[] {
  return [...outputs.matchAll(/\\?"heldId\\?":\s*\\?"([^"\\]+)/g)].map((m) => m[1]!);
}

test('undo of the gate’s swap does not bring the withheld output back into the saved file', async ({
  page,
}) => {
  const path = writeNotebook(env.workspace, 'undo-gate.ipynb', [
    `# echo: ${ECHOED_EMAIL.replace('@', '[at]')}`,
  ]);
  await openWorkbench(page, env.url);
  await signOut(page);
  await openNotebookAlone(page, 'undo-gate.ipynb');
  await useEchoKernel(page);
  await runCell(page, 0);
  await expect(hostPlaceholders(page).first()).toBeVisible();
  await saveAndWait(page, path);
  const first = savedOutputs(path)[0]!;
  expect(first).toContain(PLACEHOLDER);
  expect(first).not.toContain(ECHOED_EMAIL);
  const [heldBefore] = heldIds(first);
  expect(heldBefore, 'the saved placeholder names its held original').toBeDefined();

  // Notebook focus (not the cell editor, whose Ctrl+Z undoes text): undo the swap, save at once.
  await page.keyboard.press('Escape');
  await expect(cell(page, 0).locator('.monaco-editor.focused')).toHaveCount(0);
  await page.keyboard.press('Control+Z');
  await saveAndWait(page, path);
  const after = savedOutputs(path)[0]!;
  await shot(page, '50-undo-held-again');
  expect(after, 'the undone swap’s original never reaches the file').not.toContain(ECHOED_EMAIL);
  expect(after).toContain(PLACEHOLDER);
  const [heldAfter] = heldIds(after);
  expect(heldAfter, 'the undo happened: a new placeholder holds the original again').not.toBe(
    heldBefore,
  );
});

test('views unknown: a table of rows is held in the document, and put back once it passes', async ({
  page,
}) => {
  const path = writeNotebook(env.workspace, 'views-unknown.ipynb', [
    DISPLAY_CELLS.maskedRows,
    MONTHLY_VISITS,
  ]);
  await openWorkbench(page, env.url);
  // Signed out: the list of views is unknown.
  await signOut(page);
  await openNotebookAlone(page, 'views-unknown.ipynb');
  await useEchoKernel(page);
  await runCommand(page, 'Notebook: Run All');
  // Both possible tables are held by the host (the renderer alone would hold them on screen only).
  await expect(hostPlaceholders(page)).toHaveCount(2);
  await expect(
    outputFrame(page).getByText(/Privet withheld this output \(flag: row-level\)/),
  ).toHaveCount(2);
  await shot(page, '51-views-unknown-held');
  await saveAndWait(page, path);
  const [rows, visits] = savedOutputs(path);
  expect(rows, 'the masked view’s rows are not in the saved file').not.toContain(
    DISPLAYED_ROW_MARK,
  );
  expect(rows).toContain(PLACEHOLDER);
  expect(visits).not.toContain(MONTHLY_TOTAL);
  expect(visits).toContain(PLACEHOLDER);

  // Signed in, the views are known: the harmless table passes and is put back; the masked view's
  // rows are row-level data and stay held.
  await signInAs(page, 'alice', env.tokens.alice!);
  await expect(outputFrame(page).getByText(MONTHLY_TOTAL, { exact: true })).toBeVisible();
  await expect(hostPlaceholders(page)).toHaveCount(1);
  await shot(page, '52-views-known-restored');
  await saveAndWait(page, path);
  const [rowsKnown, visitsKnown] = savedOutputs(path);
  expect(rowsKnown).not.toContain(DISPLAYED_ROW_MARK);
  expect(rowsKnown).toContain(PLACEHOLDER);
  expect(visitsKnown).toContain(MONTHLY_TOTAL);
  expect(visitsKnown).not.toContain(PLACEHOLDER);
});
