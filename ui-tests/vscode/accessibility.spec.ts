/**
 * Privet's VS Code webviews pass axe-core's WCAG checks (names and roles of controls, labels,
 * ARIA use, colour contrast) in a dark and a light theme: the budget & record view and the review
 * queue, and the fidelity report (a page without scripts: checked as VS Code drew it, in a scratch
 * page — support/axe.ts).
 */
import { expect, test, type Frame, type Page } from '@playwright/test';
import { staticWebviewViolations, webviewViolations } from './support/axe.js';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import {
  budgetFrame,
  openWorkbench,
  pick,
  reviewQueueFrame,
  runCommand,
  signInAs,
  useTheme,
} from './support/workbench.js';

const env = vscodeTestEnv();

reportPrivetLogOnFailure(env);

/** The page inside a Privet webview (the frame within its outer webview frame) showing `text`. */
async function webviewPage(page: Page, text: string): Promise<Frame> {
  let found: Frame | undefined;
  await expect(async () => {
    for (const frame of page.frames()) {
      const outer = frame.parentFrame();
      if (!outer?.url().includes('extensionId=privet.privet')) continue;
      if ((await frame.locator('body', { hasText: text }).count()) > 0) {
        found = frame;
        return;
      }
    }
    throw new Error(`no Privet webview shows "${text}" yet`);
  }).toPass({ timeout: 60_000 });
  return found!;
}

test('the budget & record view, the review queue and the fidelity report, in a dark and a light theme', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openWorkbench(page, env.url);
  const wasDark = (await page.locator('.monaco-workbench.vs-dark').count()) > 0;
  try {
    for (const [theme, dark] of [
      ['Default Dark Modern', true],
      ['Default Light Modern', false],
    ] as const) {
      await useTheme(page, theme, dark);
      await signInAs(page, 'alice', env.tokens.alice!);
      // The Privet side bar (a click on its icon while it is open would close it).
      const budgetPane = page.locator('.pane-header', { hasText: /budget & record/i });
      if (!(await budgetPane.isVisible()))
        await page.locator('.activitybar [aria-label="Privet"]').first().click();
      await expect(budgetFrame(page).getByText('Budget').first()).toBeVisible({ timeout: 30_000 });
      const budget = await webviewPage(page, 'Budget');
      expect(await webviewViolations(budget), `budget & record, ${theme}`).toEqual([]);

      await signInAs(page, 'rita', env.tokens.rita!);
      await runCommand(page, 'Privet: Open Review Queue');
      await reviewQueueFrame(page);
      const queue = await webviewPage(page, 'Review queue');
      expect(await webviewViolations(queue), `review queue, ${theme}`).toEqual([]);

      // The queue reloads on a new sign-in and can take the focus, which closes a quick pick.
      await runCommand(page, 'View: Close All Editors');
      await signInAs(page, 'sam', env.tokens.sam!);
      await runCommand(page, 'Privet: Show Fidelity Report');
      await pick(page, 'patients_synthetic'); // the quick pick of published synthetic views
      const report = await webviewPage(page, 'Fidelity of patients_synthetic');
      expect(await staticWebviewViolations(report), `fidelity report, ${theme}`).toEqual([]);

      await runCommand(page, 'View: Close All Editors');
    }
  } finally {
    await useTheme(page, wasDark ? 'Default Dark Modern' : 'Default Light Modern', wasDark).catch(
      () => undefined,
    );
  }
});
