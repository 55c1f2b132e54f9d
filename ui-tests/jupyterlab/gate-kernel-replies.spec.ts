/**
 * Kernel data shown outside outputs is gated too: the tooltip (Shift+Tab) and the help panel show
 * IPython's "String form" of a variable, the debugger's Variables panel shows each variable's
 * value and "Render Variable" its MIME bundle, its Debug Console ("Evaluate Code") an evaluate
 * result and its completions, set_next_input (`%load`) writes kernel text into a cell, and the
 * completer lists dict keys and shows help in its documentation panel — so an email held in an
 * output must not leak there. Harmless help and values still show, and markdown cells (authored
 * text) render as written.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { SHOTS } from '../support/lab.js';
import { notebookWithView, runNewCell } from '../support/notebook.js';
import { pageLeaked, watchPage } from '../support/page-watch.js';

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

test("the debugger's Evaluate Code holds a result that is an email", async ({ page }) => {
  const notebook = await notebookWithView(page, env.tokens.bob!, 'visits_masked');
  const rightTabs = page.locator('.jp-SideBar.jp-mod-right .lm-TabBar-tab');
  const current = rightTabs.and(page.locator('.lm-mod-current'));
  const previous = (await current.count()) > 0 ? await current.getAttribute('data-id') : null;
  const debugging = page.locator('.jp-DebuggerBugButton[aria-pressed="true"]');
  if ((await debugging.count()) === 0) await toggleDebugger(page, notebook);
  await expect(debugging).not.toHaveCount(0);
  const email = `eval.${run}@example.org`;
  await watchPage(page, `${run}@example.org`);
  const probe = `probe_${run}`;
  // A cell whose function stops at a breakpoint on its last line (line 5 of the cell).
  await notebook.locator('.jp-Cell.jp-mod-active .jp-InputArea-editor').click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  const editor = notebook.locator('.jp-Cell.jp-mod-active .jp-InputArea-editor');
  await editor.click();
  await page.keyboard.insertText(
    [
      `# evaluate-${run}`,
      `def ${probe}():`,
      `    held = "eval.${run}" + "@" + "example.org"`,
      `    book = {held: 1, "plain": 2}`,
      `    return len(held) + len(book)`,
      `${probe}()`,
    ].join('\n'),
  );
  const cell = notebook.locator('.jp-CodeCell', { hasText: `evaluate-${run}` });
  // The debugger re-sends a cell's breakpoints 1 s after its last edit, from what the editor
  // shows: a breakpoint clicked before that would be sent as none.
  await page.waitForTimeout(1500);
  /** Clicks the breakpoint gutter beside the cell's `return` line (adds or removes one). */
  const toggleBreakpoint = async (): Promise<void> => {
    // Earlier tests may leave a wide side panel: the cell can be scrolled out of the notebook.
    await cell.locator('.cm-line').nth(4).scrollIntoViewIfNeeded();
    const line = (await cell.locator('.cm-line').nth(4).boundingBox())!;
    const gutter = (await cell.locator('.cm-gutter.cm-breakpoint-gutter').boundingBox())!;
    await page.mouse.click(gutter.x + gutter.width / 2, line.y + line.height / 2);
  };
  const breakpoints = page.locator('#jp-debugger-sidebar .jp-DebuggerBreakpoint');
  await toggleBreakpoint();
  await expect(breakpoints).toHaveCount(1);
  await cell.locator('.jp-InputArea-editor').click();
  await page.keyboard.press('Control+Enter');
  const sidebar = page.locator('#jp-debugger-sidebar');
  const tab = rightTabs.and(page.locator('[data-id="jp-debugger-sidebar"]'));
  if (!(await sidebar.isVisible())) await tab.click();
  await expect(sidebar.locator('.jp-DebuggerCallstackFrame')).not.toHaveCount(0, {
    timeout: 60_000,
  });
  await sidebar.locator('[title="Evaluate Code"]').first().click();
  const debugConsole = page.locator('.jp-DebugConsole');
  await expect(debugConsole).toBeVisible({ timeout: 30_000 });
  const prompt = debugConsole.locator('.jp-CodeConsole-promptCell .jp-InputArea-editor');
  /** Evaluates `expression` in the stopped frame (Shift+Enter in the Debug Console). */
  const evaluate = async (expression: string): Promise<Locator> => {
    await prompt.click();
    await page.keyboard.insertText(expression);
    await page.keyboard.press('Shift+Enter');
    return debugConsole.locator('.jp-CodeCell', { hasText: expression }).last();
  };
  const heldResult = await evaluate('held');
  await expect(heldResult.locator('.jp-OutputArea-output')).toContainText(
    'held by Privet review: rules email',
    { timeout: 30_000 },
  );
  const safeResult = await evaluate('len(book)');
  await expect(safeResult.locator('.jp-OutputArea-output')).toContainText('2', {
    timeout: 30_000,
  });
  await page.screenshot({ path: `${SHOTS}/held-debugger-evaluate.png` });

  // The Debug Console's completions evaluate code too: names complete, an email key never shows.
  const list = page.locator('.jp-Completer:not(.lm-mod-hidden)');
  await prompt.click();
  await page.keyboard.insertText('boo');
  await expect(async () => {
    await page.keyboard.press('Tab');
    await expect(list).toBeVisible({ timeout: 5000 });
  }).toPass({ timeout: 30_000 });
  await expect(list).toContainText('book');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+a');
  await page.keyboard.insertText('book["');
  await page.keyboard.press('Tab');
  await expect(list).toBeHidden({ timeout: 10_000 });
  await expect(page.locator('body')).not.toContainText(email);
  expect(await pageLeaked(page), 'the address was never on the page').toBe(false);
  await page.keyboard.press('Escape');

  // Continue: the cell finishes; then leave the layout as later tests expect it.
  await sidebar.locator('[title^="Continue"]').first().click();
  await expect(cell.locator('.jp-OutputArea-output')).toContainText(String(email.length + 2), {
    timeout: 30_000,
  });
  // Without breakpoints, so the kernel's debugger stops for good when it is switched off.
  await expect(async () => {
    if ((await breakpoints.count()) > 0) await toggleBreakpoint();
    await expect(breakpoints).toHaveCount(0, { timeout: 3000 });
  }).toPass({ timeout: 30_000 });
  await toggleDebugger(page, notebook);
  await expect(debugConsole).toHaveCount(0);
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

