/**
 * Another kernel's output is checked before VS Code draws it: a stand-in third-party kernel
 * (fixtures/echo-kernel) streams an address in two pieces; the gate renderer holds it from the
 * first frame, and the extension host then swaps in the placeholder. A watch in every frame
 * proves the address was never in any document, not even for a moment. A table it prints row by
 * row with progress on stderr between the rows arrives as separate stdout outputs: the row that
 * makes a small count of the table is held, checked after the rows before it (alone it passes).
 */
import { expect, test } from '@playwright/test';
import { ECHOED_EMAIL, SPLIT_SMALL_ROW } from './support/demo-notebook.js';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import { leakSeen, watchForLeak } from './support/leak-watch.js';
import {
  cell,
  openNotebookAlone,
  openWorkbench,
  outputFrame,
  pick,
  quickInput,
  runCell,
  runCommand,
  shot,
  signInAs,
} from './support/workbench.js';

const env = vscodeTestEnv();

reportPrivetLogOnFailure(env);

test('a streamed address from another kernel is never drawn', async ({ page }) => {
  await page.context().addInitScript(watchForLeak, ECHOED_EMAIL);
  await openWorkbench(page, env.url);
  // Editors restored from earlier tests would add their own output webviews: close them all.
  await openNotebookAlone(page, 'echo-demo.ipynb');
  await runCommand(page, 'Notebook: Select Notebook Kernel');
  await pick(page, 'Echo kernel (test)');
  await runCell(page, 0);
  await expect(
    outputFrame(page)
      .getByText(/Privet withheld this output/)
      .first(),
  ).toBeVisible();
  // Past the second piece (300 ms) and the host's placeholder swap.
  await expect(
    outputFrame(page)
      .getByText(/"Request Review" on this cell/)
      .first(),
  ).toBeVisible();
  const seen = await leakSeen(page);
  expect(seen.withheld, `the watcher ran in the output frame: ${seen.frames}`).toBe(true);
  expect(seen.leaked, 'the streamed address was never in any frame').toBe(false);
  await shot(page, '20-streamed-output-held');
});

test('a table split into outputs by stderr writes is held at the row that completes it', async ({
  page,
}) => {
  await page.context().addInitScript(watchForLeak, SPLIT_SMALL_ROW);
  await openWorkbench(page, env.url);
  await signInAs(page, 'alice', env.tokens.alice!);
  await openNotebookAlone(page, 'echo-split.ipynb');
  await runCommand(page, 'Notebook: Select Notebook Kernel');
  await pick(page, 'Echo kernel (test)');
  await runCell(page, 0);
  const frame = outputFrame(page);
  // The header passes alone and is drawn; the row that makes the table's small count is held.
  // (The swap replaces the running cell, so VS Code drops what the kernel writes after it.)
  await expect(frame.getByText(/"Request Review" on this cell/).first()).toBeVisible();
  await expect(frame.getByText(/ward count/).first()).toBeVisible();
  await expect(frame.getByText(/small-cell/).first()).toBeVisible();
  const seen = await leakSeen(page);
  expect(seen.withheld, `the watcher ran in the output frame: ${seen.frames}`).toBe(true);
  expect(seen.leaked, 'the small count was never in any frame').toBe(false);
  await shot(page, '21-split-stream-held');
  // The review request carries the parts before it, so the gateway's check holds it too (alone,
  // it would answer that the output needs no review).
  await cell(page, 0).getByText('Request Review').click();
  const input = quickInput(page).locator('input');
  await expect(input).toBeVisible();
  await input.fill('ward sizes are published yearly');
  await input.press('Enter');
  const sent = page.locator('.notification-toast').getByText(/Privet: review request \S+ sent/);
  await expect(sent).toBeVisible();
  const reviewId = /review request (\S+) sent/.exec((await sent.textContent()) ?? '')?.[1];
  const response = await fetch(`${env.gatewayUrl}/api/v1/reviews/${reviewId}`, {
    headers: { Authorization: `Bearer ${env.tokens.rita}` },
  });
  expect(response.status).toBe(200);
  const review = (await response.json()) as { findings: { rule: string }[] };
  expect(review.findings.map((f) => f.rule)).toContain('small-cell');
});
