/**
 * VS Code's Interactive Window (what "Run Current File in Interactive Window" and `# %%` cells of
 * Python files open) is gated like a notebook: the stand-in third-party kernel streams an address
 * there; the gate renderer holds it from the first frame and the extension host swaps in the
 * placeholder, so the window's document (which "Export" writes out) never keeps the address
 * either; the cell's toolbar sends the withheld original for review.
 */
import { expect, test } from '@playwright/test';
import { ECHOED_EMAIL } from './support/demo-notebook.js';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import { leakSeen, watchForLeak } from './support/leak-watch.js';
import {
  closeAllEditors,
  openWorkbench,
  outputFrame,
  paletteLists,
  quickInput,
  runCommand,
  shot,
  signInAs,
} from './support/workbench.js';

const env = vscodeTestEnv();

reportPrivetLogOnFailure(env);

test('an address from another kernel in the Interactive Window is never drawn', async ({
  page,
}) => {
  await page.context().addInitScript(watchForLeak, ECHOED_EMAIL);
  await openWorkbench(page, env.url);
  await signInAs(page, 'alice', env.tokens.alice!);
  // Editors restored from earlier tests would add their own output webviews: close them all.
  await closeAllEditors(page);
  await runCommand(page, 'Echo kernel: Open Interactive Window');
  const inputCell = page.locator('.interactive-editor .input-cell-container');
  const input = inputCell.locator('.input-editor-container .view-lines');
  await expect(input).toBeVisible({ timeout: 30_000 });
  await input.click();
  await page.keyboard.type(`# echo: ${ECHOED_EMAIL.replace('@', '[at]')}`);
  // The input's run button (its key, Enter or Shift+Enter, depends on a setting).
  await inputCell.locator('.run-button-container .action-label').first().click();
  await expect(
    outputFrame(page)
      .getByText(/Privet withheld this output/)
      .first(),
  ).toBeVisible({ timeout: 30_000 });
  // Past the second piece (300 ms): the host's placeholder, which offers a review.
  await expect(
    outputFrame(page)
      .getByText(/"Request Review" on this cell/)
      .first(),
  ).toBeVisible({ timeout: 30_000 });
  // With the keyboard in the window's input box, the cell commands are still in the palette.
  await input.click();
  expect(
    await paletteLists(page, 'Privet: Request Review', 30_000),
    'Request Review is listed while the Interactive Window is the active editor',
  ).toBe(true);
  const seen = await leakSeen(page);
  expect(seen.withheld, `the watcher ran in the output frame: ${seen.frames}`).toBe(true);
  expect(seen.leaked, 'the streamed address was never in any frame').toBe(false);
  await shot(page, '40-interactive-window-held');
  // The Interactive Window shows no extension status bar items: the cell's toolbar offers the
  // review instead, and the request reaches the gateway's queue.
  const cellRow = page.locator('.notebookOverlay .monaco-list-row.code-cell-row').first();
  await cellRow.hover();
  const request = cellRow.getByRole('button', { name: 'Request Review' });
  await expect(request).toBeVisible();
  await shot(page, '41-interactive-window-request-review');
  const justification = quickInput(page).locator('input');
  // The toolbar shows on hover only: hover again if a click landed as it faded.
  await expect(async () => {
    if (!(await justification.isVisible())) {
      await cellRow.hover();
      await request.click({ timeout: 3000 });
    }
    await expect(justification).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 30_000 });
  await justification.fill('Contact list for the study team');
  await justification.press('Enter');
  const sent = page.locator('.notification-toast').getByText(/Privet: review request \S+ sent/);
  await expect(sent).toBeVisible();
  const reviewId = /review request (\S+) sent/.exec((await sent.textContent()) ?? '')?.[1];
  expect(reviewId, 'the toast names the review').toBeDefined();
  // Sent: the toolbar no longer offers it, and the placeholder says it waits for a reviewer.
  await cellRow.hover();
  await expect(request).toHaveCount(0);
  await expect(
    outputFrame(page)
      .getByText(/sent for review and waits for a reviewer/)
      .first(),
  ).toBeVisible();

  // A reviewer approves it (gateway API): the original comes back into the window's cell.
  const decision = await fetch(`${env.gatewayUrl}/api/v1/reviews/${reviewId}/decision`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.tokens.rita!}`, 'content-type': 'application/json' },
    body: JSON.stringify({ decision: 'approve', comment: 'A made-up address used in a test' }),
  });
  expect(decision.status, await decision.clone().text()).toBe(200);
  await runCommand(page, 'Privet: Check Review Status');
  await expect(
    page
      .locator('.notification-toast')
      .getByText(/a reviewer approved 1 withheld output; it is restored/)
      .first(),
  ).toBeVisible();
  await expect(outputFrame(page).getByText(ECHOED_EMAIL).first()).toBeVisible();
  await shot(page, '42-interactive-window-approved');
});
