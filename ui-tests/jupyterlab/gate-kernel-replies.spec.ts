/**
 * Kernel data shown outside outputs is gated too: the tooltip (Shift+Tab) and the help panel show
 * IPython's "String form" of a variable, the debugger's Variables panel shows each variable's
 * value and "Render Variable" its MIME bundle, so an email held in an output must not leak there.
 * Harmless help and values still show, and markdown cells (authored text) render as written.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { SHOTS } from '../support/lab.js';
import { notebookWithView, runNewCell } from '../support/notebook.js';

const env = uiTestEnv();
const run = Date.now().toString(36);

test('tooltip and help panel hold a variable whose value is an email', async ({ page }) => {
  const notebook = await notebookWithView(page, env.tokens.bob!, 'visits_masked');
  const email = `tip.${run}@example.org`;
  const variable = `contact_${run}`;
  const cell = await runNewCell(
    page,
    `reply-${run}`,
    `${variable} = "tip.${run}" + "@" + "example.org"\nlen(${variable})`,
  );
  await expect(cell.locator('.jp-OutputArea-output')).toContainText(String(email.length), {
    timeout: 30_000,
  });

  // A new cell holding just the name; Shift+Tab at its end asks the kernel for the tooltip.
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await notebook.locator('.jp-Cell.jp-mod-active .jp-InputArea-editor').click();
  await page.keyboard.insertText(variable);
  const tooltip = page.locator('.jp-Tooltip');
  await expect(async () => {
    await page.keyboard.press('Shift+Tab');
    await expect(tooltip).toBeVisible({ timeout: 5000 });
  }).toPass({ timeout: 60_000 });
  await expect(tooltip.locator('.jp-Privet-held li[data-rule="email"]')).toBeVisible();
  await expect(tooltip).toContainText('Kernel reply held by Privet');
  await expect(page.locator('body')).not.toContainText(email);
  await page.screenshot({ path: `${SHOTS}/held-tooltip.png` });
  await page.keyboard.press('Escape');

  // The help panel (Help → Show Contextual Help) renders the reply with the notebook's registry.
  await notebook.locator('.jp-Cell.jp-mod-active .jp-InputArea-editor').click();
  await page.keyboard.press('End');
  await page.locator('#jp-menu-panel').getByText('Help', { exact: true }).click();
  await page.locator('.lm-Menu').getByText('Show Contextual Help', { exact: true }).click();
  const help = page.locator('.jp-Inspector');
  await expect(help).toBeVisible({ timeout: 30_000 });
  // The panel asks the kernel when the editor changes: back to the cell, edit at the name's end.
  await notebook.locator('.jp-Cell.jp-mod-active .jp-InputArea-editor').click();
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.insertText(variable.slice(-1));
  await expect(help.locator('.jp-Privet-held li[data-rule="email"]')).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.locator('body')).not.toContainText(email);
  // Closed again, so the restored layout of later tests is not squeezed by it.
  await page
    .locator('.lm-TabBar-tab', { hasText: 'Contextual Help' })
    .locator('.lm-TabBar-tabCloseIcon')
    .click();
  await expect(help).toHaveCount(0);

  // Harmless help passes: the tooltip of a builtin shows its docstring.
  await notebook.locator('.jp-Cell.jp-mod-active .jp-InputArea-editor').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText('len');
  await expect(async () => {
    await page.keyboard.press('Shift+Tab');
    await expect(tooltip).toContainText('Return the number of items', { timeout: 5000 });
  }).toPass({ timeout: 60_000 });
  await expect(tooltip.locator('.jp-Privet-held')).toHaveCount(0);
  await page.keyboard.press('Escape');

  // Markdown cells are authored text and render with the ungated registry.
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await page.keyboard.press('m');
  await notebook.locator('.jp-Cell.jp-mod-active .jp-InputArea-editor').click();
  const authored = `md.${run}@example.org`;
  await page.keyboard.insertText(`Contact: ${authored}`);
  await page.keyboard.press('Shift+Enter');
  await expect(
    notebook.locator('.jp-MarkdownCell .jp-RenderedMarkdown', { hasText: authored }),
  ).toBeVisible({ timeout: 30_000 });
});

/**
 * Clicks the notebook's debugger toggle: on the toolbar, or in its overflow menu when earlier
 * tests left wide sidebars and the toolbar is too narrow to show it.
 */
async function toggleDebugger(page: Page, notebook: Locator): Promise<void> {
  const inline = notebook.locator('.jp-NotebookPanel-toolbar .jp-DebuggerBugButton');
  await expect(async () => {
    if (await inline.isVisible()) {
      await expect(inline).toBeEnabled({ timeout: 2000 });
      await inline.click();
      return;
    }
    await notebook.locator('.jp-Toolbar-responsive-opener').click();
    const inMenu = page.locator('.jp-Toolbar-responsive-popup .jp-DebuggerBugButton:visible');
    await expect(inMenu).toBeEnabled({ timeout: 2000 });
    await inMenu.click();
  }).toPass({ timeout: 60_000 });
}

