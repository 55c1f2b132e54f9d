/**
 * "Privet: New SQL Cell for View": the inline action on a view in the Privet tree opens a new
 * notebook with Privet SQL as its kernel and a cell counting the view's rows (its columns named in a
 * comment), which runs in duckdb-wasm and is shown (a count passes the review check);
 * the same command from the palette, with a DP view picked, inserts a DP cell below the active one
 * in that notebook, and running it shows the dry run at the default ε, nothing spent. A view of an
 * experiment still a proposal is refused with the fix, and the current experiment stays. "New Python
 * Cell for View" writes a cell loading a view with pandas from a download link that holds no token
 * and works once (fetched here as the kernel would); it opens a notebook of its own, as the active
 * one runs Privet SQL. A saved notebook of Privet SQL cells, just opened (no kernel picked yet),
 * gets the SQL cell below its own, and Privet SQL as its kernel.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import {
  cell,
  cellLanguage,
  closeAllEditors,
  openNotebookAlone,
  openWorkbench,
  outputFrame,
  pick,
  runCell,
  runCommand,
  shot,
  signInAs,
} from './support/workbench.js';

const env = vscodeTestEnv();

/** The Privet tree's row of the view `name` (its inline buttons show while it is hovered). */
const viewRow = (page: Page, name: string): Locator =>
  page
    .locator('.pane-body .monaco-list-row')
    .filter({ has: page.getByText(name, { exact: true }) })
    .first();

/** The cells of the notebook shown (a notebook in a hidden tab keeps its cells in the page). */
const shownCells = (page: Page): Locator =>
  page.locator('.notebookOverlay:visible .monaco-list-row.code-cell-row');

reportPrivetLogOnFailure(env);