test('set_next_input text that carries an email is not written into the notebook', async ({
  page,
}) => {
  const notebook = await notebookWithView(page, env.tokens.bob!, 'visits_masked');
  const email = `next.${run}@example.org`;
  const loaded = `load.${run}@example.org`;
  await watchPage(page, `${run}@example.org`);
  const heldCells = notebook.locator('.jp-CodeCell', {
    hasText: '# held by Privet review: rules email',
  });
  await expect(heldCells).toHaveCount(0);

  // Harmless text is inserted as a new cell below, as JupyterLab does.
  await runNewCell(
    page,
    `next-safe-${run}`,
    `get_ipython().set_next_input("answer_${run} = 40 + 2")`,
  );
  const inserted = notebook.locator('.jp-CodeCell', {
    hasText: `answer_${run} = 40 + 2`,
    hasNotText: 'set_next_input',
  });
  await expect(inserted).toHaveCount(1, { timeout: 30_000 });

  // Text with an email becomes a comment naming the rules.
  await runNewCell(
    page,
    `next-held-${run}`,
    `get_ipython().set_next_input("to = " + repr("next.${run}" + "@" + "example.org"))`,
  );
  await expect(heldCells).toHaveCount(1, { timeout: 30_000 });
  await expect(heldCells).toContainText('was not inserted');

  // %load replaces the cell with a file's text: the held file's text is not written either.
  // (Run once, without runNewCell's retries: the cell's marker is gone once it is replaced.)
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await notebook.locator('.jp-Cell.jp-mod-active .jp-InputArea-editor').click();
  await page.keyboard.insertText(
    `# load-${run}\nopen("load_${run}.py", "w").write("to = " + repr("load.${run}" + "@" + "example.org") + "\\n")\n%load load_${run}.py`,
  );
  await page.keyboard.press('Control+Enter');
  await expect(heldCells).toHaveCount(2, { timeout: 30_000 });
  await expect(notebook.locator('.jp-CodeCell', { hasText: `load-${run}` })).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(email);
  await expect(page.locator('body')).not.toContainText(loaded);
  expect(await pageLeaked(page), 'the address was never on the page').toBe(false);
  await page.screenshot({ path: `${SHOTS}/held-set-next-input.png` });
});

