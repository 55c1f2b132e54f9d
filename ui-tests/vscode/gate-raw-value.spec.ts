/**
 * Signed in with an experiment, the gate asks the gateway's raw-value check (POST
 * /leak-check/outputs) about every output it leaves shown: a name has no local rule, so only the
 * gateway's keyed index of the raw identifier columns can tell a real patient's name from any
 * other. Another kernel (fixtures/echo-kernel) prints a raw patient name — read here, by the test,
 * from the raw Parquet file the test gateway generated, and written into the notebook's cell at
 * setup; the notebook itself reads no data — and, in another cell, a made-up name of the same
 * shape. The raw name's output is swapped for the raw-value placeholder (it cannot be approved,
 * so no "Request review": the cell's status bar says so) and is gone from the output webview; the
 * made-up name stays shown.
 * VS Code may draw a passing stream item for a moment before the host's swap (the raw-value
 * question needs the gateway), so this spec checks the final state, not "never drawn".
 */
import { rmSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { vscodeTestEnv } from './support/env.js';
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
  // Each cell prints "contact <name>" (a stream output in two writes, as print() arrives).
  const path = writeNotebook(env.workspace, 'raw-value.ipynb', [
    `# echo: contact ${name}`,
    `# echo: contact ${UNRELATED}`,
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
    await expect(placeholder).toHaveCount(1, { timeout: 30_000 });
    await expect(placeholder).toBeVisible();
    await expect(frame.getByText('Privet withheld this output (block: raw-value).')).toBeVisible();
    // The made-up name is shown as printed; only one output is held.
    await expect(frame.getByText(`contact ${UNRELATED}`)).toBeVisible();
    await expect(frame.getByText(/Privet withheld this output/)).toHaveCount(1);

    // No review can approve a raw value: neither the placeholder nor the cell offers one.
    await expect(frame.getByText(/Request review/)).toHaveCount(0);
    const held = cell(page, 0);
    await expect(held.getByText('Raw identifier value: cannot be approved')).toBeVisible();
    await expect(held.getByText('Request review')).toHaveCount(0);
    await expect(cell(page, 1).getByText('Raw identifier value: cannot be approved')).toHaveCount(
      0,
    );

    // After the swap the raw name is nowhere in the output webview; the made-up name still is.
    await expect.poll(() => outputText(page), { timeout: 15_000 }).not.toContain(name);
    const text = await outputText(page);
    expect(text).toContain(UNRELATED);
    expect(text.toLowerCase()).not.toContain(name.toLowerCase());
    await shot(page, '80-raw-value-held');
  } finally {
    await closeAllEditors(page).catch(() => undefined);
    rmSync(path, { force: true });
  }
});
