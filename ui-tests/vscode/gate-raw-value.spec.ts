/**
 * Signed in with an experiment, the gate asks the gateway's raw-value check (POST
 * /leak-check/outputs) about every output it leaves shown: a name has no local rule, so only the
 * gateway's keyed index of the raw identifier columns can tell a real patient's name from any
 * other. Another kernel (fixtures/echo-kernel) prints a raw patient name — read here, by the test,
 * from the raw Parquet file the test gateway generated, and written into the notebook's cell at
 * setup; the notebook itself reads no data — and, in another cell, a made-up name of the same
 * shape. The raw name's output is swapped for the raw-value placeholder (it cannot be approved,
 * so no "Request Review": the cell's status bar says so) and is gone from the output webview; the
 * made-up name stays shown.
 * The raw name is never drawn, not even for a moment before the swap: the gate renderer draws an
 * item only once the extension host's answer includes the gateway's verdict. The cell's source
 * writes the name with "[]" inside it, which the echo kernel drops, so only an output can hold it;
 * a watch in every frame records whether any ever did.
 */
import { rmSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { vscodeTestEnv } from './support/env.js';
import { leakSeen, watchForLeak } from './support/leak-watch.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import { rawPatientName } from './support/raw-data.js';
import { useEchoKernel, writeNotebook } from './support/saved-notebook.js';
import {
  cell,
  closeAllEditors,
  openNotebookAlone,
  openWorkbench,
  outputFrame,
  runCommand,
  shot,
  signInAs,
} from './support/workbench.js';

const env = vscodeTestEnv();

reportPrivetLogOnFailure(env);

/** A name of the same shape as the demo's that no demo patient has (checked in the raw file). */
const UNRELATED = 'Quillon Vardemarsk';

/** The placeholder's line for a value the gateway found (vscode-ext/src/renderer/dom.ts). */
const RAW_VALUE_HINT =
  /It shows a value from the raw data's identifier columns, so it cannot be approved/;

/** All text of the output webview's document, open shadow roots included. */
async function outputText(page: Page): Promise<string> {
  return outputFrame(page)
    .locator('body')
    .evaluate((body) => {
      const parts: string[] = [];
      const walk = (node: Element | ShadowRoot): void => {
        node.querySelectorAll('*').forEach((el) => {
          if (el.shadowRoot) walk(el.shadowRoot);
        });
        parts.push(node.textContent ?? '');
      };
      walk(body);
      return parts.join('\n');
    });
}

test('an output showing a raw identifier value is held with no review; a made-up name shows', async ({
  page,
}) => {
  const { name, unrelatedIsRaw } = await rawPatientName(env, UNRELATED);
  expect(unrelatedIsRaw, `${UNRELATED} is not a raw identifier value`).toBe(false);
  // The first two cells print "contact <name>" (a stream output in two writes, as print()
  // arrives); the third displays it as text/plain (one display output, drawn at once unless the
  // renderer waits for the host). The source splits the raw name with "[]" (dropped by the echo
  // kernel), so the source never holds it.
  const hidden = `${name.slice(0, 1)}[]${name.slice(1)}`;
  await page.context().addInitScript(watchForLeak, name);
  const path = writeNotebook(env.workspace, 'raw-value.ipynb', [
    `# echo: contact ${hidden}`,
    `# echo: contact ${UNRELATED}`,
    `# display: text/plain\ncontact ${hidden}`,
  ]);
  // The cell's source holds the raw name: the notebook leaves the workspace with this test.
  try {
    await openWorkbench(page, env.url);
    await signInAs(page, 'alice', env.tokens.alice!);
    await openNotebookAlone(page, 'raw-value.ipynb');
    await useEchoKernel(page);
    await runCommand(page, 'Notebook: Run All');

    const frame = outputFrame(page);
    const placeholder = frame.getByText(RAW_VALUE_HINT);
    // The gateway's answer and the second swap are bounded by the gate's RAW_CHECK_MS (10 s).
    await expect(placeholder).toHaveCount(2, { timeout: 30_000 });
    await expect(placeholder.first()).toBeVisible();
    await expect(frame.getByText('Privet withheld this output (block: raw-value).')).toHaveCount(2);
    // The made-up name is shown as printed; only the two raw outputs are held.
    await expect(frame.getByText(`contact ${UNRELATED}`)).toBeVisible();
    await expect(frame.getByText(/Privet withheld this output/)).toHaveCount(2);

    // No review can approve a raw value: neither the placeholder nor the cell offers one.
    await expect(frame.getByText(/Request Review/i)).toHaveCount(0);
    const held = cell(page, 0);
    await expect(held.getByText('Raw identifier value: cannot be approved')).toBeVisible();
    await expect(held.getByText('Request Review')).toHaveCount(0);
    await expect(cell(page, 1).getByText('Raw identifier value: cannot be approved')).toHaveCount(
      0,
    );
    await expect(cell(page, 2).getByText('Raw identifier value: cannot be approved')).toBeVisible();

    // After the swap the raw name is nowhere in the output webview; the made-up name still is.
    await expect.poll(() => outputText(page), { timeout: 15_000 }).not.toContain(name);
    const text = await outputText(page);
    expect(text).toContain(UNRELATED);
    expect(text.toLowerCase()).not.toContain(name.toLowerCase());
    const seen = await leakSeen(page);
    expect(seen.withheld, `the watch ran in the output frame: ${seen.frames}`).toBe(true);
    expect(seen.leaked, 'the raw name was never in any frame, not even before the swap').toBe(
      false,
    );
    await shot(page, '80-raw-value-held');
  } finally {
    await closeAllEditors(page).catch(() => undefined);
    rmSync(path, { force: true });
  }
});
