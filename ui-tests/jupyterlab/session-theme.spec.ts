/** The Privet panel across reloads (sessionStorage, sign-out) and in the dark theme. */
import { expect, test } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { openLab, openPanel, signIn, SHOTS, useTheme } from '../support/lab.js';

const env = uiTestEnv();

test.describe('Privet panel session and theme', () => {
  test('the panel follows the dark theme (JupyterLab CSS variables only)', async ({ page }) => {
    await openLab(page);
    await openPanel(page);
    await signIn(page, env.tokens.alice!);
    const panel = page.locator('#privet-data-panel');
    await expect(panel.locator('.jp-Privet-user')).toContainText('Alice Analyst');
    const background = (): Promise<string> =>
      panel.evaluate((el) => getComputedStyle(el).backgroundColor);
    const light = await background();
    // The SQL box is JupyterLab's code editor: it follows the theme as the notebook's do.
    const sqlText = (): Promise<string> =>
      panel
        .locator('.jp-Privet-sqlEditor:not(.jp-Privet-dpSql) .cm-content')
        .evaluate((el) => getComputedStyle(el).color);
    const sqlLight = await sqlText();
    await useTheme(page, 'JupyterLab Dark');
    await expect.poll(background).not.toBe(light);
    await expect.poll(sqlText).not.toBe(sqlLight);
    const sqlBox = panel.locator('.jp-Privet-sqlEditor:not(.jp-Privet-dpSql)');
    await sqlBox.scrollIntoViewIfNeeded();
    await sqlBox.screenshot({ path: `${SHOTS}/dark-theme-sql.png` });
    await panel.locator('.jp-Privet-view[data-view="patients_masked"] summary').click();
    // The budget sidebar follows the theme too (opened through its tab only while hidden).
    const budgetTitle = page.locator('#privet-budget .jp-Privet-title');
    if (!(await budgetTitle.isVisible())) {
      await page.locator('.jp-SideBar .lm-TabBar-tab[data-id="privet-budget"]').click();
    }
    await expect(page.locator('#privet-budget .jp-Privet-gaugeBar').first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/dark-theme.png` });
    // Leave the shared workspace in the light theme for the other tests.
    await useTheme(page, 'JupyterLab Light');
  });

  test('sign-in survives a reload of the tab; signing out forgets the token', async ({ page }) => {
    await openLab(page);
    await openPanel(page);
    await signIn(page, env.tokens.alice!);
    const panel = page.locator('#privet-data-panel');
    await expect(panel.locator('.jp-Privet-user')).toContainText('Alice Analyst');
    await page.reload();
    await openPanel(page);
    await expect(panel.locator('.jp-Privet-user')).toContainText('Alice Analyst');
    await panel.getByRole('button', { name: 'Sign out' }).click();
    await expect(panel.locator('.jp-Privet-signIn')).toBeVisible();
    const kept = await page.evaluate(() => JSON.stringify(window.sessionStorage));
    expect(kept).not.toContain(env.tokens.alice!);
    await page.reload();
    await openPanel(page);
    await expect(panel.locator('.jp-Privet-signIn')).toBeVisible();
  });

  test('a new sign-in fetches the views again, so the gateway records who read them', async ({
    page,
  }) => {
    const accessesBy = async (user: string): Promise<number> => {
      const response = await fetch(`${env.gatewayUrl}/api/v1/experiments/${env.experiment}/audit`, {
        headers: { Authorization: `Bearer ${env.tokens.sam!}` },
      });
      expect(response.status).toBe(200);
      const { entries } = (await response.json()) as {
        entries: { actor: string; action: string; subject?: string }[];
      };
      return entries.filter(
        (e) => e.actor === user && e.action === 'view.access' && e.subject === 'patients_masked',
      ).length;
    };
    await openLab(page);
    await openPanel(page);
    const panel = page.locator('#privet-data-panel');
    const query = async (): Promise<void> => {
      await expect(panel.getByLabel('Experiment')).toHaveValue(env.experiment);
      await panel
        .getByLabel('SQL query', { exact: true })
        .fill('SELECT count(*) AS n FROM patients_masked');
      await panel
        .locator('.jp-Privet-sqlActions:not(.jp-Privet-dpActions)')
        .getByRole('button', { name: 'Run', exact: true })
        .click();
      await expect(panel.locator('.jp-Privet-result table')).toBeVisible({ timeout: 90_000 });
    };
    await signIn(page, env.tokens.alice!);
    await expect(panel.locator('.jp-Privet-user')).toContainText('Alice Analyst');
    await query();
    const bobBefore = await accessesBy('bob');
    // Bob, a member of the same experiment, signs in on the same tab: the rows alice's sign-in
    // loaded into the browser engine are dropped, and his query fetches (and records) them anew.
    await panel.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, env.tokens.bob!);
    await expect(panel.locator('.jp-Privet-user')).toContainText('(bob)');
    await query();
    expect(await accessesBy('bob')).toBe(bobBefore + 1);
    await panel.getByRole('button', { name: 'Sign out' }).click();
  });
});