test("the debugger's Variables panel holds a value that is an email", async ({ page }) => {
  const notebook = await notebookWithView(page, env.tokens.bob!, 'visits_masked');
  const rightTabs = page.locator('.jp-SideBar.jp-mod-right .lm-TabBar-tab');
  const current = rightTabs.and(page.locator('.lm-mod-current'));
  const previous = (await current.count()) > 0 ? await current.getAttribute('data-id') : null;
  // The debugger lists the kernel's variables after each run once it is enabled.
  await toggleDebugger(page, notebook);
  await expect(page.locator('.jp-DebuggerBugButton[aria-pressed="true"]')).not.toHaveCount(0);
  const email = `dbg.${run}@example.org`;
  const held = `held_${run}`;
  const safe = `safe_${run}`;
  await runNewCell(
    page,
    `debugger-${run}`,
    `${held} = "dbg.${run}" + "@" + "example.org"\n${safe} = 40 + 2`,
  );
  const tab = rightTabs.and(page.locator('[data-id="jp-debugger-sidebar"]'));
  const sidebar = page.locator('#jp-debugger-sidebar');
  if (!(await sidebar.isVisible())) await tab.click();
  const variables = sidebar.locator('.jp-DebuggerVariables');
  await expect(variables).toContainText(safe, { timeout: 60_000 });
  await expect(variables).toContainText(held);
  await expect(variables).toContainText('held by Privet review: rules email');
  await expect(variables).toContainText('42');
  await expect(page.locator('body')).not.toContainText(email);
  await page.screenshot({ path: `${SHOTS}/held-debugger-variable.png` });

  // "Render Variable" asks the kernel for the variable's MIME bundle, which is checked where it
  // arrives (with a code console active, JupyterLab renders it with its global, ungated registry).
  const row = variables
    .locator('.jp-TreeItem', { has: page.locator('.jp-DebuggerVariables-name', { hasText: held }) })
    .last();
  const render = row.locator('.jp-DebuggerVariables-renderVariable').first();
  await expect(async () => {
    await row.locator('.jp-DebuggerVariables-name').first().hover();
    await render.click({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  const rich = page.locator('.jp-DebuggerRichVariable');
  await expect(rich).toContainText('held by Privet review: rules email', { timeout: 30_000 });
  await expect(page.locator('body')).not.toContainText(email);
  await page.screenshot({ path: `${SHOTS}/held-debugger-rich-variable.png` });
  await page
    .locator('.lm-TabBar-tab', { hasText: held })
    .locator('.lm-TabBar-tabCloseIcon')
    .click();
  await expect(rich).toHaveCount(0);
  // Leave the layout as later tests expect it: debugger off, the right sidebar as it was.
  await toggleDebugger(page, notebook);
  if (previous) await rightTabs.and(page.locator(`[data-id="${previous}"]`)).click();
  else if (await sidebar.isVisible()) await tab.click();
  await expect(sidebar).toBeHidden();
});

test('an input() prompt that carries an email is held; the answer is kept', async ({ page }) => {
  await notebookWithView(page, env.tokens.bob!, 'visits_masked');
  const email = `ask.${run}@example.org`;
  const cell = await runNewCell(
    page,
    `stdin-${run}`,
    `answer = input("Send the file to " + "ask.${run}" + "@" + "example.org" + "? ")\nprint("got", answer)`,
  );
  const stdin = cell.locator('.jp-Stdin');
  await expect(stdin).toBeVisible({ timeout: 60_000 });
  await expect(stdin.locator('.jp-Stdin-prompt')).toContainText(
    'input prompt held by Privet review: rules email',
  );
  await expect(page.locator('body')).not.toContainText(email);
  await page.screenshot({ path: `${SHOTS}/held-stdin-prompt.png` });
  await stdin.locator('input').fill('yes please');
  await stdin.locator('input').press('Enter');
  await expect(cell.locator('.jp-OutputArea')).toContainText('got yes please', {
    timeout: 30_000,
  });
  await expect(page.locator('body')).not.toContainText(email);
});

test('file editors get no kernel tooltip (it would render with the ungated registry)', async ({
  page,
}) => {
  await notebookWithView(page, env.tokens.bob!, 'visits_masked');
  // JupyterLab lists the plugins an extension disables in the page's configuration.
  const disabled = await page.evaluate(() => {
    const data = document.getElementById('jupyter-config-data')?.textContent ?? '{}';
    return (JSON.parse(data) as { disabledExtensions?: string[] }).disabledExtensions ?? [];
  });
  expect(disabled).toContain('@jupyterlab/tooltip-extension:files');
  expect(disabled).not.toContain('@jupyterlab/tooltip-extension:notebooks');
});
