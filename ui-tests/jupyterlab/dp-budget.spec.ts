/**
 * DP queries and the budget sidebar in a real JupyterLab against a real gateway: alice dry-runs a
 * query on patients_dp (nothing spent), sees a refusal and an unaffordable price inline, runs it,
 * and the release renders in the notebook while the ε gauge follows GET /experiments/:id/budget.
 * Stop (and Esc in the SQL box) ends a dry run or run still waiting for the gateway.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { BudgetResponse } from '@privet/core/protocol';
import { uiTestEnv } from '../support/env.js';
import { openLab, openPanel, signIn, SHOTS, widenSidebar } from '../support/lab.js';

const env = uiTestEnv();
const SQL = 'SELECT sex, COUNT(*) AS n, AVG(income) AS mean_income FROM patients_dp GROUP BY sex';

/** The experiment's budget as the gateway reports it to alice. */
async function gatewayBudget(): Promise<BudgetResponse> {
  const response = await fetch(`${env.gatewayUrl}/api/v1/experiments/${env.experiment}/budget`, {
    headers: { Authorization: `Bearer ${env.tokens.alice}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as BudgetResponse;
}

/** The patients budget's spent ε (display text) per the gateway. */
async function spentText(): Promise<string> {
  const budget = (await gatewayBudget()).budgets.find((b) => b.source === 'patients');
  expect(budget).toBeDefined();
  return budget!.spent.epsilon.text;
}

/** Opens the right-hand budget sidebar (click its tab only while it is hidden). */
async function openBudget(page: Page): Promise<void> {
  const tab = page.locator('.jp-SideBar .lm-TabBar-tab[data-id="privet-budget"]');
  const title = page.locator('#privet-budget .jp-Privet-title');
  await expect(async () => {
    if (!(await title.isVisible())) await tab.click();
    await expect(title).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
}

/**
 * Opens JupyterLab with the data panel signed in as alice, her experiment selected; `widenBy`
 * widens the panel (the layout is kept for later tests, so only one test here widens it).
 */
async function openPanelAsAlice(page: Page, widenBy = 0): Promise<Locator> {
  await openLab(page);
  await openPanel(page);
  if (widenBy > 0) await widenSidebar(page, widenBy);
  await signIn(page, env.tokens.alice!);
  const panel = page.locator('#privet-data-panel');
  await expect(panel.getByLabel('Experiment')).toHaveValue(env.experiment);
  return panel;
}

test.describe('Privet DP queries and budget', () => {
  test('dry run prices a query for free; run spends, renders the release and the gauge drops', async ({
    page,
  }) => {
    const panel = await openPanelAsAlice(page, 220);
    await openBudget(page);
    const sidebar = page.locator('#privet-budget');
    const gauge = sidebar.locator(
      '.jp-Privet-budget[data-source="patients"] [data-figure="epsilon"]',
    );
    const before = await spentText();
    await expect(gauge.locator('.jp-Privet-spent')).toHaveText(before);
    await expect(gauge.locator('.jp-Privet-total')).toHaveText(
      (await gatewayBudget()).budgets.find((b) => b.source === 'patients')!.total.epsilon.text,
    );
    // The demo policy limits one query to ε 1 on patients (max_query_epsilon); visits has no limit.
    await expect(
      sidebar.locator('.jp-Privet-budget[data-source="patients"] .jp-Privet-perQuery'),
    ).toHaveText('At most ε 1 per query');
    await expect(sidebar.locator('.jp-Privet-budget[data-source="visits"]')).not.toContainText(
      'per query',
    );

    // Dry run: cost, ± per aggregate, budget left afterwards; nothing spent.
    const dp = panel.locator('.jp-Privet-dp');
    // The DP box names the limit of the budget its views charge before any dry run.
    await expect(dp.getByRole('list', { name: 'Per-query limits' })).toHaveText(
      'At most ε 1 per query on patients',
    );
    const sql = dp.getByLabel('DP SQL query');
    await sql.fill(SQL);
    await dp.getByLabel('epsilon').fill('0.5');
    // Ctrl+Enter in the DP SQL box dry-runs (free); spending is only ever the Run button.
    await sql.press('Control+Enter');
    const dry = panel.locator('.jp-Privet-dryRun');
    await expect(dry.locator('.jp-Privet-dryRunCost')).toContainText('ε = 0.5');
    // Filling the box opened name completion on its last word; running closes it.
    await expect(page.locator('.cm-tooltip-autocomplete')).toHaveCount(0);
    // The keys line under the box stays clear of its focus ring (2px outline, 1px offset).
    const box = (await dp.locator('.jp-Privet-sqlEditor').boundingBox())!;
    const keys = (await dp.locator('.jp-Privet-sqlKeys').boundingBox())!;
    expect(keys.y).toBeGreaterThanOrEqual(box.y + box.height + 3);
    await expect(dry.locator('tr[data-column="n"]')).toContainText('±');
    // AVG: its error shrinks with the group, so it is shown per group size.
    await expect(dry.locator('tr[data-column="mean_income"]')).toContainText(
      /± [\d.,]+ over 1,000 rows · ± [\d.,]+ over 10,000 rows/,
    );
    const remaining = (await gatewayBudget()).budgets.find((b) => b.source === 'patients')!;
    await expect(dry.locator('tr[data-source="patients"] td').nth(1)).toHaveText(
      remaining.remaining.epsilon.text,
    );
    const leftAfter = Number((remaining.remaining.epsilon.value - 0.5).toPrecision(4));
    await expect(dry.locator('tr[data-source="patients"] td').nth(2)).toHaveText(String(leftAfter));
    await expect(dry.locator('.jp-Privet-notAffordable')).toHaveCount(0);
    await dry.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/dp-dry-run.png` });
    expect(await spentText()).toBe(before);

    // More than the whole budget: shown as not affordable, still free.
    await dp.getByLabel('epsilon').fill('100');
    await dp.getByRole('button', { name: 'Dry run' }).click();
    await expect(dry.locator('.jp-Privet-notAffordable')).toContainText('Not affordable');
    await expect(dry.locator('tr[data-source="patients"] td').nth(2)).toHaveText('not affordable');
    await page.screenshot({ path: `${SHOTS}/dp-not-affordable.png` });
    // Within what is left but above the per-query limit: not affordable either, saying the limit.
    await dp.getByLabel('epsilon').fill('1.5');
    await dp.getByRole('button', { name: 'Dry run' }).click();
    await expect(dry.locator('.jp-Privet-notAffordable')).toContainText(
      'ε=1.5 on patients (at most 1 per query)',
    );
    await expect(dry.locator('.jp-Privet-notAffordable')).toContainText(
      'ask for less ε in this query',
    );
    await expect(dry.locator('tr[data-source="patients"] td').first()).toHaveText(
      'patients · at most ε 1 per query',
    );
    await page.screenshot({ path: `${SHOTS}/dp-per-query-limit.png` });

    // A row-level query is refused inline with a fix.
    await dp.getByLabel('epsilon').fill('0.5');
    await sql.fill('SELECT income FROM patients_dp');
    await dp.getByRole('button', { name: 'Dry run' }).click();
    await expect(panel.locator('.jp-Privet-error .jp-Privet-errorFix')).toContainText('Fix:');
    await page.screenshot({ path: `${SHOTS}/dp-refused.png` });
    expect(await spentText()).toBe(before);

    // Run: only after a dry run of exactly this SQL and ε (and affordable); then it spends,
    // inserts the release into a notebook, and the gauge follows the gateway.
    await sql.fill(SQL);
    const run = dp.getByRole('button', { name: 'Run', exact: true });
    await expect(run).toBeDisabled();
    // Why Run is disabled is visible under it and is its accessible description.
    await expect(dp.locator('.jp-Privet-runHint')).toContainText('Dry run first');
    await expect(run).toHaveAccessibleDescription(/Dry run first/);
    await dp.getByLabel('epsilon').fill('100');
    await dp.getByRole('button', { name: 'Dry run' }).click();
    await expect(dry.locator('.jp-Privet-notAffordable')).toBeVisible();
    await expect(run).toBeDisabled();
    await dp.getByLabel('epsilon').fill('0.5');
    await expect(dry).toHaveCount(0);
    await expect(run).toBeDisabled();
    await dp.getByRole('button', { name: 'Dry run' }).click();
    await expect(dry.locator('.jp-Privet-dryRunCost')).toContainText('ε = 0.5');
    await expect(run).toBeEnabled();
    expect(await spentText()).toBe(before);
    await run.click();
    const release = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Privet-release');
    await expect(release).toBeVisible({ timeout: 60_000 });
    await expect(release.locator('thead th')).toHaveText(['sex', 'n', 'mean_income']);
    await expect(release.locator('tbody tr')).toHaveCount(2);
    await expect(release.locator('.jp-Privet-releaseInterval').first()).toHaveText(
      /^ \[-?[\d,.]+, -?[\d,.]+\]$/,
    );
    const releaseId = (await release.locator('.jp-Privet-releaseId').textContent()) ?? '';
    expect(releaseId).toMatch(/^[0-9a-f]{32}$/);

    const after = await gatewayBudget();
    const patients = after.budgets.find((b) => b.source === 'patients')!;
    expect(patients.spent.epsilon.text).not.toBe(before);
    expect(after.charges.some((c) => c.releaseId === releaseId && c.status === 'committed')).toBe(
      true,
    );
    await expect(gauge.locator('.jp-Privet-spent')).toHaveText(patients.spent.epsilon.text);
    await expect(gauge.locator('.jp-Privet-remaining')).toHaveText(patients.remaining.epsilon.text);
    await expect(gauge.locator('[role="meter"]')).toHaveAttribute(
      'aria-valuenow',
      String(patients.spent.epsilon.value),
    );
    await expect(sidebar.locator('.jp-Privet-charge', { hasText: releaseId })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/dp-release-budget.png` });

    // Saved, the output keeps the release as its MIME bundle with a text/plain fallback.
    await release.click();
    await page.keyboard.press('Control+s');
    const saved = (): string =>
      readdirSync(env.notebookDir)
        .filter((f) => f.endsWith('.ipynb'))
        .map((f) => readFileSync(join(env.notebookDir, f), 'utf8'))
        .find((text) => text.includes(releaseId)) ?? '';
    await expect
      .poll(saved, { timeout: 30_000 })
      .toContain('application/vnd.privet.dp-release+json');
    const output = (
      JSON.parse(saved()) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] }
    ).cells
      .flatMap((c) => c.outputs ?? [])
      .find((o) => o.data?.['application/vnd.privet.dp-release+json'] !== undefined);
    expect(
      (output?.data?.['application/vnd.privet.dp-release+json'] as { releaseId?: string })
        .releaseId,
    ).toBe(releaseId);
    expect(String(output?.data?.['text/plain'])).toContain(`Privet DP release ${releaseId}`);
  });
  test('Stop (or Esc in the SQL box) ends a DP request waiting for the gateway; a stopped run is not charged', async ({
    page,
  }) => {
    const panel = await openPanelAsAlice(page);
    const dp = panel.locator('.jp-Privet-dp');
    const sql = dp.getByLabel('DP SQL query');
    const status = dp.locator('.jp-Privet-status');
    const stop = dp.getByRole('button', { name: 'Stop' });
    // The gateway's answers are held until the test lets them through (or the page stops them).
    let held: (() => void)[] = [];
    let holding = true;
    await page.route('**/api/v1/dp/query', async (route) => {
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
      await route.continue().catch(() => undefined); // a request the page stopped cannot go on
    });
    const letThrough = (): void => {
      for (const go of held) go();
      held = [];
    };

    await sql.fill(SQL);
    await dp.getByLabel('epsilon').fill('0.25');
    // Esc in JupyterLab's editor stops a dry run that waits.
    await sql.press('Control+Enter');
    // The status counts the seconds it waits ("Pricing… 3 s").
    await expect(status).toHaveText(/^Pricing…( \d+ s)?$/);
    await expect(stop).toBeVisible();
    await sql.press('Escape');
    await expect(status).toHaveText('Stopped: a dry run spends nothing.');
    await expect(stop).toHaveCount(0);
    await expect(panel.locator('[role="alert"]')).toHaveCount(0);
    letThrough();

    // Priced for real, then a run stopped with the Stop button before the gateway saw it.
    holding = false;
    await dp.getByRole('button', { name: 'Dry run' }).click();
    await expect(panel.locator('.jp-Privet-dryRunCost')).toContainText('ε = 0.25');
    const before = await spentText();
    holding = true;
    const run = dp.getByRole('button', { name: 'Run', exact: true });
    await run.click();
    await expect(status).toHaveText('Running (spends budget)…');
    await stop.click();
    await expect(status).toHaveText(
      'Stopped: the gateway refunds a run it had not answered yet; the budget shows what was spent.',
    );
    await expect(run).toBeEnabled();
    await page.screenshot({ path: `${SHOTS}/dp-run-stopped.png` });
    letThrough();
    expect(await spentText()).toBe(before);
    await expect(dp.locator('.jp-Privet-released')).toHaveCount(0);
    await page.unroute('**/api/v1/dp/query');
  });

  test('a DP view’s “DP query” puts its count in the DP box, focused, ready to dry run', async ({
    page,
  }) => {
    const panel = await openPanelAsAlice(page);
    const dp = panel.locator('.jp-Privet-dp');
    const sql = dp.getByLabel('DP SQL query');
    const before = await spentText();
    // A query typed and priced first: the button replaces both the text and its dry run.
    await sql.fill(SQL);
    await sql.press('Control+Enter');
    const dry = panel.locator('.jp-Privet-dryRun');
    await expect(dry.locator('tr[data-column="mean_income"]')).toBeVisible();
    const card = panel.locator('[data-view="patients_dp"]');
    await expect(card.getByRole('button', { name: 'Preview' })).toHaveCount(0);
    await card.getByRole('button', { name: 'DP query' }).click();
    await expect(sql).toHaveText('SELECT COUNT(*) AS n FROM "patients_dp"');
    await expect(dry).toHaveCount(0);
    await expect(dp.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
    // The cursor goes into the box. (JupyterLab focuses its launcher once, late in start-up: a
    // click in that moment loses the focus to it, so the click is repeated until it holds.)
    await expect(async () => {
      if (!(await sql.evaluate((e) => e === document.activeElement)))
        await card.getByRole('button', { name: 'DP query' }).click();
      await expect(sql).toBeFocused({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    // The cursor is in the box: Ctrl+Enter dry-runs the count at once (free).
    await page.keyboard.press('Control+Enter');
    await expect(dry.locator('tr[data-column="n"]')).toContainText('±');
    await expect(dry.locator('.jp-Privet-dryRunCost')).toContainText('ε = 0.5');
    await page.screenshot({ path: `${SHOTS}/dp-view-query.png` });
    // A DP view the experiment did not request has no button.
    await expect(
      panel.locator('[data-view="visits_dp"]').getByRole('button', { name: 'DP query' }),
    ).toHaveCount(0);
    expect(await spentText()).toBe(before);
  });
});