test('a view of the Privet tree opens in a Privet SQL cell; a DP view is priced, not spent', async ({
  page,
}) => {
  await openWorkbench(page, env.url);
  await closeAllEditors(page);
  await signInAs(page, 'alice', env.tokens.alice!);

  await test.step('the tree’s inline action opens a new Privet SQL notebook with a count cell', async () => {
    await page
      .locator('.activitybar a[aria-label="Privet"], .activitybar [aria-label="Privet"]')
      .first()
      .click();
    const row = viewRow(page, 'patients_masked');
    await row.hover();
    await shot(page, '89-query-view-action');
    await row.getByRole('button', { name: 'New SQL Cell for View' }).click();
    await expect(page.locator('.notebookOverlay')).toBeVisible();
    await expect(cell(page, 0)).toContainText('SELECT COUNT(*) AS n FROM "patients_masked"');
    await expect(cell(page, 0)).toContainText('-- patients_masked (masked): patient_id');
    await expect(cellLanguage(page, 0)).toHaveText('Privet SQL');
    await expect(
      page.locator('.notebookOverlay, .part.editor').getByText('Privet SQL').first(),
    ).toBeVisible();
    await runCell(page, 0);
    const table = outputFrame(page).locator('table.privet-result').first();
    await expect(table).toBeVisible();
    await expect(table.locator('th').filter({ hasText: /^n$/ }).first()).toBeVisible();
    await expect(outputFrame(page).getByText(/Privet withheld/)).toHaveCount(0);
    await shot(page, '90-query-view-masked');
  });

  await test.step('from the palette, a DP view’s cell goes below and is priced on Run', async () => {
    await cell(page, 0).locator('.monaco-editor .view-lines').click();
    await runCommand(page, 'Privet: New SQL Cell for View');
    await pick(page, 'patients_dp');
    await expect(cell(page, 1)).toContainText('SELECT COUNT(*) AS n FROM "patients_dp"');
    await expect(cell(page, 1)).toContainText('-- privet: epsilon=0.5');
    // The cursor waits at the end of the query: the user goes on typing.
    await expect(cell(page, 1).locator('.monaco-editor.focused')).toHaveCount(1);
    await page.keyboard.type(' WHERE sex IS NOT NULL');
    await expect(cell(page, 1)).toContainText('FROM "patients_dp" WHERE sex IS NOT NULL');
    await runCommand(page, 'Notebook: Execute Cell');
    await expect(
      outputFrame(page).getByText(/Privet DP dry run \(nothing spent yet\)/),
    ).toBeVisible();
    await expect(
      page.locator('.notification-toast').filter({ hasText: /would spend ε = 0\.5 on patients/ }),
    ).toBeVisible();
    await shot(page, '91-query-view-dp');
  });

  await test.step('a Python cell loads a view from a one-use link, in a notebook of its own', async () => {
    // The active notebook runs Privet SQL, so the Python cell opens a new notebook.
    await runCommand(page, 'Privet: New Python Cell for View');
    await pick(page, 'visits_masked');
    await expect(page.locator('.tab.active')).toContainText('Untitled-2.ipynb');
    const python = shownCells(page).first();
    await expect(python).toContainText('the approved view "visits_masked" (experiment ui-study)');
    await expect(python.locator('.cell-status-right .cell-status-item').last()).toHaveText(
      'Python',
    );
    await shot(page, '92-python-cell-for-view');
    const text = (await python.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
    const url = /http:\/\/127\.0\.0\.1:\d+\/api\/v1\/tickets\/pvt_tkt_[\w-]{43}\/parquet/.exec(
      text,
    )?.[0];
    expect(url, text).toBeDefined();
    for (const token of Object.values(env.tokens)) expect(text).not.toContain(token);
    // What the kernel's pandas does with the link, done here: once, then the link is gone.
    const first = await fetch(url!);
    expect(first.status).toBe(200);
    expect(
      Buffer.from(await first.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('PAR1');
    expect((await fetch(url!)).status).toBe(410);
    // A DP view has no rows to load: no Python button on it.
    const dpRow = viewRow(page, 'patients_dp');
    await dpRow.hover();
    await expect(dpRow.getByRole('button', { name: 'New SQL Cell for View' })).toBeVisible();
    await expect(dpRow.getByRole('button', { name: 'New Python Cell for View' })).toHaveCount(0);
  });

  await test.step('a view of a proposal is refused with the fix; nothing inserted or switched', async () => {
    const row = viewRow(page, 'visits_dp');
    await row.hover();
    await row.getByRole('button', { name: 'New SQL Cell for View' }).click();
    await expect(
      page
        .locator('.notification-toast')
        .getByText(
          /Privet: cannot query visits_dp: the experiment ui-pending is a proposal, not approved yet.*Fix: wait until a steward approves it/,
        ),
    ).toBeVisible();
    await expect(page.locator('.pane-body').getByText('UI study (current)')).toBeVisible();
    await expect(shownCells(page)).toHaveCount(1, { timeout: 5_000 });
  });
  await closeAllEditors(page);
});

test('a notebook of Privet SQL cells just opened gets the cell, and Privet SQL as its kernel', async ({
  page,
}) => {
  const file = 'sql-only.ipynb';
  const path = join(env.workspace, file);
  const sqlCell = {
    cell_type: 'code',
    execution_count: null,
    metadata: { vscode: { languageId: 'privet-sql' } },
    outputs: [],
    source: ['SELECT 1 AS one'],
  };
  writeFileSync(
    path,
    JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [sqlCell] }),
  );
  try {
    await openWorkbench(page, env.url);
    await signInAs(page, 'alice', env.tokens.alice!);
    await openNotebookAlone(page, file);
    await cell(page, 0).locator('.monaco-editor .view-lines').click();
    await runCommand(page, 'Privet: New SQL Cell for View');
    await pick(page, 'patients_masked');
    await expect(page.locator('.tab.active')).toContainText(file);
    await expect(cell(page, 1)).toContainText('SELECT COUNT(*) AS n FROM "patients_masked"');
    // The notebook toolbar's kernel picker names the kernel selected.
    await expect(page.locator('.kernel-action-view-item:visible')).toContainText('Privet SQL');
    await runCell(page, 1);
    await expect(outputFrame(page).locator('table.privet-result').first()).toBeVisible();
    await shot(page, '93-query-view-sql-notebook');
  } finally {
    await closeAllEditors(page);
    rmSync(path, { force: true });
  }
});
