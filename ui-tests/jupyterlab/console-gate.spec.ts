/**
 * A code console is gated like a notebook: what passes review shows, a held output shows the
 * placeholder and never reaches the page until a reviewer approves it; the review request carries
 * the console's path and the cell's code.
 */
import { expect, test } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { openLab, openPanel, signIn, SHOTS } from '../support/lab.js';
import { approveReview, requestReviewId } from '../support/review.js';

const env = uiTestEnv();
const run = Date.now().toString(36);

test('a code console holds an email until a reviewer approves it', async ({ page }) => {
  await openLab(page);
  await openPanel(page);
  await signIn(page, env.tokens.alice!);
  await expect(page.locator('#privet-data-panel .jp-Privet-user')).toContainText('Alice');
  // File → New → Console, then the kernel dialog (retried: the menu can close while restoring).
  const menuBar = page.locator('#jp-menu-panel');
  await expect(async () => {
    await menuBar.getByText('File', { exact: true }).click();
    await page.locator('.lm-Menu').getByText('New', { exact: true }).hover({ timeout: 2000 });
    await page.locator('.lm-Menu').getByText('Console', { exact: true }).click({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  const dialog = page.locator('.jp-Dialog');
  await dialog.getByRole('button', { name: 'Select' }).click();
  const prompt = page.locator('.jp-CodeConsole-promptCell .jp-InputArea-editor');
  await expect(prompt).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.jp-StatusBar-TextItem', { hasText: 'Idle' })).toHaveCount(1, {
    timeout: 60_000,
  });

  const consoleCells = page.locator('.jp-CodeConsole-content .jp-CodeCell');
  // Run until the kernel took it (a run while the kernel attaches is skipped), bounded.
  const runInConsole = async (code: string, marker: string): Promise<void> => {
    await expect(async () => {
      await prompt.click();
      await page.keyboard.press('Control+a');
      await page.keyboard.insertText(`# ${marker}\n${code}`);
      await page.keyboard.press('Shift+Enter');
      await expect(consoleCells.filter({ hasText: marker })).toHaveCount(1, { timeout: 5000 });
    }).toPass({ timeout: 60_000 });
  };
  await runInConsole('print(40 + 2)', `pass-${run}`);
  const passed = consoleCells.filter({ hasText: `pass-${run}` });
  await expect(passed.locator('.jp-OutputArea-output')).toContainText('42', { timeout: 30_000 });

  const email = `con.${run}@example.org`;
  await runInConsole(`print("con.${run}" + "@" + "example.org")`, `held-${run}`);
  const held = consoleCells.filter({ hasText: `held-${run}` });
  await expect(held.locator('.jp-Privet-held li[data-rule="email"]')).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.locator('body')).not.toContainText(email);
  await page.screenshot({ path: `${SHOTS}/console-held.png` });

  // Request review: the justification dialog, then the pending state with the review's id.
  const reviewId = await requestReviewId(page, held, 'Test address, not a person');
  const review = (await (
    await fetch(`${env.gatewayUrl}/api/v1/reviews/${reviewId}`, {
      headers: { authorization: `Bearer ${env.tokens.rita!}` },
    })
  ).json()) as { cellSource?: string; notebook?: string };
  expect(review.cellSource).toContain(`held-${run}`);
  expect(review.notebook ?? '').not.toBe('');

  // Approved, the output shows in the console.
  await approveReview(env, reviewId, 'A made-up address used in a test');
  await expect(held.locator('.jp-OutputArea-output')).toContainText(email, { timeout: 30_000 });
  await expect(held.locator('.jp-Privet-held')).toHaveCount(0);
});
