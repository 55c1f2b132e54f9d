/**
 * The experiment selector and the budget sidebar's timer: views follow the selected experiment's
 * lifecycle and requested views, and a spend made outside the panel (straight through the API)
 * shows up in the sidebar without any click.
 */
import { expect, test } from '@playwright/test';
import type { BudgetResponse, ListExperimentsResponse } from '@privet/core/protocol';
import { uiTestEnv } from '../support/env.js';
import { openLab, openPanel, signIn, SHOTS } from '../support/lab.js';

const env = uiTestEnv();

/** Calls the gateway as `user` and returns the JSON body (asserting a 2xx answer). */
async function api<T>(user: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${env.gatewayUrl}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      Authorization: `Bearer ${env.tokens[user]}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
  return (await response.json()) as T;
}

test.describe('Privet experiments', () => {
  test('views follow the selected experiment; a proposal makes every view unavailable', async ({
    page,
  }) => {
    const listed = await api<ListExperimentsResponse>('alice', '/experiments');
    await openLab(page);
    await openPanel(page);
    await signIn(page, env.tokens.alice!);
    const panel = page.locator('#privet-data-panel');
    const picker = panel.getByLabel('Experiment');
    await expect(picker).toHaveValue(env.experiment);
    await expect(picker.locator('option')).toHaveCount(listed.experiments.length);
    await expect(panel.locator('.jp-Privet-dp')).toHaveCount(1);

    await picker.selectOption('ui-pending');
    await expect(panel.locator('.jp-Privet-experimentNote')).toContainText('proposal');
    await expect(
      panel.locator('.jp-Privet-view[data-view="visits_dp"] .jp-Privet-unusable'),
    ).toContainText('is proposal');
    await expect(
      panel.locator('.jp-Privet-view[data-view="patients_masked"] .jp-Privet-unusable'),
    ).toContainText('not requested');
    await expect(panel.getByRole('button', { name: 'Use in notebook' })).toHaveCount(0);
    await expect(panel.locator('.jp-Privet-dp')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/experiment-proposal.png` });
    await picker.selectOption(env.experiment);
    await expect(panel.locator('.jp-Privet-dp')).toHaveCount(1);

    // A proposal approved while signed in appears after "Refresh experiments".
    await api('alice', '/experiments', {
      id: 'ui-later',
      title: 'Later study',
      purpose: 'approved while the panel is open',
      dataCategories: ['health'],
      views: ['visits_masked'],
      analyses: ['masked_rows'],
      expectedOutputs: ['report'],
    });
    await api('sam', '/experiments/ui-later/approve', { note: 'ok' });
    await expect(picker.locator('option')).toHaveCount(listed.experiments.length);
    await panel.getByRole('button', { name: 'Refresh experiments' }).click();
    await expect(picker.locator('option')).toHaveCount(listed.experiments.length + 1);
    await expect(picker).toHaveValue(env.experiment);
    await expect(picker.locator('option', { hasText: '(ui-later) · approved' })).toHaveCount(1);
  });

  test('the budget sidebar refreshes on its timer after a spend made elsewhere', async ({
    page,
  }) => {
    await openLab(page);
    await openPanel(page);
    await signIn(page, env.tokens.alice!);
    await expect(page.locator('#privet-data-panel').getByLabel('Experiment')).toHaveValue(
      env.experiment,
    );
    const tab = page.locator('.jp-SideBar .lm-TabBar-tab[data-id="privet-budget"]');
    const title = page.locator('#privet-budget .jp-Privet-title');
    if (!(await title.isVisible())) await tab.click();
    const spent = page.locator(
      '#privet-budget .jp-Privet-budget[data-source="visits"] [data-figure="epsilon"] .jp-Privet-spent',
    );
    const budget = (): Promise<BudgetResponse> =>
      api<BudgetResponse>('alice', `/experiments/${env.experiment}/budget`);
    const visits = async (): Promise<string> =>
      (await budget()).budgets.find((b) => b.source === 'visits')!.spent.epsilon.text;
    await expect(spent).toHaveText(await visits());
    const before = await visits();

    // ui-study did not request visits_dp, so spend on patients and watch the patients gauge.
    const patients = page.locator(
      '#privet-budget .jp-Privet-budget[data-source="patients"] [data-figure="epsilon"] .jp-Privet-spent',
    );
    await api('alice', '/dp/query', {
      experiment: env.experiment,
      sql: 'SELECT COUNT(*) AS n FROM patients_dp',
      epsilon: '0.25',
      dryRun: false,
    });
    const now = (await budget()).budgets.find((b) => b.source === 'patients')!.spent.epsilon.text;
    await expect(patients).toHaveText(now, { timeout: 15_000 });
    expect(await visits()).toBe(before);
    // Keyboard: the gauges and charges are focusable.
    const meter = page.locator('#privet-budget [role="meter"]').first();
    await meter.focus();
    await expect(meter).toBeFocused();
  });
});
