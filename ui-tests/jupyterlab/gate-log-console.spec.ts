/**
 * JupyterLab's Log Console (at level "info") shows every kernel output message again as an entry
 * of its own, rendered through the notebook's gated registry but outside any cell. The gate checks
 * those entries as one stream, as in a cell: an address written in two parts a second and a half
 * apart is held there too, both entries, never drawn. The entry that completes it can be sent
 * for review from there.
 */
import { expect, test } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { openPanel } from '../support/lab.js';
import { notebookWithView, runNewCell } from '../support/notebook.js';
import { requestReviewId } from '../support/review.js';
import type { ReviewRequest } from '@privet/core/protocol';

const env = uiTestEnv();
const run = Date.now().toString(36);

test('kernel output in the Log Console is checked across its entries', async ({ page }) => {
  await notebookWithView(page, env.tokens.alice!, 'visits_masked');
  await page.getByRole('menubar').getByRole('menuitem', { name: 'View', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Show Log Console' }).click();
  const log = page.locator('.jp-LogConsolePanel');
  await expect(log).toBeVisible();
  await page
    .locator('select')
    .filter({ has: page.locator('option[value="info"]') })
    .first()
    .selectOption('info');

  // Two stream messages 1.5 s apart: two Log Console entries, neither an address alone.
  const user = `log.${run}`;
  const cell = await runNewCell(
    page,
    `log-console-${run}`,
    [
      'import sys, time',
      `sys.stdout.write("mail ${user}" + "@exa"); sys.stdout.flush(); time.sleep(1.5); sys.stdout.write("mple.org" + chr(10)); sys.stdout.flush()`,
    ].join('\n'),
  );
  // In the cell the two parts merge into one output, held as usual.
  await expect(cell.locator('.jp-Privet-held li[data-rule="email"]')).toBeVisible({
    timeout: 30_000,
  });
  await expect(log.locator('.jp-Privet-held li[data-rule="email"]').first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(log.locator('.jp-Privet-held')).toHaveCount(2, { timeout: 30_000 });
  await expect(log.getByText(`${user}@exa`)).toHaveCount(0);
  await expect(log.getByText('mple.org')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/ui-screenshots/log-console-held.png' });

  // The entry that completes the address can be sent for review from the Log Console: the
  // reviewer gets the output with the earlier entry as its stream context and the notebook's
  // path, but no cell (the Log Console does not say which cell printed it).
  const own = log.locator('.jp-Privet-held:not([data-state="with-stream"])');
  await expect(own).toHaveCount(1);
  const reviewId = await requestReviewId(page, own, `Log Console entry ${run}`);
  const response = await fetch(`${env.gatewayUrl}/api/v1/reviews/${reviewId}`, {
    headers: { authorization: `Bearer ${env.tokens.rita!}` },
  });
  expect(response.status).toBe(200);
  const review = (await response.json()) as ReviewRequest;
  expect(review.justification).toBe(`Log Console entry ${run}`);
  expect(review.findings.map((f) => f.rule)).toContain('email');
  expect(review.notebook).toMatch(/\.ipynb$/);
  expect(review.cellIndex).toBeUndefined();
  await openPanel(page);
});
