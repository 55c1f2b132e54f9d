/**
 * Another kernel's Markdown, LaTeX, JSON and code outputs are checked before VS Code draws them:
 * the stand-in third-party kernel (fixtures/echo-kernel) shows a Markdown table of raw rows with
 * an address, LaTeX whose Markdown escapes VS Code would drop to draw the same address, and JSON
 * holding it. The gate renderer holds all three from the first frame (a watch in every frame,
 * shadow roots included, proves the address was never drawn), while harmless Markdown, LaTeX and
 * code are drawn by VS Code's own Markdown renderer (a heading, a KaTeX formula, a code block):
 * the gate hands them on. An ipywidgets view is held by the host: what it draws comes from kernel
 * messages only the Jupyter extension sees. Runs after the other VS Code specs (file order), as it leaves its
 * notebook open.
 */
import { expect, test } from '@playwright/test';
import { DISPLAYED_EMAIL, DISPLAYED_ROW_MARK } from './support/demo-notebook.js';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import { leakSeen, watchForLeak } from './support/leak-watch.js';
import {
  openNotebookAlone,
  openWorkbench,
  outputFrame,
  pick,
  runCommand,
  shot,
  signInAs,
} from './support/workbench.js';

const env = vscodeTestEnv();

reportPrivetLogOnFailure(env);

test('Markdown, LaTeX, JSON and code from another kernel: flagged ones never drawn, harmless ones drawn', async ({
  page,
}) => {
  await page.context().addInitScript(watchForLeak, [DISPLAYED_EMAIL, DISPLAYED_ROW_MARK]);
  await openWorkbench(page, env.url);
  // Signed in, the host knows the views: a masked view's rows are row-level data.
  await signInAs(page, 'alice', env.tokens.alice!);
  await openNotebookAlone(page, 'echo-display.ipynb');
  await runCommand(page, 'Notebook: Select Notebook Kernel');
  await pick(page, 'Echo kernel (test)');
  await runCommand(page, 'Notebook: Run All');

  const frame = outputFrame(page);
  // Scroll down step by step (VS Code draws outputs as they come near the screen and hides those
  // far above): each harmless output must have been drawn by VS Code's Markdown renderer
  // (markdown-it, KaTeX, a code block) through the gate, and all five flagged ones held — by the
  // gate before drawing, then by the host's placeholder.
  await page.locator('.notebook-editor .monaco-list').first().hover();
  const drawn = { heading: false, formula: false, code: false };
  await expect(async () => {
    drawn.heading ||= await frame.locator('h1', { hasText: 'Hello from Markdown' }).isVisible();
    drawn.formula ||= await frame.locator('.katex').first().isVisible();
    drawn.code ||= await frame.locator('code', { hasText: 'Hello from code' }).isVisible();
    const held = await frame.getByText(/"Request Review" on this cell/).count();
    if (!drawn.heading || !drawn.formula || !drawn.code || held !== 5) {
      await page.mouse.wheel(0, 500);
      throw new Error(`not all drawn yet: ${JSON.stringify({ ...drawn, held })}`);
    }
  }).toPass({ timeout: 90_000 });
  // The masked view's rows are held by the host's check with the views (row-level).
  await expect(frame.getByText(/Privet withheld this output \(flag: row-level\)/)).toHaveCount(1);
  // The widget view is held by the host: its drawing cannot be checked in VS Code.
  await expect(frame.getByText(/Privet withheld this output \(flag: malformed\)/)).toHaveCount(1);
  await expect(frame.getByText(DISPLAYED_EMAIL)).toHaveCount(0);
  await expect(frame.getByText(DISPLAYED_ROW_MARK)).toHaveCount(0);

  const seen = await leakSeen(page);
  expect(seen.withheld, `the watcher ran in the output frame: ${seen.frames}`).toBe(true);
  expect(seen.shadowRoots, 'the watcher saw the Markdown renderer’s shadow roots').toBeGreaterThan(
    0,
  );
  expect(seen.leaked, 'the address was never in any frame, shadow roots included').toBe(false);
  await shot(page, '21-markdown-latex-gated');
});
