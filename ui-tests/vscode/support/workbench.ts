/** Helpers for driving VS Code (code-server) in Playwright: palette, quick input, notebook outputs. */
import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';
import { SHOTS } from './env.js';

/** Opens the workbench and waits until it is interactive. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('.monaco-workbench')).toBeVisible({ timeout: 120_000 });
  await expect(page.locator('.activitybar')).toBeVisible();
}

/**
 * Opens the palette and types `title` until its row is listed (extension commands appear once the
 * extension host has registered them; each try reopens the palette so the list is filtered
 * afresh), for at most `ms`; each try waits `perTryMs` for the row. Throws when it never is.
 */
async function paletteRow(page: Page, title: string, ms: number, perTryMs: number) {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await expect(async () => {
    if (await input.isVisible()) await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await expect(input).toBeVisible({ timeout: 2000 });
    await input.fill('>');
    await input.pressSequentially(title, { delay: 10 });
    await expect(row).toBeVisible({ timeout: perTryMs });
  }).toPass({ timeout: ms });
  return row;
}

/** Runs a command through the command palette by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await (await paletteRow(page, title, 90_000, 3000)).click();
}

/** Whether the palette lists the command `title` within `ms` (closed again either way; nothing runs). */
export async function paletteLists(page: Page, title: string, ms: number): Promise<boolean> {
  let listed = true;
  try {
    await paletteRow(page, title, ms, 2000);
  } catch {
    listed = false;
  }
  const input = page.locator('.quick-input-widget input');
  if (await input.isVisible()) await page.keyboard.press('Escape');
  return listed;
}

/**
 * Runs a command through the palette if it is listed within `ms` (commands with a `when` clause are
 * listed only in their context); returns whether it ran.
 */
export async function runCommandIfListed(page: Page, title: string, ms: number): Promise<boolean> {
  let row;
  try {
    row = await paletteRow(page, title, ms, 2000);
  } catch {
    const input = page.locator('.quick-input-widget input');
    if (await input.isVisible()) await page.keyboard.press('Escape');
    return false;
  }
  await row.click();
  return true;
}

/**
 * Signs the window out and forgets the stored token. "Privet: Sign Out" is listed only while
 * signed in or while a token is stored, which the extension knows once it has activated: "Privet:
 * Sign In" (always listed) activates it and is cancelled, then Sign Out runs if it is offered.
 */
export async function signOut(page: Page): Promise<void> {
  await runCommand(page, 'Privet: Sign In');
  const input = quickInput(page).locator('input');
  await expect(input).toHaveAttribute('type', 'password');
  await page.keyboard.press('Escape');
  await runCommandIfListed(page, 'Privet: Sign Out', 15_000);
}

/** The visible quick input box (prompts and quick picks). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/** Picks an item of the open quick pick by its text. */
export async function pick(page: Page, text: string): Promise<void> {
  const row = quickInput(page).locator('.monaco-list-row').filter({ hasText: text }).first();
  await expect(row).toBeVisible();
  await row.click();
}

/**
 * Switches VS Code's colour theme through the palette and waits for the workbench to wear it.
 * Tried again while the window is still starting: a view taking the focus closes the quick pick.
 */
