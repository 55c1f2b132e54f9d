/**
 * Notebooks a spec writes into the workspace and reads back from disk after saving: what the
 * host gate let into the document is exactly what the saved .ipynb holds.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { echoKernelNotebook } from './demo-notebook.js';
import { outputFrame, pick, runCommand } from './workbench.js';

/** Writes an echo-kernel notebook with these cell sources (no outputs) into `workspace`. */
export function writeNotebook(workspace: string, file: string, sources: readonly string[]): string {
  const path = join(workspace, file);
  writeFileSync(path, echoKernelNotebook(sources));
  return path;
}

/** One code cell of a saved notebook: its source and the nbformat outputs saved with it. */
export interface SavedCell {
  source: string;
  outputs: readonly Record<string, unknown>[];
}

/**
 * Writes a notebook as if saved after another kernel ran it (Python cells with these outputs)
 * into `workspace`; returns its path.
 */
export function writeSavedNotebook(
  workspace: string,
  file: string,
  cells: readonly SavedCell[],
): string {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { language_info: { name: 'python' } },
    cells: cells.map((c, i) => ({
      cell_type: 'code',
      execution_count: i + 1,
      metadata: { vscode: { languageId: 'python' } },
      outputs: c.outputs,
      source: c.source.split(/(?<=\n)/),
    })),
  };
  const path = join(workspace, file);
  writeFileSync(path, JSON.stringify(notebook, null, 1) + '\n');
  return path;
}

/** Editor tabs marked modified (VS Code's dirty dot), of any editor. */
export function dirtyTabs(page: Page): Locator {
  return page.locator('.monaco-workbench .tabs-container .tab.dirty');
}

/** The outputs of each cell of the .ipynb on disk, as JSON text. */
export function savedOutputs(path: string): string[] {
  const nb = JSON.parse(readFileSync(path, 'utf8')) as { cells: { outputs?: unknown[] }[] };
  return nb.cells.map((c) => JSON.stringify(c.outputs ?? []));
}

/**
 * Saves the notebook and waits until the file on disk was written again. Ctrl+S first; when the
 * keystroke did not reach the editor (focus left in a toast or the output webview after a prompt),
 * the save is run again from the command palette, which does not depend on focus.
 */
export async function saveAndWait(page: Page, path: string): Promise<void> {
  const before = statSync(path).mtimeMs;
  const written = (): boolean => {
    try {
      savedOutputs(path); // written in full
      return statSync(path).mtimeMs > before;
    } catch {
      return false;
    }
  };
  await page.keyboard.press('Control+S');
  await expect(async () => {
    if (!written()) {
      await expect
        .poll(written, { timeout: 5000 })
        .toBe(true)
        .catch(() => undefined);
    }
    if (!written()) await runCommand(page, 'File: Save without Formatting');
    await expect.poll(written, { timeout: 5000 }).toBe(true);
  }).toPass({ timeout: 45_000 });
}

/** The host's placeholders shown in the output webview. */
export function hostPlaceholders(page: Page): Locator {
  return outputFrame(page).getByText(/"Request Review" on this cell/);
}

/** Selects the echo kernel for the open notebook. */
export async function useEchoKernel(page: Page): Promise<void> {
  await runCommand(page, 'Notebook: Select Notebook Kernel');
  await pick(page, 'Echo kernel (test)');
}
