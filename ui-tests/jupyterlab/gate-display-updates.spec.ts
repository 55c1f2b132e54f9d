/**
 * Display updates are a side channel the guide names: `display(…, display_id=True).update(…)`
 * replaces an output already on screen from another cell, and `clear_output(wait=True)` swaps a
 * shown output for a new one. The gate checks each new content before it is drawn: an update that
 * shows an address holds the output, one back to harmless content shows it again, and the address
 * is never on the page.
 */
import { expect, test } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { pageLeaked, watchPage } from '../support/page-watch.js';
import { openPanel } from '../support/lab.js';
import { notebookWithView, runNewCell } from '../support/notebook.js';

const env = uiTestEnv();
const run = Date.now().toString(36);

test('display updates and cleared outputs are checked before they are drawn', async ({ page }) => {
  await notebookWithView(page, env.tokens.alice!, 'visits_masked');
  const user = `update.${run}`;
  await watchPage(page, `${user}@example.org`);
  const address = `"${user}" + "@" + "example.org"`;

  const shown = await runNewCell(
    page,
    `display-${run}`,
    [
      'from IPython.display import HTML, display, clear_output',
      `handle = display(HTML("<b>status ok ${run}</b>"), display_id=True)`,
    ].join('\n'),
  );
  const output = shown.locator('.jp-OutputArea-output');
  await expect(output.getByText(`status ok ${run}`)).toBeVisible({ timeout: 30_000 });

  // Updated from another cell to show an address: held where it was shown.
  await runNewCell(
    page,
    `update-bad-${run}`,
    `handle.update(HTML("<b>mail " + ${address} + "</b>"))`,
  );
  await expect(shown.locator('.jp-Privet-held li[data-rule="email"]')).toBeVisible({
    timeout: 30_000,
  });
  // Updated back to harmless content: shown again.
  await runNewCell(page, `update-ok-${run}`, `handle.update(HTML("<b>status fine ${run}</b>"))`);
  await expect(output.getByText(`status fine ${run}`)).toBeVisible({ timeout: 30_000 });
  await expect(shown.locator('.jp-Privet-held')).toHaveCount(0);

  // clear_output(wait=True) then a new output: the replacement is checked too.
  const cleared = await runNewCell(
    page,
    `clear-${run}`,
    [`print("first ${run}")`, 'clear_output(wait=True)', `print("then " + ${address})`].join('\n'),
  );
  await expect(cleared.locator('.jp-Privet-held li[data-rule="email"]')).toBeVisible({
    timeout: 30_000,
  });

  expect(await pageLeaked(page), 'the address was never on the page').toBe(false);
  await openPanel(page); // the left sidebar as the other tests expect it
});

test('output metadata cannot add to what is drawn: a JSON tree keeps its own label', async ({
  page,
}) => {
  await notebookWithView(page, env.tokens.alice!, 'visits_masked');
  // JupyterLab's JSON viewer labels the tree with metadata `root`, which the checks do not read:
  // the gate hands the renderer only the metadata that sizes or frames the drawing.
  const label = `label-${run}`;
  const shown = await runNewCell(
    page,
    `json-root-${run}`,
    [
      'from IPython.display import display',
      `display({"application/json": {"status": "ok ${run}"}}, raw=True,`,
      `        metadata={"application/json": {"root": "${label}", "expanded": True}})`,
    ].join('\n'),
  );
  const output = shown.locator('.jp-OutputArea-output');
  await expect(output.getByText(`ok ${run}`)).toBeVisible({ timeout: 30_000 });
  await expect(output.getByText(label)).toHaveCount(0);
  await openPanel(page);
});
