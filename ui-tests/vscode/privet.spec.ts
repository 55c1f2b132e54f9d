/**
 * The packaged Privet extension in a real VS Code (code-server 4.100.3) in Chromium, against a
 * real gateway: sign in (token to SecretStorage), the activity-bar tree, open the demo .ipynb (a
 * flagged output of another kernel is replaced on open), select the Privet SQL controller, run a
 * masked query in duckdb-wasm, a DP dry run then "Run and Spend" rendered by the release renderer
 * with the budget view updated, a flagged output replaced by the placeholder, and a language
 * server diagnostic on a bad SQL cell; then, in the dark theme, a reviewer approves the request in
 * the review queue webview, the analyst's withheld output is restored, and "Export approved
 * results" from the notebook toolbar saves a signed bundle without any unapproved output. Last,
 * a steward publishes with a progress notification and opens a synthetic view's fidelity report.
 * Screenshots go to test-results/vscode-screenshots/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_CELLS, LEAKED_EMAIL } from './support/demo-notebook.js';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import { leakSeen, watchForLeak } from './support/leak-watch.js';
import { THIN_ZIP_FIX, THIN_ZIP_MESSAGE } from '../support/thin-zip.js';
import {
  budgetFrame,
  cell,
  cellLanguage,
  openWorkbench,
  outputFrame,
  pick,
  privetPanelFrame,
  quickInput,
  reviewQueueFrame,
  runCell,
  runCommand,
  shot,
  signInAs,
  useTheme,
} from './support/workbench.js';

const env = vscodeTestEnv();

reportPrivetLogOnFailure(env);

test('Privet in VS Code: sign in, Privet SQL cells, DP spend, gating, diagnostics, review, export', async ({
  page,
}) => {
  await page.context().addInitScript(watchForLeak, LEAKED_EMAIL);
  await openWorkbench(page, env.url);
  await shot(page, '01-workbench');

  await test.step('sign in with the analyst token and pick the experiment', async () => {
    await runCommand(page, 'Privet: Sign In');
    const input = quickInput(page).locator('input');
    await expect(input).toHaveAttribute('type', 'password');
    await input.fill(env.tokens.alice!);
    await input.press('Enter');
    await pick(page, 'UI study');
    await expect(
      page.locator('.notification-toast').getByText('Privet: signed in as alice'),
    ).toBeVisible();
  });

  await test.step('the Privet activity bar shows experiments, views and operators', async () => {
    await page
      .locator('.activitybar a[aria-label="Privet"], .activitybar [aria-label="Privet"]')
      .first()
      .click();
    const tree = page.locator('.pane-body').filter({ hasText: 'UI study' }).first();
    await expect(tree.getByText('UI study (current)')).toBeVisible();
    await tree.getByText('patients_masked', { exact: true }).click();
    await expect(tree.getByText(/age_band/)).toBeVisible();
    await shot(page, '02-sidebar');
  });

  await test.step('open the demo notebook: the other kernel’s flagged output is replaced', async () => {
    await page.keyboard.press('Control+P');
    await quickInput(page).locator('input').fill('privet-demo.ipynb');
    await pick(page, 'privet-demo.ipynb');
    await expect(page.locator('.notebookOverlay')).toBeVisible();
    await expect(
      outputFrame(page)
        .getByText(/Privet withheld this output/)
        .first(),
    ).toBeVisible();
    await expect(outputFrame(page).getByText(LEAKED_EMAIL)).toHaveCount(0);
    // Not even for a moment: the gate renderer checks the saved output before VS Code draws it.
    const seen = await leakSeen(page);
    expect(seen.withheld, `the watcher ran in the output frame: ${seen.frames}`).toBe(true);
    expect(seen.leaked, 'the address was never in any frame').toBe(false);
    await shot(page, '03-notebook-gated-on-open');
  });

  await test.step('select the Privet SQL controller', async () => {
    await runCommand(page, 'Notebook: Select Notebook Kernel');
    await pick(page, 'Privet SQL');
    await expect(
      page.locator('.notebookOverlay, .part.editor').getByText('Privet SQL').first(),
    ).toBeVisible();
  });

  await test.step('SQL cells are "Privet SQL", coloured as SQL; a new code cell is one', async () => {
    await expect(cellLanguage(page, 1)).toHaveText('Privet SQL');
    await expect(cellLanguage(page, 0)).toHaveText('MS SQL'); // an older notebook's cell, run below
    // VS Code's SQL grammar colours Privet SQL: the keyword SELECT is not tokenized as plain text.
    const tokens = cell(page, 1).locator('.view-line span > span');
    await expect(tokens.filter({ hasText: /^SELECT$/ })).toHaveCount(1);
    const classes = await tokens.evaluateAll(
      (spans) => new Set(spans.map((s) => s.className)).size,
    );
    expect(classes, 'token classes in the DP cell').toBeGreaterThan(1);
    // A code cell added below the Python cell takes the controller's first language.
    await cell(page, 4).locator('.monaco-editor .view-lines').click();
    await runCommand(page, 'Notebook: Insert Code Cell Below');
    await expect(cellLanguage(page, 5)).toHaveText('Privet SQL');
    await shot(page, '03b-privet-sql-cells');
    await runCommand(page, 'Notebook: Delete Cell');
    await expect(cell(page, 5)).toHaveCount(0);
  });

  await test.step('a masked-view query runs locally', async () => {
    await runCell(page, 0);
    const frame = outputFrame(page);
    await expect(frame.locator('table.privet-result').first()).toBeVisible();
    await expect(
      frame.locator('table.privet-result th').filter({ hasText: 'patients' }).first(),
    ).toBeVisible();
    await shot(page, '04-masked-query');
  });

  await test.step('a DP query shows its dry run, then Run and Spend releases it', async () => {
    await runCell(page, 1);
    await expect(
      outputFrame(page).getByText(/Privet DP dry run \(nothing spent yet\)/),
    ).toBeVisible();
    await shot(page, '05-dp-dry-run');
    const notification = page
      .locator('.notification-toast')
      .filter({ hasText: /would spend ε = 0\.25 on \w+/ });
    await notification.getByRole('button', { name: 'Run and Spend' }).click();
    await expect(outputFrame(page).locator('.privet-release')).toBeVisible();
    await expect(outputFrame(page).getByText(/release id/)).toBeVisible();
    await shot(page, '06-dp-release');
  });

  await test.step('the budget view shows the charge and the per-query limit', async () => {
    const frames = budgetFrame(page);
    await expect(frames.locator('[data-testid="privet-charges"] li').first()).toContainText(
      'committed',
    );
    await expect(frames.getByText(/spent ε 0\.25/)).toBeVisible();
    // The demo policy limits one query to ε 1 on patients (max_query_epsilon).
    await expect(frames.getByText('At most ε 1 per query')).toHaveCount(1);
    await shot(page, '07-budget-updated');
  });

  await test.step('a flagged Privet SQL output is replaced by the placeholder', async () => {
    await runCell(page, 2);
    await expect(cell(page, 2).getByText('Request Review')).toBeVisible();
    await expect(
      outputFrame(page).getByText(/withheld this output \(flag: small-cell\)/),
    ).toBeVisible();
    await shot(page, '08-flagged-placeholder');
  });

  await test.step('Request Review sends the withheld output to the gateway queue', async () => {
    const offering = await outputFrame(page)
      .getByText(/Use "Request Review"/)
      .count();
    expect(offering, 'the flagged placeholder offers a review').toBeGreaterThan(0);
    await cell(page, 2).getByText('Request Review').click();
    const input = quickInput(page).locator('input');
    await expect(input).toBeVisible();
    await input.fill('group sizes for the methods section');
    await input.press('Enter');
    await expect(
      page.locator('.notification-toast').getByText(/Privet: review request \S+ sent \(pending\)/),
    ).toBeVisible();
    const response = await fetch(
      `${env.gatewayUrl}/api/v1/reviews?experiment=${encodeURIComponent(env.experiment)}`,
      { headers: { Authorization: `Bearer ${env.tokens.rita}` } },
    );
    expect(response.status).toBe(200);
    const { reviews } = (await response.json()) as { reviews: { justification: string }[] };
    expect(reviews.map((r) => r.justification)).toContain('group sizes for the methods section');
    // The cell now says the request is pending instead of offering to send it again.
    await expect(cell(page, 2).getByText('Review pending')).toBeVisible();
    await expect(cell(page, 2).getByText('Request Review')).toHaveCount(0);
    // So does its placeholder: it waits for a reviewer, and no longer offers the request.
    await expect(
      outputFrame(page).getByText(/sent for review and waits for a reviewer/),
    ).toBeVisible();
    // (the saved output of the `print` cell below still offers it: one line fewer than before)
    await expect(outputFrame(page).getByText(/Use "Request Review"/)).toHaveCount(offering - 1);
    await shot(page, '09-review-requested');
    // The analyst can talk to the reviewer from the cell: no comments yet, then a reply.
    await cell(page, 2).getByText('Review Comments').click();
    await expect(quickInput(page)).toContainText('waiting for a reviewer');
    await expect(quickInput(page)).toContainText('No comments yet');
    await pick(page, 'Reply to the reviewer');
    const reply = quickInput(page).locator('input');
    await reply.fill('Every group has at least 5 people');
    await reply.press('Enter');
    await expect(
      quickInput(page).locator('.monaco-list-row').filter({ hasText: 'alice' }),
    ).toContainText('Every group has at least 5 people');
    await shot(page, '09b-review-comments');
    await page.keyboard.press('Escape');
  });

  await test.step('the language server flags an unknown column before running', async () => {
    const bad = cell(page, 3);
    await bad.scrollIntoViewIfNeeded();
    await bad.locator('.monaco-editor .view-lines').click();
    await expect(bad.locator('.squiggly-error')).toBeVisible();
    await runCommand(page, 'View: Focus Problems');
    await expect(
      page.locator('.markers-panel').getByText(/column "diagnosis_code" is not in patients_masked/),
    ).toBeVisible();
    await shot(page, '10-lsp-diagnostic');
  });

  await test.step('a reviewer approves the request in the review queue (dark theme)', async () => {
    await useTheme(page, 'Default Dark Modern', true);
    await signInAs(page, 'rita', env.tokens.rita!);
    await runCommand(page, 'Privet: Open Review Queue');
    const queue = await reviewQueueFrame(page);
    const request = queue
      .locator('section.request')
      .filter({ hasText: 'group sizes for the methods section' });
    await expect(request.locator('.badge')).toHaveText('pending');
    await expect(request.getByText(/UI tests of the Privet JupyterLab extension/)).toBeVisible();
    await expect(request.getByText(DEMO_CELLS.flagged)).toBeVisible();
    await expect(
      request.locator('.findings code', { hasText: 'small-cell' }).first(),
    ).toBeVisible();
    await expect(request.locator('.field', { hasText: 'Views used' })).toContainText(
      'patients_masked',
    );
    await expect(request.getByText('Every group has at least 5 people')).toBeVisible();
    // A label longer than the label column keeps a gap before its value (they ran together).
    const comment = request.locator('.field', { hasText: 'Comment by alice' });
    const label = (await comment.locator('.label').boundingBox())!;
    const value = (await comment.locator('span').nth(1).boundingBox())!;
    expect(value.x).toBeGreaterThanOrEqual(label.x + label.width + 4);
    await request.locator('textarea').fill('Fine for the methods section');
    await shot(page, '11-review-queue-dark');
    await request.getByRole('button', { name: 'Approve' }).click();
    await expect(queue.locator('.notice')).toContainText('is now approved');
    await expect(request.locator('.badge')).toHaveText('approved');
    await expect(request.getByText('Fine for the methods section')).toBeVisible();
    await shot(page, '12-review-approved-dark');
  });

  await test.step('the analyst’s withheld output is restored once approved', async () => {
    await expect(
      page
        .locator('.notification-toast')
        .getByText(/a reviewer approved 1 withheld output; it is restored/)
        .first(),
    ).toBeVisible();
    await signInAs(page, 'alice', env.tokens.alice!);
    await page.locator('.tabs-container .tab').filter({ hasText: 'privet-demo.ipynb' }).click();
    await expect(outputFrame(page).locator('table.privet-result')).toHaveCount(2);
    await expect(
      outputFrame(page).getByText(/withheld this output \(flag: small-cell\)/),
    ).toHaveCount(0);
    // Room for the cells: the problems panel from the diagnostics step is hidden again.
    await runCommand(page, 'View: Toggle Panel Visibility');
    const restored = page.locator('.notebookOverlay .monaco-list-row[data-index="2"]');
    await expect(restored).toBeVisible();
    await expect(restored).toContainText('LIMIT 7');
    await expect(restored.getByText('Request Review')).toHaveCount(0);
    await expect(restored.getByText('Review pending')).toHaveCount(0);
    await shot(page, '13-output-restored-dark');
  });

  await test.step('Export approved results (notebook toolbar): signed, nothing unapproved', async () => {
    const button = page
      .locator('.notebookOverlay .notebook-toolbar-container')
      .getByRole('button', { name: /Export Approved Results/ });
    await expect(button).toBeVisible();
    await button.click();
    await expect(
      page
        .locator('.notification-toast')
        .getByText(
          /signed export saved to privet-demo\.privet-export\.json: \d+ output\(s\) passed, 1 approved, \d+ withheld/,
        ),
    ).toBeVisible();
    const text = readFileSync(join(env.workspace, 'privet-demo.privet-export.json'), 'utf8');
    const bundle = JSON.parse(text) as {
      format: string;
      signature: string;
      manifest: { outputs: { cellIndex: number; status: string }[] };
    };
    expect(bundle.format).toBe('privet-export-bundle/1');
    expect(bundle.signature.length).toBeGreaterThan(40);
    const status = (cellIndex: number): string | undefined =>
      bundle.manifest.outputs.find((o) => o.cellIndex === cellIndex)?.status;
    expect(status(0)).toBe('passed');
    expect(status(2)).toBe('approved');
    expect(text).not.toContain(LEAKED_EMAIL);
    await shot(page, '14-export-dark');
  });

  await test.step('a steward publishes views and reads a fidelity report', async () => {
    await signInAs(page, 'sam', env.tokens.sam!);
    await runCommand(page, 'Privet: Publish Views');
    // The cost first: a modal dialog with the plan; nothing is spent before "Publish".
    const dialog = page.locator('.monaco-dialog-box');
    await expect(dialog).toContainText('publish views now?');
    await expect(dialog).toContainText(
      'patients_synthetic: keep (unchanged: kept, charged nothing)',
    );
    await shot(page, '15-publish-plan-dark');
    await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect(
      page
        .locator('.notification-toast')
        .getByText(/Privet: published \d+ views: .*patients_synthetic/),
    ).toBeVisible({ timeout: 170_000 });
    // The demo's zip codes are too thin for DP discovery at this size: the steward is told, with
    // the fix, after publishing (one notice for the view's warnings) and in the report, which the
    // notice's button opens.
    const notice = page.locator('.notification-toast').filter({
      hasText: new RegExp(
        `Privet: patients_synthetic, \\d+ column warnings?\\. .*zip: ${THIN_ZIP_MESSAGE.source}`,
      ),
    });
    await expect(notice).toBeVisible();
    await expect(
      page.locator('.notification-toast').getByText(/Privet: published \d+ views/),
      'the published notice stays in sight',
    ).toBeVisible();
    await shot(page, '15b-publish-warnings-dark');
    await notice.getByRole('button', { name: 'Show Fidelity Report' }).click();
    const report = await privetPanelFrame(page, 'Fidelity of patients_synthetic');
    await expect(report.locator('#tvd')).toContainText(/1-way 0\.\d{4}/);
    const zipWarning = report.locator('.warnings li[data-column="zip"]');
    await expect(zipWarning).toContainText(THIN_ZIP_MESSAGE);
    await expect(zipWarning).toContainText(THIN_ZIP_FIX);
    await expect
      .poll(() =>
        report.locator('figure img').evaluate((i) => (i as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(100);
    await shot(page, '16-fidelity-dark');
  });
});
