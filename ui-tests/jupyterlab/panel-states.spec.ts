/**
 * The data panel when the gateway does not answer: a tab reloaded while it is down says so (its
 * URL, how to fix it) and Retry resumes the kept sign-in; the views and experiments lists say
 * they failed, with Retry / Refresh, instead of looking empty.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { openLab, openPanel, signIn, SHOTS } from '../support/lab.js';

const env = uiTestEnv();

/** Makes every gateway call whose path (after /api/v1) matches `path` fail as if it were down. */
async function gatewayDown(page: Page, path = '**'): Promise<string> {
  const pattern = `${env.gatewayUrl}/api/v1/${path}`;
  await page.route(pattern, (route) => route.abort('connectionrefused'));
  return pattern;
}

/** The data panel, signed in as alice (the tab may already be). */
async function panelSignedIn(page: Page): Promise<Locator> {
  await openLab(page);
  await openPanel(page);
  const panel = page.locator('#privet-data-panel');
  if ((await panel.locator('.jp-Privet-user').count()) === 0) await signIn(page, env.tokens.alice!);
  return panel;
}

test.describe('Privet panel when the gateway does not answer', () => {
  test('a reload while the gateway is down says so, and Retry resumes the sign-in', async ({
    page,
  }) => {
    const panel = await panelSignedIn(page);
    await expect(panel.locator('.jp-Privet-user')).toContainText('Alice Analyst');

    const down = await gatewayDown(page);
    await page.reload();
    await openPanel(page);
    const problem = panel.locator('.jp-Privet-restoreProblem');
    await expect(problem).toContainText(`The Privet gateway at ${env.gatewayUrl} is unreachable`);
    const fix = problem.locator('.jp-Privet-errorFix');
    await expect(fix).toContainText('start the gateway');
    await expect(fix).toContainText('CORS origins include'); // the browser transport's hint
    await page.screenshot({ path: `${SHOTS}/restore-problem.png` });

    // A Retry while still down: the box stays, focus stays on Retry, and the outcome is said.
    const retry = problem.getByRole('button', { name: /^Retry/ });
    await retry.focus();
    await page.keyboard.press('Enter');
    await expect(problem.getByRole('status')).toHaveText(/Retry did not restore your sign-in/);
    await expect(retry).toBeFocused();
    await expect(retry).toHaveText('Retry');

    await page.unroute(down);
    await retry.click();
    await expect(panel.locator('.jp-Privet-user')).toContainText('Alice Analyst');
    await expect(problem).toHaveCount(0);
    await expect(panel.getByRole('status').first()).toHaveText(
      'Sign-in restored: signed in as Alice Analyst.',
    );
  });

  test('lists that fail to load say so once and offer one Retry', async ({ page }) => {
    await openLab(page);
    await openPanel(page);
    const panel = page.locator('#privet-data-panel');
    if ((await panel.locator('.jp-Privet-user').count()) > 0) {
      await panel.getByRole('button', { name: 'Sign out' }).click();
    }
    const views = await gatewayDown(page, 'views');
    const experiments = await gatewayDown(page, 'experiments');
    await signIn(page, env.tokens.alice!);
    await expect(panel.locator('.jp-Privet-user')).toContainText('Alice Analyst');
    // One message for both lists, with one Retry (not an error per list).
    const failed = panel.locator('.jp-Privet-gatewayStatus');
    await expect(failed).toContainText(
      'Could not load the experiments and views: could not reach the Privet gateway',
    );
    await expect(panel.locator('.jp-Privet-error')).toHaveCount(1);
    await expect(panel.getByRole('button', { name: 'Retry' })).toHaveCount(1);
    await expect(panel.getByText('You are in no experiment yet')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/lists-failed.png` });

    await page.unroute(views);
    await page.unroute(experiments);
    await failed.getByRole('button', { name: 'Retry' }).click();
    await expect(panel.locator('.jp-Privet-view').first()).toBeVisible();
    await expect(panel.getByLabel('Experiment')).toHaveValue(env.experiment);
    await expect(failed).toHaveCount(0);
    // Focus goes to the panel's heading, not the page, once the message is gone.
    await expect(panel.locator('.jp-Privet-title')).toBeFocused();
  });

  test('a refresh that fails keeps the experiments and views shown, and says so', async ({
    page,
  }) => {
    const panel = await panelSignedIn(page);
    const picker = panel.getByLabel('Experiment');
    await expect(picker).toHaveValue(env.experiment);
    const cards = panel.locator('.jp-Privet-view');
    await expect(cards.first()).toBeVisible();
    const shown = await cards.count();

    const down = await gatewayDown(page, 'experiments');
    await panel.getByRole('button', { name: 'Refresh experiments' }).click();
    const stale = panel.locator('.jp-Privet-experiment .jp-Privet-stale');
    await expect(stale).toContainText('Could not refresh the experiments');
    await expect(stale).toContainText('could not reach the Privet gateway');
    await expect(picker).toHaveValue(env.experiment, { timeout: 1_000 });
    await expect(panel.locator('.jp-Privet-experimentNote').first()).toContainText(
      'is still selected as the last refresh that worked listed it',
    );
    await expect(cards).toHaveCount(shown);
    await page.screenshot({ path: `${SHOTS}/experiments-stale.png` });

    await page.unroute(down);
    await panel.getByRole('button', { name: 'Refresh experiments' }).click();
    await expect(stale).toHaveCount(0);
    await expect(picker).toHaveValue(env.experiment);
  });
});
