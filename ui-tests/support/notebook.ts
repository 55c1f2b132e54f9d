/** Notebook steps shared by the UI tests: run code in a new cell and find the visible notebook. */
import { expect, type Locator, type Page } from '@playwright/test';
import { openLab, openPanel, signIn } from './lab.js';

/** The notebook panel on screen. */
export function visibleNotebook(page: Page): Locator {
  return page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');
}

/**
 * Adds a code cell below the active one in the visible notebook, types `code` and runs it with
 * Ctrl+Enter, retrying while the kernel is still attaching (JupyterLab then skips the run).
 * Returns the cell (found by a marker comment, which must be unique per test run).
 */
export async function runNewCell(page: Page, marker: string, code: string): Promise<Locator> {
  const notebook = visibleNotebook(page);
  await notebook.locator('.jp-Cell.jp-mod-active .jp-InputArea-editor').click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  const editor = notebook.locator('.jp-Cell.jp-mod-active .jp-InputArea-editor');
  await editor.click();
  await page.keyboard.insertText(`# ${marker}\n${code}`);
  const cell = notebook.locator('.jp-CodeCell', { hasText: marker });
  await expect(async () => {
    await cell.locator('.jp-InputArea-editor').click();
    await page.keyboard.press('Control+Enter');
    await expect(cell.locator('.jp-InputPrompt')).toHaveText(/\[(\d+|\*)\]/, { timeout: 5000 });
  }).toPass({ timeout: 60_000 });
  return cell;
}

/** Waits until the kernel reports Idle in the status bar. */
export async function waitForIdleKernel(page: Page): Promise<void> {
  await expect(page.locator('.jp-StatusBar-TextItem', { hasText: 'Idle' })).toHaveCount(1, {
    timeout: 60_000,
  });
}

/**
 * Opens JupyterLab, signs in with `token` and clicks "Use in notebook" on `view`: returns the
 * notebook that opens, once its kernel is idle.
 */
export async function notebookWithView(page: Page, token: string, view: string): Promise<Locator> {
  await openLab(page);
  await openPanel(page);
  await signIn(page, token);
  await page
    .locator(`#privet-data-panel .jp-Privet-view[data-view="${view}"]`)
    .getByRole('button', { name: 'Use in notebook' })
    .click();
  const notebook = visibleNotebook(page);
  await expect(notebook.locator('.jp-CodeCell')).not.toHaveCount(0);
  await waitForIdleKernel(page);
  return notebook;
}
