/**
 * Another kernel's output is checked before VS Code draws it: a stand-in third-party kernel
 * (fixtures/echo-kernel) streams an address in two pieces; the gate renderer holds it from the
 * first frame, and the extension host then swaps in the placeholder. A watch in every frame
 * proves the address was never in any document, not even for a moment.
 */
import { expect, test } from '@playwright/test';
import { ECHOED_EMAIL } from './support/demo-notebook.js';
import { vscodeTestEnv } from './support/env.js';
import { leakSeen, watchForLeak } from './support/leak-watch.js';
import {
  openNotebookAlone,
  openWorkbench,
  outputFrame,
  pick,
  runCell,
  runCommand,
  shot,
} from './support/workbench.js';

const env = vscodeTestEnv();

test('a streamed address from another kernel is never drawn', async ({ page }) => {
  await page.context().addInitScript(watchForLeak, ECHOED_EMAIL);
  await openWorkbench(page, env.url);
  // Editors restored from earlier tests would add their own output webviews: close them all.
  await openNotebookAlone(page, 'echo-demo.ipynb');
  await runCommand(page, 'Notebook: Select Notebook Kernel');
  await pick(page, 'Echo kernel (test)');
  await runCell(page, 0);
  await expect(
    outputFrame(page)
      .getByText(/Privet withheld this output/)
      .first(),
  ).toBeVisible();
  // Past the second piece (300 ms) and the host's placeholder swap.
  await expect(
    outputFrame(page)
      .getByText(/"Request review" on this cell/)
      .first(),
  ).toBeVisible();
  const seen = await leakSeen(page);
  expect(seen.withheld, `the watcher ran in the output frame: ${seen.frames}`).toBe(true);
  expect(seen.leaked, 'the streamed address was never in any frame').toBe(false);
  await shot(page, '20-streamed-output-held');
});