/** Sets (or with `{}`, resets) a plugin's user settings through the Jupyter server's API. */
async function putSettings(plugin: string, values: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${env.jupyterUrl}/lab/api/settings/${plugin}`, {
    method: 'PUT',
    headers: { authorization: `token ${env.jupyterToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ raw: JSON.stringify(values) }),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
}

test("the completer's documentation panel and dict keys hold kernel text with an email", async ({
  page,
}) => {
  const completer = '@jupyterlab/completer-extension:manager';
  await putSettings(completer, { showDocumentationPanel: true });
  try {
    const notebook = await notebookWithView(page, env.tokens.bob!, 'visits_masked');
    const email = `doc.${run}@example.org`;
    await watchPage(page, `${run}@example.org`);
    const [held, safe] = [`pick_${run}_a`, `pick_${run}_b`];
    const cell = await runNewCell(
      page,
      `completer-${run}`,
      [
        `${held} = "doc.${run}" + "@" + "example.org"`,
        `${safe} = 40 + 2`,
        `book_${run} = {"key.${run}" + "@" + "example.org": 1, "plain_${run}": 2}`,
        `len(book_${run})`,
      ].join('\n'),
    );
    await expect(cell.locator('.jp-OutputArea-output')).toContainText('2', { timeout: 30_000 });

    // Tab lists both names; the documentation of the one holding an email is held.
    await page.keyboard.press('Escape');
    await page.keyboard.press('b');
    const editor = notebook.locator('.jp-Cell.jp-mod-active .jp-InputArea-editor');
    await editor.click();
    await page.keyboard.insertText(`pick_${run}_`);
    const list = page.locator('.jp-Completer:not(.lm-mod-hidden)');
    await expect(async () => {
      await page.keyboard.press('Tab');
      await expect(list).toBeVisible({ timeout: 5000 });
    }).toPass({ timeout: 60_000 });
    await expect(list.locator('.jp-Completer-item')).toHaveCount(2);
    const active = list.locator('.jp-Completer-item.jp-mod-active');
    const docs = list.locator('.jp-Completer-docpanel');
    /** Moves the completer's selection (down, wrapping) to the item named `label`. */
    const select = async (label: string): Promise<void> => {
      await expect(async () => {
        if (!((await active.textContent()) ?? '').includes(label)) {
          await page.keyboard.press('ArrowDown');
        }
        await expect(active).toContainText(label, { timeout: 1000 });
      }).toPass({ timeout: 20_000 });
    };
    await select(held);
    await expect(docs).toContainText('held by Privet review: rules email', { timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}/held-completer-docs.png` });
    // The harmless name's documentation shows.
    await select(safe);
    await expect(docs).toContainText('int', { timeout: 30_000 });
    await expect(docs).not.toContainText('held by Privet');
    await page.keyboard.press('Escape');

    // Dict keys: the key that is an email is not offered; the other one is.
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText(`book_${run}["`);
    await expect(async () => {
      await page.keyboard.press('Tab');
      await expect(list).toBeVisible({ timeout: 5000 });
    }).toPass({ timeout: 60_000 });
    await expect(list.locator('.jp-Completer-item')).toHaveCount(1);
    await expect(list.locator('.jp-Completer-item')).toContainText(`plain_${run}`);
    await page.keyboard.press('Escape');
    await expect(page.locator('body')).not.toContainText(email);
    expect(await pageLeaked(page), 'the address was never on the page').toBe(false);
  } finally {
    await putSettings(completer, {});
  }
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
