/**
 * Another kernel's Markdown, LaTeX, JSON and code outputs are checked before VS Code draws them:
 * the stand-in third-party kernel (fixtures/echo-kernel) shows a Markdown table of raw rows with
 * an address, LaTeX whose Markdown escapes VS Code would drop to draw the same address, and JSON
 * holding it. The gate renderer holds all three from the first frame (a watch in every frame,
 * shadow roots included, proves the address was never drawn), while harmless Markdown, LaTeX and
 * code are drawn by VS Code's own Markdown renderer (a heading, a KaTeX formula, a code block):
 * the gate hands them on. Runs after the other VS Code specs (file order), as it leaves its
 * notebook open.
 */
import { expect, test } from '@playwright/test';
import { DISPLAYED_EMAIL } from './support/demo-notebook.js';
import { vscodeTestEnv } from './support/env.js';
import { leakSeen, watchForLeak } from './support/leak-watch.js';
import {
  openNotebookAlone,
  openWorkbench,
  outputFrame,
  pick,
  runCommand,
  shot,
} from './support/workbench.js';

const env = vscodeTestEnv();

test('Markdown, LaTeX, JSON and code from another kernel: flagged ones never drawn, harmless ones drawn', async ({
  page,
}) => {
  await page.context().addInitScript(watchForLeak, DISPLAYED_EMAIL);
  await openWorkbench(page, env.url);
  await openNotebookAlone(page, 'echo-display.ipynb');
  await runCommand(page, 'Notebook: Select Notebook Kernel');
  await pick(page, 'Echo kernel (test)');
  await runCommand(page, 'Notebook: Run All');

  const frame = outputFrame(page);
  // Drawn by VS Code's Markdown renderer (markdown-it, KaTeX), through the gate.
  await expect(frame.locator('h1', { hasText: 'Hello from Markdown' })).toBeVisible();
  await expect(frame.locator('.katex').first()).toBeVisible();
  // The JSON and code cells are below the fold: scroll so VS Code draws their outputs.
  await page.locator('.notebook-editor .monaco-list').first().hover();
  await page.mouse.wheel(0, 4000);
  // Held before drawing (the gate's notice), then replaced by the host's placeholder.
  await expect(frame.getByText(/Request review" in the cell status bar/)).toHaveCount(3);
  await expect(frame.getByText(DISPLAYED_EMAIL)).toHaveCount(0);

  const seen = await leakSeen(page);
  expect(seen.withheld, `the watcher ran in the output frame: ${seen.frames}`).toBe(true);
  expect(seen.shadowRoots, 'the watcher saw the Markdown renderer’s shadow roots').toBeGreaterThan(
    0,
  );
  expect(seen.leaked, 'the address was never in any frame, shadow roots included').toBe(false);
  await expect(frame.locator('code', { hasText: 'Hello from code' })).toBeVisible();
  await shot(page, '21-markdown-latex-gated');
});
