/**
 * The Privet data panel in a real JupyterLab (real gateway, real duckdb-wasm in Chromium):
 * sign in as the demo analyst, see the demo views with tiers and operators, run SQL in the
 * browser over patients_masked and check the rows against the gateway's own manifest; a huge
 * result is read only as far as shown, and Stop ends a long query.
 */
import { expect, test } from '@playwright/test';
import type { ListViewsResponse } from '@privet/core/protocol';
import { uiTestEnv } from '../support/env.js';
import { openLab, openPanel, signIn, SHOTS, widenSidebar } from '../support/lab.js';

const env = uiTestEnv();

/** The views as the gateway lists them to alice (the expected panel content). */
async function gatewayViews(): Promise<ListViewsResponse> {
  const response = await fetch(`${env.gatewayUrl}/api/v1/views`, {
    headers: { Authorization: `Bearer ${env.tokens.alice}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as ListViewsResponse;
}

test.describe('Privet data panel', () => {
  test('palette lists the Privet commands', async ({ page }) => {
    await openLab(page);
    const palette = page.locator('#command-palette');
    // The modal palette closes when something takes focus while the layout is still restoring,
    // so open it again (through the View menu) until it stays open.
    // The search and the click are retried with it: the palette can still close in between.
    await expect(async () => {
      if (!(await palette.locator('input').isVisible())) {
        await page.locator('#jp-menu-panel').getByText('View', { exact: true }).click();
        await page.getByText('Activate Command Palette', { exact: true }).click();
        await page.waitForTimeout(500);
      }
      await palette.locator('input').fill('Privet', { timeout: 1000 });
      await palette.getByText('Open Privet Data Panel').click({ timeout: 1000 });
    }).toPass({ timeout: 60_000 });
    await expect(page.locator('#privet-data-panel .jp-Privet-signIn')).toBeVisible();
  });

  test('a wrong token is refused inline, without signing in', async ({ page }) => {
    await openLab(page);
    await openPanel(page);
    await signIn(page, 'pvt_not-a-real-token-000000000000');
    const error = page.locator('#privet-data-panel .jp-Privet-error');
    await expect(error).toBeVisible();
    await expect(error).toContainText('Fix:');
    await expect(page.locator('#privet-data-panel .jp-Privet-user')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/sign-in-refused.png` });
  });

  test('analyst signs in, sees the views and runs SQL over patients_masked in duckdb-wasm', async ({
    page,
  }) => {
    const expected = await gatewayViews();
    const patients = expected.views.find((v) => v.name === 'patients_masked');
    expect(patients?.published).toBe(true);

    // Everything the page loads (JupyterLab, the extension, duckdb-wasm) comes from 127.0.0.1.
    const foreign: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (/^https?:$/.test(url.protocol) && url.hostname !== '127.0.0.1') foreign.push(url.origin);
    });
    await openLab(page);
    await openPanel(page);
    await widenSidebar(page, 220);
    await page.screenshot({ path: `${SHOTS}/sign-in.png` });
    await signIn(page, env.tokens.alice!);

    const panel = page.locator('#privet-data-panel');
    await expect(panel.locator('.jp-Privet-user')).toContainText('Alice Analyst');
    for (const view of expected.views) {
      const card = panel.locator(`.jp-Privet-view[data-view="${view.name}"]`);
      await expect(card).toBeVisible();
      await expect(card.locator('.jp-Privet-badge')).toHaveText(view.tier);
    }
    await expect(panel.locator('.jp-Privet-view[data-view="visits_masked"]')).toBeVisible();
    // Views are usable per the selected experiment; the others are shown disabled with why.
    await expect(panel.getByLabel('Experiment')).toHaveValue(env.experiment);
    const options = panel.getByLabel('Experiment').locator('option');
    await expect(options.filter({ hasText: 'UI study (ui-study) · approved' })).toHaveCount(1);
    await expect(options.filter({ hasText: '(ui-pending) · proposal' })).toHaveCount(1);
    const visitsDp = panel.locator('.jp-Privet-view[data-view="visits_dp"]');
    await expect(visitsDp).toHaveAttribute('data-usable', 'false');
    await expect(visitsDp.locator('.jp-Privet-unusable')).toContainText('not requested');
    await expect(
      panel.locator('.jp-Privet-view[data-view="patients_masked"] .jp-Privet-unusable'),
    ).toHaveCount(0);

    // Columns with their masking operator, from the gateway's manifest.
    const card = panel.locator('.jp-Privet-view[data-view="patients_masked"]');
    await card.locator('summary').click();
    const zip = patients!.columns.find((c) => c.name === 'zip')!;
    await expect(card.locator('.jp-Privet-columns tr', { hasText: 'zip' })).toContainText(
      zip.operator,
    );
    await expect(card.locator('.jp-Privet-manifest')).toContainText('k=5');
    // The patient token links rows (join group "patient"): the card says what k does not cover.
    await expect(card.locator('.jp-Privet-linkedRows')).toContainText(
      'patient_id (the privacy unit; join group "patient") links rows',
    );
    await page.screenshot({ path: `${SHOTS}/views.png` });

    // The SQL box is JupyterLab's code editor: view names complete, Ctrl+Enter runs.
    const sql = panel.getByLabel('SQL query', { exact: true });
    await expect(panel.locator('.jp-Privet-sqlEditor .cm-editor').first()).toBeVisible();
    await sql.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('SELECT count(*) AS n FROM patients_ma');
    const completions = page.locator('.cm-tooltip-autocomplete');
    await expect(completions).toContainText('patients_masked');
    await page.screenshot({ path: `${SHOTS}/sql-completion.png` });
    await page.keyboard.press('Enter'); // takes the completion
    await expect(sql).toHaveText('SELECT count(*) AS n FROM patients_masked');
    await page.keyboard.type(' WHERE pat');
    await expect(completions).toContainText('patient_id'); // a column of the views
    await page.keyboard.press('Escape'); // closes the completions, stops nothing
    await expect(completions).toHaveCount(0);
    await page.keyboard.type('ient_id IS NOT NULL');
    await page.keyboard.press('Control+Enter');
    await expect(panel.locator('.jp-Privet-resultMeta')).toContainText('1 row', {
      timeout: 90_000,
    });

    // SQL in the browser: counts by sex must add up to the published row count.
    const run = panel
      .locator('.jp-Privet-sqlActions:not(.jp-Privet-dpActions)')
      .getByRole('button', { name: 'Run', exact: true });
    await sql.fill('SELECT sex, count(*) AS n FROM patients_masked GROUP BY sex ORDER BY sex');
    await run.click();
    const table = panel.locator('.jp-Privet-result table');
    await expect(table).toBeVisible({ timeout: 90_000 });
    await expect(table.locator('thead th')).toHaveText(['sex', 'n']);
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
      );
    expect(rows.map((r) => r[0])).toEqual(['F', 'M']);
    const total = rows.reduce((sum, r) => sum + Number(r[1]), 0);
    expect(total).toBe(patients!.manifest!.rows);
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/sql-result.png` });
    // The result scrolls by keyboard: its region takes focus.
    const region = panel.getByRole('region', { name: 'Query result, 2 rows' });
    await region.focus();
    await expect(region).toBeFocused();

    // Preview shows masked values: emails are masked, the identifiers dropped by policy are absent.
    await card.getByRole('button', { name: 'Preview' }).click();
    await expect(panel.locator('.jp-Privet-resultMeta')).toContainText('100 rows');
    const header = await table.locator('thead th').allTextContents();
    expect(header).toContain('email');
    expect(header).not.toContain('name');
    expect(header).not.toContain('national_id');

    // SQL errors are shown inline, and the engine refuses file access (locked down).
    await sql.fill("SELECT * FROM read_csv('/etc/passwd')");
    await run.click();
    await expect(panel.locator('.jp-Privet-error')).toContainText(/disabled|Permission/i);
    await expect(panel.locator('.jp-Privet-errorMessage')).toHaveText(/^Permission error: /);
    await expect(panel.locator('.jp-Privet-errorFix')).toContainText('Fix:');

    // A syntax error is reported inline too, and the panel keeps working afterwards.
    await sql.fill('SELEC 1');
    await run.click();
    await expect(panel.locator('.jp-Privet-errorMessage')).toHaveText(/^Parser error: /);
    // A query failing while it reads rows: DuckDB's message would quote the value; it is not shown.
    await sql.fill('SELECT CAST(email AS INTEGER) AS n FROM patients_masked');
    await run.click();
    const rowError = panel.locator('.jp-Privet-errorMessage');
    await expect(rowError).toContainText('the query failed while reading rows');
    await expect(rowError).not.toContainText('@');
    await expect(panel.locator('.jp-Privet-errorFix')).toContainText('TRY_CAST');
    await sql.fill('SELEC 1');
    await run.click();
    await expect(panel.locator('.jp-Privet-errorMessage')).toHaveText(/^Parser error: /);
    await panel.locator('.jp-Privet-error').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/sql-error.png` });
    await sql.fill('SELECT count(*) AS visits FROM visits_masked');
    await run.click();
    await expect(table.locator('thead th')).toHaveText(['visits']);
    await expect(panel.locator('.jp-Privet-error')).toHaveCount(0);

    // A huge result: only the rows shown are read, and the count stops at a ceiling.
    await sql.fill('SELECT p.* FROM patients_masked p, range(1000000000)');
    await run.click();
    await expect(panel.locator('.jp-Privet-resultMeta')).toContainText(
      'first 1,000 of more than 1,000,000 rows · ',
      { timeout: 60_000 },
    );
    await expect(panel.locator('.jp-Privet-resultMeta')).toContainText('add LIMIT or aggregate');
    // A query that would run for hours stops on Stop: DuckDB cancels it in place (the loaded
    // views stay), and the next query runs.
    await sql.fill('SELECT count(*) AS n FROM range(100000000000), patients_masked');
    await run.click();
    const stop = panel.getByRole('button', { name: 'Stop', exact: true });
    const status = panel.locator('.jp-Privet-sqlActions:not(.jp-Privet-dpActions) [role=status]');
    await expect(status).toHaveText('Running…');
    await page.screenshot({ path: `${SHOTS}/sql-running.png` });
    await stop.click();
    await expect(status).toHaveText('The query was stopped.', {
      timeout: 30_000,
    });
    await expect(stop).toHaveCount(0);
    await expect(panel.locator('.jp-Privet-error')).toHaveCount(0);
    await sql.fill('SELECT count(*) AS visits FROM visits_masked');
    await run.click();
    await expect(table.locator('thead th')).toHaveText(['visits']);
    expect(foreign).toEqual([]);
  });
});
