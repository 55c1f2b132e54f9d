/**
 * "Use in notebook" in a real JupyterLab: the inserted cell loads the view with pandas from the
 * gateway's Parquet URL in the real kernel and prints a summary; rows of the view shown with
 * head() are held by the output gate; a load the gateway refuses says why and how to fix it; no
 * token ever reaches the saved notebook.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { openLab, openPanel, signIn, SHOTS } from '../support/lab.js';
import { runNewCell } from '../support/notebook.js';

const env = uiTestEnv();

test.describe('Privet in notebooks', () => {
  test('"Use in notebook" loads the view with pandas in the kernel; the token stays out of the notebook', async ({
    page,
  }) => {
    await openLab(page);
    await openPanel(page);
    await signIn(page, env.tokens.bob!);
    const panel = page.locator('#privet-data-panel');
    await expect(panel.locator('.jp-Privet-user')).toContainText('Bob Analyst');
    const card = panel.locator('.jp-Privet-view[data-view="visits_masked"]');
    await card.getByRole('button', { name: 'Use in notebook' }).click();

    const notebook = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
    // The cell goes into the current notebook (a new one, or one an earlier test left open and
    // maybe saved with other "Use in notebook" cells): it is the active cell, found by position.
    await expect(notebook.locator('.jp-CodeCell.jp-mod-active .jp-InputArea-editor')).toContainText(
      `visits_masked/parquet?experiment=${env.experiment}`,
    );
    const cells = notebook.locator('.jp-CodeCell');
    const index = await cells.evaluateAll((els) =>
      els.findIndex((e) => e.classList.contains('jp-mod-active')),
    );
    const cell = cells.nth(index);
    await expect(page.locator('.jp-StatusBar-TextItem', { hasText: 'Idle' })).toHaveCount(1, {
      timeout: 60_000,
    });
    // Ctrl+Enter runs the cell in place. A run issued while the new kernel is still attaching is
    // silently skipped by JupyterLab, so run again until it is running or has run.
    const output = cell.locator('.jp-OutputArea-output');
    await expect(async () => {
      await cell.locator('.jp-InputArea-editor').click();
      await page.keyboard.press('Control+Enter');
      await expect(cell.locator('.jp-InputPrompt')).toHaveText(/\[(\d+|\*)\]/, { timeout: 5000 });
    }).toPass({ timeout: 60_000 });
    await expect(output).toContainText(/Loaded visits_masked as visits_masked: [\d,]+ rows/, {
      timeout: 60_000,
    });
    await expect(output).toContainText('department');
    // Rows of a masked view are row-level data: the gate holds them, listing the rule only.
    const rows = await runNewCell(
      page,
      `head-${Date.now().toString(36)}`,
      'visits_masked.head(20)',
    );
    await expect(rows.locator('.jp-Privet-held li[data-rule="row-level"]')).toBeVisible({
      timeout: 30_000,
    });
    await expect(rows.locator('table.dataframe')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/use-in-notebook.png` });

    // A load the gateway refuses (here a token it does not know) says why and how to fix it, in
    // the gateway's words, instead of "HTTP Error 401".
    const refused = await runNewCell(
      page,
      `refused-${Date.now().toString(36)}`,
      [
        'import os',
        '_good = os.environ["PRIVET_TOKEN"]',
        'os.environ["PRIVET_TOKEN"] = "pvt_" + "0" * 43',
        'try:',
        '    exec([s for s in In if s.startswith("# Privet: load the approved view")][-1])',
        'finally:',
        '    os.environ["PRIVET_TOKEN"] = _good',
      ].join('\n'),
    );
    const error = refused.locator('.jp-OutputArea-output');
    await expect(error).toContainText('RuntimeError: Privet: ', { timeout: 30_000 });
    await expect(error).toContainText('Fix: ');
    await expect(error).not.toContainText('HTTP Error 401');

    await page.keyboard.press('Control+s');
    const saved = (): string =>
      readdirSync(env.notebookDir)
        .filter((f) => f.endsWith('.ipynb'))
        .map((f) => readFileSync(join(env.notebookDir, f), 'utf8'))
        .join('\n');
    await expect.poll(saved, { timeout: 30_000 }).toContain('visits_masked/parquet');
    await expect.poll(saved).toContain('department'); // the saved output
    for (const token of Object.values(env.tokens)) expect(saved()).not.toContain(token);
  });
});
