/**
 * Privet's JupyterLab panels pass axe-core's WCAG checks (names and roles of controls, labels,
 * ARIA use, colour contrast): in the light and the dark theme, the data panel with a view card
 * open, a DP dry run and an SQL result, and the budget and record sidebar; a held output's
 * placeholder, and the review queue holding its request.
 * JupyterLab's own shell (its landmarks, the launcher) is not Privet's and is left out.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { notebookWithView, runNewCell } from '../support/notebook.js';
import { acceptLinkSignIn, useTheme } from '../support/lab.js';
import { requestReviewId } from '../support/review.js';

const env = uiTestEnv();

/** Axe's violations inside `selector`, one line each with the first nodes it names. */
async function violations(page: Page, selector: string): Promise<string[]> {
  await expect(page.locator(selector)).toBeVisible();
  const result = await new AxeBuilder({ page })
    .include(selector)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .disableRules(['region']) // JupyterLab's sidebars are not landmarks; not Privet's to change
    .analyze();
  expect(result.passes.length, `axe checked ${selector}`).toBeGreaterThan(10);
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

/** Opens a workspace of its own signed in through the link for `user`. */
async function openAs(page: Page, user: string): Promise<void> {
  await page.goto(
    `${env.jupyterUrl}/lab/workspaces/a11y-${user}-${Date.now()}?token=${env.jupyterToken}#privet-token=${env.tokens[user]}`,
  );
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0, { timeout: 60_000 });
  await acceptLinkSignIn(page); // nobody, or someone else, signed in in this browser before
}

test('the data panel and the budget sidebar, in the light and the dark theme', async ({ page }) => {
  await openAs(page, 'alice');
  const panel = page.locator('#privet-data-panel');
  await expect(panel.locator('.jp-Privet-user')).toContainText('Alice Analyst', {
    timeout: 30_000,
  });
  await panel.locator('.jp-Privet-view[data-view="patients_masked"] summary').click();
  await panel.getByRole('button', { name: 'Dry run' }).click();
  await expect(panel.getByText(/95% error/)).toBeVisible({ timeout: 30_000 });
  const sqlRun = panel.getByRole('button', { name: 'Run', exact: true }).last();
  await sqlRun.click();
  await expect(panel.getByText(/\d+ rows? · \d+ ms/)).toBeVisible({ timeout: 60_000 });
  await page.locator('.jp-SideBar .lm-TabBar-tab[data-id="privet-budget"]').click();
  await expect(page.locator('#privet-budget .jp-Privet-gaugeBar').first()).toBeVisible();

  expect(await violations(page, '#privet-data-panel'), 'data panel, light').toEqual([]);
  expect(await violations(page, '#privet-budget'), 'budget sidebar, light').toEqual([]);
  await useTheme(page, 'JupyterLab Dark');
  try {
    expect(await violations(page, '#privet-data-panel'), 'data panel, dark').toEqual([]);
    expect(await violations(page, '#privet-budget'), 'budget sidebar, dark').toEqual([]);
  } finally {
    await useTheme(page, 'JupyterLab Light'); // the theme is a user setting the other tests share
  }
});

test('a held output and the review queue with its request', async ({ page }) => {
  test.setTimeout(180_000);
  await notebookWithView(page, env.tokens.alice!, 'patients_masked');
  const marker = `a11y-held-${Date.now()}`;
  const cell = await runNewCell(page, marker, 'print("contact: kim.jones@example.org")');
  const held = cell.locator('.jp-Privet-held');
  await expect(held).toBeVisible({ timeout: 30_000 });
  // Axe takes CSS selectors: the placeholder is marked so that one names it.
  await held.evaluate((el, id) => el.setAttribute('data-a11y', id), marker);
  expect(await violations(page, `[data-a11y="${marker}"]`), 'held output').toEqual([]);
  await requestReviewId(page, held, `accessibility check ${marker}`);

  const reviewer = await page.context().newPage(); // a tab of its own: its own sign-in
  await openAs(reviewer, 'rita');
  const queue = reviewer.locator('#privet-review-queue');
  const card = queue.locator('.jp-Privet-review', { hasText: marker });
  await expect(card).toBeVisible({ timeout: 30_000 });
  expect(await violations(reviewer, '#privet-review-queue'), 'review queue').toEqual([]);
  await reviewer.close();
});