export async function useTheme(page: Page, theme: string, dark: boolean): Promise<void> {
  const worn = page.locator(`.monaco-workbench.${dark ? 'vs-dark' : 'vs'}`);
  await expect(async () => {
    await runCommand(page, 'Preferences: Color Theme');
    await quickInput(page).locator('input').fill(theme);
    const row = quickInput(page).locator('.monaco-list-row').filter({ hasText: theme }).first();
    await row.click({ timeout: 10_000 });
    await expect(worn).toBeVisible({ timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
}

/**
 * Signs in through the palette (or `start`, e.g. a Sign In button) as `user` (token from the test
 * env); when VS Code asks for an experiment (a fresh window), picks `experiment`.
 */
export async function signInAs(
  page: Page,
  user: string,
  token: string,
  experiment = 'UI study',
  start: () => Promise<void> = () => runCommand(page, 'Privet: Sign In'),
): Promise<void> {
  await start();
  const input = quickInput(page).locator('input');
  await expect(input).toHaveAttribute('type', 'password');
  await input.fill(token);
  await input.press('Enter');
  // The toast comes once the experiment is settled: after the pick when there is one to make.
  const toast = page.locator('.notification-toast').getByText(`Privet: signed in as ${user} (`);
  const row = quickInput(page).locator('.monaco-list-row').filter({ hasText: experiment }).first();
  await expect(toast.or(row).first()).toBeVisible();
  if (await row.isVisible()) await row.click();
  await expect(toast).toBeVisible();
}

/** Closes every editor, dropping unsaved changes (editors restored from earlier tests too). */
export async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  const dontSave = page.getByRole('button', { name: "Don't Save" });
  for (let i = 0; i < 3 && (await dontSave.isVisible().catch(() => false)); i++)
    await dontSave.click();
  await expect(page.locator('.notebookOverlay')).toHaveCount(0);
}

/**
 * Closes every editor (unsaved changes dropped), so that only one output webview exists, then
 * opens `file` from the workspace as a notebook.
 */
export async function openNotebookAlone(page: Page, file: string): Promise<void> {
  await closeAllEditors(page);
  await page.keyboard.press('Control+P');
  await quickInput(page).locator('input').fill(file);
  await pick(page, file);
  await expect(page.locator('.notebookOverlay')).toBeVisible();
}

/** The notebook output webview (outputs render inside nested iframes). */
export function outputFrame(page: Page): FrameLocator {
  // Extension webviews carry their extension id in the URL; the notebook's output webview has none.
  return page
    .frameLocator('iframe.webview.ready:not([src*="extensionId=privet."])')
    .frameLocator('iframe#active-frame');
}

/** The Privet budget & record webview view. */
export function budgetFrame(page: Page): FrameLocator {
  return page
    .frameLocator('iframe.webview.ready[src*="extensionId=privet.privet"]')
    .frameLocator('iframe#active-frame');
}

/** The Privet webview panel whose page has an h1 containing `heading`. */
export async function privetPanelFrame(page: Page, heading: string): Promise<FrameLocator> {
  const selector = 'iframe.webview.ready[src*="extensionId=privet.privet"]';
  let found: FrameLocator | undefined;
  await expect(async () => {
    const n = await page.locator(selector).count();
    for (let i = 0; i < n; i += 1) {
      const frame = page.frameLocator(selector).nth(i).frameLocator('iframe#active-frame');
      if ((await frame.locator('h1', { hasText: heading }).count()) > 0) {
        found = frame;
        return;
      }
    }
    throw new Error(`the webview "${heading}" is not shown yet`);
  }).toPass({ timeout: 60_000 });
  return found!;
}

/** The Privet review queue webview panel (the Privet webview whose page shows the queue). */
export function reviewQueueFrame(page: Page): Promise<FrameLocator> {
  return privetPanelFrame(page, 'Review queue');
}

/** The n-th (0-based) cell of the open notebook. */
export function cell(page: Page, index: number): Locator {
  return page.locator('.notebookOverlay .monaco-list-row.code-cell-row').nth(index);
}

/** The language a cell's status bar names (VS Code's language picker, at its right). */
export function cellLanguage(page: Page, index: number): Locator {
  return cell(page, index).locator('.cell-status-right .cell-status-item').last();
}

/** Focuses a cell's editor and runs it through the palette (the active cell is the one run). */
export async function runCell(page: Page, index: number): Promise<void> {
  const c = cell(page, index);
  await c.scrollIntoViewIfNeeded();
  await c.locator('.monaco-editor .view-lines').click();
  await runCommand(page, 'Notebook: Execute Cell');
}

/** Saves a screenshot under test-results/vscode-screenshots/. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}
