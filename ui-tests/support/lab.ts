/** Shared steps of the JupyterLab UI tests: open the app, the Privet panel, and sign in. */
import { expect, type Page } from '@playwright/test';
import { uiTestEnv } from './env.js';

/** Folder the tests' named screenshots go to (git-ignored, under test-results/). */
export const SHOTS = 'test-results/ui-screenshots';

/** Opens JupyterLab (token login) and waits for the shell to be ready. */
export async function openLab(page: Page): Promise<void> {
  await page.goto(`${uiTestEnv().jupyterUrl}/lab?token=${uiTestEnv().jupyterToken}`);
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.locator('.jp-LabShell')).toBeVisible();
}

/**
 * Opens the Privet sidebar through its tab. A click on the current tab collapses the sidebar, and
 * the layout restorer may open it on its own after a reload, so click only while it is hidden.
 */
export async function openPanel(page: Page): Promise<void> {
  const tab = page.locator('.jp-SideBar .lm-TabBar-tab[data-id="privet-data-panel"]');
  const title = page.locator('#privet-data-panel .jp-Privet-title');
  await expect(tab).toBeVisible();
  await expect(async () => {
    if (!(await title.isVisible())) {
      const current = ((await tab.getAttribute('class')) ?? '').includes('lm-mod-current');
      if (!current) await tab.click();
    }
    await expect(title).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
}

/** Switches JupyterLab's theme through Settings → Theme and waits for the page to show it. */
export async function useTheme(
  page: Page,
  name: 'JupyterLab Dark' | 'JupyterLab Light',
): Promise<void> {
  await page.locator('#jp-menu-panel').getByText('Settings', { exact: true }).click();
  await page.getByText('Theme', { exact: true }).hover();
  await page.getByText(name, { exact: true }).click();
  const light = name === 'JupyterLab Light' ? 'true' : 'false';
  await expect(page.locator(`body[data-jp-theme-light="${light}"]`)).toHaveCount(1);
}

/** Drags the left sidebar's split handle to the x that `to` gives for its current centre. */
async function dragLeftHandle(page: Page, to: (x: number) => number): Promise<void> {
  const handle = page.locator('#jp-main-split-panel > .lm-SplitPanel-handle').first();
  const box = await handle.boundingBox();
  if (!box) return;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(to(x), y, { steps: 5 });
  await page.mouse.up();
}

/** Widens the left sidebar (drag its split handle) so tables fit in screenshots. */
export async function widenSidebar(page: Page, by: number): Promise<void> {
  await dragLeftHandle(page, (x) => x + by);
}

/**
 * Lays the shell out for reading the main area, whatever earlier tests left (the layout is
 * kept between page loads): the right sidebar closed, the left one's edge at `leftEdge` px.
 */
export async function roomForMainArea(page: Page, leftEdge: number): Promise<void> {
  const rightOpen = page.locator('.jp-SideBar.jp-mod-right .lm-TabBar-tab.lm-mod-current');
  if ((await rightOpen.count()) > 0) await rightOpen.first().click();
  await dragLeftHandle(page, () => leftEdge);
}

/** Fills the sign-in form (gateway URL comes from the seeded settings) and submits. */
export async function signIn(page: Page, token: string): Promise<void> {
  const panel = page.locator('#privet-data-panel');
  await expect(panel.locator('input[name="privet-gateway-url"]')).toHaveValue(
    uiTestEnv().gatewayUrl,
  );
  await panel.locator('input[name="privet-token"]').fill(token);
  await panel.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Answers "Sign in to Privet?", which a sign-in link asks in a tab nobody is signed in to unless
 * it names the user this browser last signed in as: "Sign in as <name>" (the link's user).
 */
export async function acceptLinkSignIn(page: Page, name: string | RegExp = /.+/): Promise<void> {
  const ask = page.locator('.jp-Dialog-content').filter({ hasText: 'Sign in to Privet?' });
  await expect(ask).toBeVisible({ timeout: 30_000 });
  const label = typeof name === 'string' ? `Sign in as ${name}` : /^Sign in as /;
  await ask.getByRole('button', { name: label }).click();
  await expect(ask).toHaveCount(0);
}
