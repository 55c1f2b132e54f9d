/**
 * A held output whose review state the gateway cannot tell (its review lookup does not answer)
 * says so, with the gateway client's error and fix, and offers "Check again" beside "Clear
 * output"; once the gateway answers, "Check again" asks again and the placeholder offers "Request
 * review". The value never reaches the page.
 */
import { expect, test } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { SHOTS } from '../support/lab.js';
import { notebookWithView, runNewCell } from '../support/notebook.js';

const env = uiTestEnv();
const run = Date.now().toString(36);

test('a held output whose reviews cannot be looked up offers Check again', async ({ page }) => {
  await notebookWithView(page, env.tokens.alice!, 'patients_masked');
  const lookup = `${env.gatewayUrl}/api/v1/reviews/status`;
  await page.route(lookup, (route) => route.abort('connectionrefused'));
  const [user, domain] = [`kim.unavailable.${run}`, 'example.com'];
  const cell = await runNewCell(
    page,
    `gate-unavailable-${run}`,
    `print("Contact: " + ${JSON.stringify(user)} + "@" + ${JSON.stringify(domain)})`,
  );
  const held = cell.locator('.jp-Privet-held');
  await expect(held).toHaveAttribute('data-state', 'unavailable', { timeout: 30_000 });
  const state = held.locator('.jp-Privet-heldState');
  await expect(state).toContainText('choose Check again');
  // The gateway client's own error and fix, not a general "could not be asked".
  await expect(state).toContainText(`could not reach the Privet gateway at ${env.gatewayUrl}`);
  await expect(state).toContainText('Fix: start it');
  await expect(held.getByRole('button', { name: 'Clear output' })).toBeVisible();
  await held.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/held-unavailable.png` });
  await expect(cell).not.toContainText(`${user}@`);

  await page.unroute(lookup);
  await held.getByRole('button', { name: 'Check again' }).click();
  await expect(held).toHaveAttribute('data-state', 'none');
  await expect(held.getByRole('button', { name: 'Request review' })).toBeVisible();
  await expect(held.getByRole('button', { name: 'Check again' })).toHaveCount(0);
});
