/**
 * ipywidgets outputs hold only a model id; what a widget draws arrives in the kernel's comm
 * messages. The gate checks a widget with the state of every model it draws: a widget showing an
 * address is held, a harmless one is drawn, and when a drawn widget's state changes to show an
 * address it is held before it is redrawn — the address never reaches the page. Output widgets
 * render captured outputs through the notebook's gated registry, so those are checked too. A
 * reopened notebook draws its widgets once the kernel sent their state again, and still holds a
 * flagged one.
 */
import { expect, test, type Page } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { pageLeaked, watchPage } from '../support/page-watch.js';
import { openPanel, SHOTS } from '../support/lab.js';
import {
  notebookWithView,
  runNewCell,
  visibleNotebook,
  waitForIdleKernel,
} from '../support/notebook.js';

const env = uiTestEnv();
const run = Date.now().toString(36);

test('widgets are checked with what they draw, also when their state changes', async ({ page }) => {
  await notebookWithView(page, env.tokens.alice!, 'visits_masked');
  const user = `widget.${run}`;
  const email = `${user}@example.org`;
  await watchPage(page, email);
  const address = `"${user}" + "@" + "example.org"`;

  // A harmless HTML widget is drawn.
  const shown = await runNewCell(
    page,
    `widget-ok-${run}`,
    ['import ipywidgets as w', `status = w.HTML(value="<b>Progress 0% ${run}</b>")`, 'status'].join(
      '\n',
    ),
  );
  await expect(shown.locator('.widget-html', { hasText: `Progress 0% ${run}` })).toBeVisible({
    timeout: 60_000,
  });

  // A widget whose state shows an address is held: the bare output (a model id) would pass.
  const held = await runNewCell(
    page,
    `widget-held-${run}`,
    `w.VBox([w.Label(value="Contact"), w.HTML(value="<i>" + ${address} + "</i>")])`,
  );
  await expect(held.locator('.jp-Privet-held li[data-rule="email"]')).toBeVisible({
    timeout: 30_000,
  });
  await expect(held.locator('.widget-vbox')).toHaveCount(0);

  // The drawn widget's state changes to show the address: held before it is redrawn.
  await runNewCell(page, `widget-update-${run}`, `status.value = "<b>mail " + ${address} + "</b>"`);
  await expect(shown.locator('.jp-Privet-held li[data-rule="email"]')).toBeVisible({
    timeout: 30_000,
  });
  await expect(shown.locator('.widget-html')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/widget-held.png` });

  // Harmless again: drawn again, with its new state.
  await runNewCell(page, `widget-back-${run}`, `status.value = "<b>Progress 100% ${run}</b>"`);
  await expect(shown.locator('.widget-html', { hasText: `Progress 100% ${run}` })).toBeVisible({
    timeout: 30_000,
  });

  // An Output widget's captured output is rendered through the gate as well.
  const captured = await runNewCell(
    page,
    `widget-output-${run}`,
    [
      'out = w.Output()',
      'display(out)',
      'with out:',
      `    print("captured ${run}")`,
      `    print("reach " + ${address})`,
    ].join('\n'),
  );
  await expect(captured.locator('.jp-Privet-held li[data-rule="email"]')).toBeVisible({
    timeout: 30_000,
  });

  expect(await pageLeaked(page), 'the address was never on the page').toBe(false);
  await openPanel(page); // the left sidebar as the other tests expect it
});

/**
 * Opens a new notebook (File → New → Notebook, default kernel) and waits for its kernel: one this
 * session made and saves, so JupyterLab trusts it when it is reopened (a notebook left by another
 * test may hold untrusted outputs, and untrusted outputs never render widgets).
 */
async function newNotebook(page: Page): Promise<void> {
  await page.locator('.lm-MenuBar-itemLabel', { hasText: 'File' }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^New$/ }).hover();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^Notebook$/ }).click();
  // JupyterLab asks which kernel to start (the default is preselected).
  await page
    .locator('.jp-Dialog')
    .getByRole('button', { name: 'Select' })
    .click({ timeout: 30_000 });
  await expect(visibleNotebook(page).locator('.jp-CodeCell')).toHaveCount(1, { timeout: 30_000 });
  await waitForIdleKernel(page);
}

test('a reopened notebook draws its widgets once the kernel sent their state', async ({ page }) => {
  await notebookWithView(page, env.tokens.alice!, 'visits_masked');
  await newNotebook(page);
  const user = `reopen.${run}`;
  const ok = await runNewCell(
    page,
    `reopen-ok-${run}`,
    ['import ipywidgets as w', `w.HTML(value="<b>still here ${run}</b>")`].join('\n'),
  );
  await expect(ok.locator('.widget-html', { hasText: `still here ${run}` })).toBeVisible({
    timeout: 60_000,
  });
  // Drawn harmless, then updated to show an address: the saved output (a model id and a harmless
  // repr) passes the save filter, so the reopened notebook must hold it by the kernel's state.
  const sneaky = await runNewCell(
    page,
    `reopen-held-${run}`,
    `later = w.HTML(value="<i>nothing yet ${run}</i>")\nlater`,
  );
  await expect(sneaky.locator('.widget-html', { hasText: `nothing yet ${run}` })).toBeVisible({
    timeout: 30_000,
  });
  await runNewCell(
    page,
    `reopen-update-${run}`,
    `later.value = "<i>" + "${user}" + "@" + "example.org" + "</i>"`,
  );
  await expect(sneaky.locator('.jp-Privet-held li[data-rule="email"]')).toBeVisible({
    timeout: 30_000,
  });
  await page.keyboard.press('Control+s');
  await expect(page.locator('.jp-mod-current .jp-mod-dirty')).toHaveCount(0, { timeout: 10_000 });

  // Reloaded: the outputs render before the widget manager restores the kernel's widgets; the
  // gate holds them until their state arrives, then draws the harmless one only.
  await page.reload();
  await watchPage(page, `${user}@example.org`);
  const notebook = visibleNotebook(page);
  const reopened = notebook.locator('.jp-CodeCell', { hasText: `reopen-ok-${run}` });
  await expect(reopened.locator('.widget-html', { hasText: `still here ${run}` })).toBeVisible({
    timeout: 60_000,
  });
  const held = notebook.locator('.jp-CodeCell', { hasText: `reopen-held-${run}` });
  await expect(held.locator('.jp-Privet-held li[data-rule="email"]')).toBeVisible({
    timeout: 30_000,
  });
  await expect(held.locator('.widget-html')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/widget-reopened.png` });
  expect(await pageLeaked(page), 'the address was never on the page').toBe(false);
  await openPanel(page); // the left sidebar as the other tests expect it
});
