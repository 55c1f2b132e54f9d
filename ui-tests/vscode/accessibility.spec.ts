/**
 * Privet's VS Code webviews pass axe-core's WCAG checks (names and roles of controls, labels,
 * ARIA use, colour contrast) in a dark and a light theme: the budget & record view and the review
 * queue. (The fidelity report is a webview without scripts, where axe cannot run: its timers never
 * fire there.) Axe runs inside each webview's page (its nested frame), where Privet's HTML is;
 * the workbench around it is VS Code's own.
 */
import axe from 'axe-core';
import { expect, test, type Frame, type Page } from '@playwright/test';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import {
  budgetFrame,
  openWorkbench,
  reviewQueueFrame,
  runCommand,
  signInAs,
  useTheme,
} from './support/workbench.js';

const env = vscodeTestEnv();

reportPrivetLogOnFailure(env);

/** One axe finding as the test reports it. */
interface Finding {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}
/** What axe.run answers, as far as read here. */
interface AxeAnswer {
  violations: Finding[];
  passes: unknown[];
}

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

/** Axe's violations in `frame`'s page, one line each with the nodes it names. */
async function violations(frame: Frame): Promise<string[]> {
  await frame.evaluate(axe.source);
  const answer = await frame.evaluate(() =>
    (
      window as unknown as { axe: { run(context: Document, options: object): Promise<AxeAnswer> } }
    ).axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
      // A webview is a fragment of VS Code's window, not a page: no landmarks or h1 of its own.
      rules: { region: { enabled: false }, 'page-has-heading-one': { enabled: false } },
    }),
  );
  expect(answer.passes.length, 'axe checked the webview').toBeGreaterThan(5);
  return answer.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} [${n.failureSummary ?? ''}]`).join(', ')}`,
  );
}

test('the budget & record view and the review queue, in a dark and a light theme', async ({
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
      expect(await violations(budget), `budget & record, ${theme}`).toEqual([]);

      await signInAs(page, 'rita', env.tokens.rita!);
      await runCommand(page, 'Privet: Open Review Queue');
      await reviewQueueFrame(page);
      const queue = await webviewPage(page, 'Review queue');
      expect(await violations(queue), `review queue, ${theme}`).toEqual([]);

      await runCommand(page, 'View: Close All Editors');
    }
  } finally {
    await useTheme(page, wasDark ? 'Default Dark Modern' : 'Default Light Modern', wasDark).catch(
      () => undefined,
    );
  }
});
