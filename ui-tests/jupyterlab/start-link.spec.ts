/**
 * The link `npm start` prints: a gateway token in the URL fragment signs the tab in, and the
 * token leaves the address bar at once (it never reaches the Jupyter server or a notebook). The
 * tab lands on Privet (link-landing.ts): the data panel, over the file browser a new workspace
 * opens with, or the review queue for a reviewer, also when the tab was signed in as someone else
 * and the user chose to switch.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { acceptLinkSignIn, SHOTS } from '../support/lab.js';

const env = uiTestEnv();

/** Opens a workspace of its own (JupyterLab's default layout: the file browser) with `token`. */
async function openLink(page: Page, token: string, workspace: string): Promise<void> {
  await page.goto('about:blank'); // a new page load, as opening a link is
  await page.goto(
    `${env.jupyterUrl}/lab/workspaces/${workspace}?token=${env.jupyterToken}#privet-token=${token}`,
  );
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0, { timeout: 60_000 });
}

/**
 * How many pixels the selected option's label needs beyond the select's room for text (≤ 0: it
 * shows whole), measured with the select's own font.
 */
async function overflowOfSelectedLabel(select: Locator): Promise<number> {
  return select.evaluate((node) => {
    const element = node as HTMLSelectElement;
    const style = getComputedStyle(element);
    const context = document.createElement('canvas').getContext('2d');
    if (!context) throw new Error('no 2D canvas to measure the label with');
    context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const label = element.selectedOptions[0]?.text ?? '';
    const room =
      element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return context.measureText(label).width - room;
  });
}

test('a #privet-token fragment signs the tab in, shows the data panel and leaves the address bar', async ({
  page,
}) => {
  const token = env.tokens.alice!;
  await openLink(page, token, `link-alice-${Date.now()}`);
  // Nobody signed in to Privet in this browser before: the link asks once, "Sign in as" focused.
  const ask = page.locator('.jp-Dialog-content').filter({ hasText: 'Sign in to Privet?' });
  await expect(ask).toContainText('sign-in link for Alice Analyst (alice · analyst)', {
    timeout: 30_000,
  });
  await expect(ask.getByRole('button', { name: 'Sign in as Alice Analyst' })).toBeFocused();
  await page.screenshot({ path: `${SHOTS}/link-first-sign-in.png` });
  await page.keyboard.press('Enter');
  await expect(ask).toHaveCount(0);
  // No click on the Privet tab: the link brings the panel up over the file browser.
  await expect(page.locator('#privet-data-panel .jp-Privet-user')).toContainText('Alice Analyst', {
    timeout: 30_000,
  });
  await expect(page.locator('#privet-data-panel')).toBeVisible();
  await expect(page.locator('#filebrowser')).toBeHidden();
  // JupyterLab opens a side bar 250 px wide; the panel asks for more, so the picker's label fits.
  const panelBox = await page.locator('#privet-data-panel').boundingBox();
  expect(panelBox?.width ?? 0).toBeGreaterThanOrEqual(300);
  const picker = page.getByRole('combobox', { name: 'Experiment' });
  await expect(picker).toHaveValue('ui-study', { timeout: 30_000 });
  expect(await overflowOfSelectedLabel(picker)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/link-landing.png` });
  expect(page.url()).not.toContain(token);
  expect(page.url()).not.toContain('privet-token');
});

test('a reviewer\u2019s link lands on the review queue', async ({ page }) => {
  await openLink(page, env.tokens.rita!, `link-rita-${Date.now()}`);
  await acceptLinkSignIn(page);
  await expect(page.locator('#privet-review-queue')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#privet-data-panel')).toBeHidden();
  await expect(page.locator('#filebrowser')).toBeHidden();
});

test('a reviewer\u2019s link in a tab signed in as an analyst: after switching, the review queue', async ({
  page,
}) => {
  await openLink(page, env.tokens.alice!, `link-switch-${Date.now()}`);
  await acceptLinkSignIn(page, 'Alice Analyst');
  await expect(page.locator('#privet-data-panel .jp-Privet-user')).toContainText('Alice Analyst', {
    timeout: 30_000,
  });
  await openLink(page, env.tokens.rita!, `link-switch-rita-${Date.now()}`);
  const ask = page.locator('.jp-Dialog-content').filter({ hasText: 'Switch Privet user?' });
  await expect(ask).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#privet-data-panel')).toBeVisible(); // while the question is open
  await ask.getByRole('button', { name: /^Sign in as / }).click();
  await expect(page.locator('#privet-review-queue')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('#privet-data-panel')).toBeHidden();
});
