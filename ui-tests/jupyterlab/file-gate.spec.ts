/**
 * Files the kernel writes open in JupyterLab's viewers and editors only after Privet's checks
 * passed on them: a CSV with a small count and a text file with an email address stay hidden
 * behind a notice naming the rule (never the content); a CSV with large counts is shown.
 */
import { expect, test, type Page } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { openPanel, SHOTS } from '../support/lab.js';
import { notebookWithView, runNewCell, waitForIdleKernel } from '../support/notebook.js';

const env = uiTestEnv();
const run = Date.now().toString(36);

/** Opens `path` with File › Open from Path… (keyboard only, through the command palette). */
async function openFromPath(page: Page, path: string): Promise<void> {
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#command-palette .lm-CommandPalette-input');
  await expect(palette).toBeFocused();
  await palette.fill('Open from Path');
  await page.keyboard.press('Enter');
  const input = page.locator('.jp-Dialog input');
  await expect(input).toBeFocused();
  await input.fill(path);
  await page.keyboard.press('Enter');
}

test('a file the kernel wrote is shown only once the review check passes', async ({ page }) => {
  await notebookWithView(page, env.tokens.alice!, 'visits_masked');
  const small = `privet-small-${run}.csv`;
  const large = `privet-large-${run}.csv`;
  const notes = `privet-notes-${run}.txt`;
  const email = `file.${run}@example.org`;
  await runNewCell(
    page,
    `files-${run}`,
    [
      `open("${small}", "w").write("diagnosis,count\\nHIV,3\\nflu,1200\\n")`,
      `open("${large}", "w").write("diagnosis,count\\nHIV,300\\nflu,1200\\n")`,
      `open("${notes}", "w").write("Contact: " + "file.${run}" + "@" + "example.org\\n")`,
    ].join('\n'),
  );
  await waitForIdleKernel(page);

  await openFromPath(page, small);
  const held = page.locator('.jp-Privet-fileHeld:not(.lm-mod-hidden)');
  await expect(held.locator('.jp-Privet-heldFile li[data-rule="small-cell"]')).toBeVisible({
    timeout: 30_000,
  });
  await expect(held.locator('.jp-CSVViewer')).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/file-held-csv.png` });

  await openFromPath(page, notes);
  await expect(held.locator('.jp-Privet-heldFile li[data-rule="email"]')).toBeVisible({
    timeout: 30_000,
  });
  // The editor holds the text in its (hidden) DOM; nothing of it is drawn.
  await expect(page.locator('body')).not.toContainText(email, { useInnerText: true });
  // Find searches the hidden editor's text: its box, which would count matches, is not drawn.
  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Edit$/ }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^Find…$/ }).click();
  await expect(held.locator('.jp-DocumentSearch-overlay')).toHaveCount(1);
  await page.keyboard.type(run);
  await expect(held.locator('.jp-DocumentSearch-overlay')).toBeHidden();
  await expect(page.locator('.jp-DocumentSearch-index-counter:visible')).toHaveCount(0);
  await page.keyboard.press('Escape');

  await openFromPath(page, large);
  const shown = page.locator('.jp-MainAreaWidget:not(.lm-mod-hidden) .jp-CSVViewer');
  await expect(shown).toBeVisible({ timeout: 30_000 });
  await expect(
    page.locator('.jp-MainAreaWidget:not(.lm-mod-hidden) .jp-Privet-heldFile'),
  ).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/file-shown-csv.png` });
  await openPanel(page);
});
