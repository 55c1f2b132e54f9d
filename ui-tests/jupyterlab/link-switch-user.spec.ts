/**
 * A sign-in link for another user opened in a tab that is already signed in (login CSRF: anyone
 * can send a link carrying their own token). The tab asks before switching: "Keep …" (focused,
 * also Escape) leaves the user signed in, "Sign in as …" switches, and a link whose token the
 * gateway refuses changes nothing and says so. The token leaves the address bar at once. A new
 * tab of the same browser opened with someone else's link asks too, and declines by default.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { openLab, openPanel, signIn, SHOTS } from '../support/lab.js';

const env = uiTestEnv();

/** Signs alice in through the panel's form, as a user does before getting the link. */
async function signInAlice(page: Page): Promise<Locator> {
  await openLab(page);
  await openPanel(page);
  await signIn(page, env.tokens.alice!);
  const user = page.locator('#privet-data-panel .jp-Privet-user');
  await expect(user).toContainText('Alice Analyst');
  return user;
}

/**
 * Opens the sign-in link for `token` in this tab. From another page first: a goto that changed
 * only the fragment would not load JupyterLab again, as opening a link does.
 */
async function openLink(page: Page, token: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${env.jupyterUrl}/lab?token=${env.jupyterToken}#privet-token=${token}`);
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0, { timeout: 60_000 });
}

/** The JupyterLab dialog titled `title`. */
function dialog(page: Page, title: string): Locator {
  return page.locator('.jp-Dialog-content').filter({ hasText: title });
}

/** This tab's sessionStorage as text, to check which tokens it keeps. */
function tabStorage(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify(window.sessionStorage));
}

test.describe('a sign-in link for another user', () => {
  test('asks first; Keep (the default, Escape) leaves the user signed in', async ({ page }) => {
    const user = await signInAlice(page);
    await openLink(page, env.tokens.bob!);
    const ask = dialog(page, 'Switch Privet user?');
    await expect(ask).toBeVisible();
    await expect(ask).toContainText('sign-in link for Bob Analyst (bob · analyst)');
    await expect(ask).toContainText('signed in as Alice Analyst (alice · analyst)');
    expect(page.url()).not.toContain('privet-token');
    const keep = ask.getByRole('button', { name: 'Keep Alice Analyst' });
    await expect(keep).toBeFocused();
    await expect(ask.getByRole('button', { name: 'Sign in as Bob Analyst' })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/link-switch-user-dialog.png` });
    await page.keyboard.press('Escape');
    await expect(ask).toHaveCount(0);
    await openPanel(page);
    await expect(user).toContainText('Alice Analyst');
    expect(await tabStorage(page)).not.toContain(env.tokens.bob!);
    await page.reload();
    await openPanel(page);
    await expect(user).toContainText('Alice Analyst');
  });

  test('"Sign in as …" switches to the link\'s user', async ({ page }) => {
    const user = await signInAlice(page);
    await openLink(page, env.tokens.bob!);
    const ask = dialog(page, 'Switch Privet user?');
    await ask.getByRole('button', { name: 'Sign in as Bob Analyst' }).click();
    await expect(ask).toHaveCount(0);
    await openPanel(page);
    await expect(user).toContainText('Bob Analyst');
    await expect(user).toContainText('(bob)');
    const kept = await tabStorage(page);
    expect(kept).toContain(env.tokens.bob!);
    expect(kept).not.toContain(env.tokens.alice!);
  });

  test('a link whose token the gateway refuses changes nothing and says so', async ({ page }) => {
    const user = await signInAlice(page);
    await openLink(page, 'pvt_not_a_token_of_anyone_0000');
    const told = dialog(page, 'Sign-in link refused');
    await expect(told).toContainText('the bearer token is not valid');
    await expect(told).toContainText('still signed in as Alice Analyst (alice · analyst)');
    await expect(page.locator('.jp-Dialog-content')).toHaveCount(1); // nothing else to answer
    await page.screenshot({ path: `${SHOTS}/link-switch-user-refused.png` });
    await told.getByRole('button', { name: 'OK' }).click();
    await openPanel(page);
    await expect(user).toContainText('Alice Analyst');
  });

  test("a new tab of the same browser opened with bob's link asks; Don't sign in is the default", async ({
    page,
  }) => {
    await signInAlice(page);
    const other = await page.context().newPage(); // its own sessionStorage: nobody signed in
    try {
      await openLink(other, env.tokens.bob!);
      const ask = dialog(other, 'Sign in to Privet?');
      await expect(ask).toContainText('sign-in link for Bob Analyst (bob · analyst)');
      await expect(ask).toContainText('In this browser you last signed in as alice');
      await expect(ask.getByRole('button', { name: "Don't sign in" })).toBeFocused();
      await other.screenshot({ path: `${SHOTS}/link-first-sign-in-other-user.png` });
      await other.keyboard.press('Escape');
      await expect(ask).toHaveCount(0);
      await openPanel(other);
      await expect(other.locator('#privet-data-panel input[name="privet-token"]')).toBeVisible();
      expect(await tabStorage(other)).not.toContain(env.tokens.bob!);
      expect(other.url()).not.toContain('privet-token');
    } finally {
      await other.close();
    }
  });
});
