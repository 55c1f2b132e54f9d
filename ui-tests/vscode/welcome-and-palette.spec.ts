/**
 * Signed out, the Privet tree is empty, so VS Code shows its welcome content: what to do and a
 * Sign In button, which signs in. "Privet: Sign Out" is listed in the palette only while signed in
 * (or while a token is stored), and signing out brings the welcome back.
 */
import { expect, test } from '@playwright/test';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import { openWorkbench, runCommandIfListed, shot, signInAs, signOut } from './support/workbench.js';

const env = vscodeTestEnv();

reportPrivetLogOnFailure(env);

test('the signed-out tree welcomes with a Sign In button; Sign Out is listed only when signed in', async ({
  page,
}) => {
  await openWorkbench(page, env.url);
  await signOut(page);
  await page
    .locator('.activitybar a[aria-label="Privet"], .activitybar [aria-label="Privet"]')
    .first()
    .click();
  const welcome = page
    .locator('.welcome-view-content')
    .filter({ hasText: 'Sign in to your Privet gateway' });
  await expect(welcome).toBeVisible();
  const signIn = welcome.getByRole('button', { name: 'Sign In' });
  await expect(signIn).toBeVisible();
  await shot(page, '60-tree-welcome');
  expect(await runCommandIfListed(page, 'Privet: Sign Out', 5000), 'signed out').toBe(false);

  await signInAs(page, 'alice', env.tokens.alice!, 'UI study', () => signIn.click());
  const tree = page.locator('.pane-body').filter({ hasText: 'UI study' }).first();
  await expect(tree.getByText('UI study (current)')).toBeVisible();
  await expect(welcome).toHaveCount(0);

  expect(await runCommandIfListed(page, 'Privet: Sign Out', 30_000), 'signed in').toBe(true);
  await expect(welcome).toBeVisible();
});
