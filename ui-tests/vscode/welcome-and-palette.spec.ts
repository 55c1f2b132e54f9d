/**
 * Signed out, the Privet tree is empty, so VS Code shows its welcome content: what to do and a
 * Sign In button, which signs in. "Privet: Sign Out" is listed in the palette only while signed in
 * (or while a token is stored), and signing out brings the welcome back. A cell command ("Privet:
 * Request Review") is listed in the palette while a notebook is the active editor, also after the
 * user typed in a cell, and runs on the active cell.
 */
import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import { hostPlaceholders, writeSavedNotebook } from './support/saved-notebook.js';
import {
  cell,
  closeAllEditors,
  openNotebookAlone,
  openWorkbench,
  quickInput,
  runCommandIfListed,
  shot,
  signInAs,
  signOut,
} from './support/workbench.js';

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

test('"Privet: Request Review" is in the palette after typing in a notebook cell, and sends the review', async ({
  page,
}) => {
  // A notebook saved by another kernel with an address in its output: held when opened, so its
  // cell has a withheld original to send for review.
  const file = 'palette-request-review.ipynb';
  const path = writeSavedNotebook(env.workspace, file, [
    {
      source: 'print("contact:", contact)',
      outputs: [
        { output_type: 'stream', name: 'stdout', text: ['contact: pat.doe@example.org\n'] },
      ],
    },
  ]);
  try {
    await openWorkbench(page, env.url);
    await signInAs(page, 'alice', env.tokens.alice!);
    await openNotebookAlone(page, file);
    await expect(hostPlaceholders(page).first()).toBeVisible({ timeout: 30_000 });

    // The user types in the cell (keyboard focus in its editor), then opens the palette.
    await cell(page, 0).locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('End');
    await page.keyboard.type('  # checked');
    await expect(cell(page, 0).getByText('# checked')).toBeVisible();
    expect(
      await runCommandIfListed(page, 'Privet: Request Review', 30_000),
      'listed while the notebook is the active editor',
    ).toBe(true);
    const justification = quickInput(page).locator('input');
    await expect(justification).toBeVisible();
    await justification.fill('A made-up contact for the study team');
    await justification.press('Enter');
    await expect(
      page.locator('.notification-toast').getByText(/Privet: review request \S+ sent/),
    ).toBeVisible();
    await shot(page, '61-palette-request-review');
  } finally {
    await closeAllEditors(page).catch(() => undefined);
    rmSync(path, { force: true });
  }
});
