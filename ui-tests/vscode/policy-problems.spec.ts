/**
 * A steward editing a policy file in VS Code sees the policy checker's findings as they type: an
 * error is underlined on the offending value and listed in the Problems panel with its fix;
 * fixing the value clears it, and the notes of the now valid policy are listed as information. A
 * policy under another name is checked once the `privet.policyFiles` setting names its glob, at
 * start or as soon as the setting changes (and no longer once the glob is taken out).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import {
  closeAllEditors,
  openWorkbench,
  pick,
  quickInput,
  runCommand,
  shot,
} from './support/workbench.js';

const env = vscodeTestEnv();
const FILE = 'clinic.policy.yaml';
const demo = readFileSync(resolve(import.meta.dirname, '../../gateway/demo/policy.yaml'), 'utf8');
const LIMIT = "max_query_epsilon: '1.0' }";

reportPrivetLogOnFailure(env);

const OTHER = 'clinic-rules.yaml';

/** Opens the workbench with only `file` (from the workspace) open, and the Problems panel. */
async function openWithProblems(page: Page, file: string): Promise<void> {
  await openWorkbench(page, env.url);
  await closeAllEditors(page);
  await page.keyboard.press('Control+P');
  await quickInput(page).locator('input').fill(file);
  await pick(page, file);
  await runCommand(page, 'View: Focus Problems');
}

test.afterAll(() => {
  rmSync(join(env.workspace, FILE), { force: true });
  rmSync(join(env.workspace, OTHER), { force: true });
});

test('a policy file shows the checker’s errors with their fix, and its notes, as the steward types', async ({
  page,
}) => {
  expect(demo.split(LIMIT).length, 'the demo policy sets one per-query limit').toBe(2);
  writeFileSync(join(env.workspace, FILE), demo.replace(LIMIT, "max_query_epsilon: '5' }"));
  await openWithProblems(page, FILE);
  const problems = page.locator('.markers-panel');
  const error = problems.getByText(
    /max_query_epsilon 5 is above the budget's epsilon 3, so it would never limit a query\. Fix: lower it to at most 3/,
  );
  await expect(error).toBeVisible({ timeout: 30_000 });
  // Opening the problem shows the value underlined in the editor.
  await error.click();
  const editor = page.locator('.monaco-editor').filter({ hasText: 'max_query_epsilon' }).first();
  await expect(editor.locator('.squiggly-error')).toBeVisible();
  await shot(page, '80-policy-problems');

  // The steward fixes the value: the error goes, and the valid policy's notes are listed.
  await editor.getByText("'5'").first().dblclick();
  await page.keyboard.type('1');
  await expect(editor.locator('.squiggly-error')).toHaveCount(0, { timeout: 15_000 });
  await expect(problems.getByText(/max_query_epsilon 5 is above/)).toHaveCount(0);
  await expect(problems.getByText(/view patients_masked: k = 5 holds/)).toBeVisible();
  await closeAllEditors(page);
});

test('a policy under another name is checked once privet.policyFiles names its glob', async ({
  page,
}) => {
  writeFileSync(join(env.workspace, OTHER), demo.replace(LIMIT, "max_query_epsilon: '5' }"));
  const open = async (): Promise<Locator> => {
    await openWithProblems(page, OTHER);
    return page
      .locator('.markers-panel')
      .getByText(/max_query_epsilon 5 is above the budget's epsilon 3/);
  };
  // Not a policy by its name: nothing is reported.
  await expect(await open()).toHaveCount(0, { timeout: 5_000 });
  // The workspace names its glob (.vscode/settings.json, read when the window starts).
  const settings = join(env.workspace, '.vscode', 'settings.json');
  const before = existsSync(settings) ? readFileSync(settings, 'utf8') : undefined;
  const madeDir = !existsSync(dirname(settings));
  mkdirSync(dirname(settings), { recursive: true });
  writeFileSync(
    settings,
    JSON.stringify({
      ...(before ? (JSON.parse(before) as object) : {}),
      'privet.policyFiles': ['**/clinic-*.yaml'],
    }),
  );
  try {
    await expect(await open()).toBeVisible({ timeout: 30_000 });
    await shot(page, '81-policy-files-setting');
  } finally {
    if (before !== undefined) writeFileSync(settings, before);
    else rmSync(madeDir ? dirname(settings) : settings, { recursive: true });
  }
  await closeAllEditors(page);
});

test('a change of privet.policyFiles applies at once: the file is checked, then no longer', async ({
  page,
}) => {
  writeFileSync(join(env.workspace, OTHER), demo.replace(LIMIT, "max_query_epsilon: '5' }"));
  const before = readFileSync(env.userSettings, 'utf8');
  /** Types `settings` over the user settings in VS Code's own JSON editor and saves them. */
  const editUserSettings = async (settings: string): Promise<void> => {
    await runCommand(page, 'Preferences: Open User Settings (JSON)');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await expect(page.locator('.tab.active')).toContainText('settings.json');
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(settings); // as pasted: no auto-closed brackets
    await page.keyboard.press('Control+S');
    await expect(page.locator('.tab.active.dirty')).toHaveCount(0);
  };
  try {
    await openWithProblems(page, OTHER);
    const finding = page
      .locator('.markers-panel')
      .getByText(/max_query_epsilon 5 is above the budget's epsilon 3/);
    await expect(finding).toHaveCount(0, { timeout: 5_000 });
    // The setting changes while the window stays open (no reload): the file is checked at once.
    const withGlob = {
      ...(JSON.parse(before) as object),
      'privet.policyFiles': ['**/clinic-*.yaml'],
    };
    await editUserSettings(JSON.stringify(withGlob, null, 2));
    await expect(finding).toBeVisible({ timeout: 30_000 });
    // The glob taken out again: its findings go.
    await editUserSettings(before);
    await expect(finding).toHaveCount(0, { timeout: 30_000 });
  } finally {
    writeFileSync(env.userSettings, before);
  }
  await closeAllEditors(page);
});
