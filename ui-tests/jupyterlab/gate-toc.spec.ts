/**
 * The table of contents lists headings found in code cell outputs, read from the output models:
 * a held output's heading must not appear there while its content is withheld. A passing output's
 * heading is listed, and a held one's appears once a reviewer approved it.
 */
import { expect, test } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { openPanel, SHOTS } from '../support/lab.js';
import { notebookWithView, runNewCell } from '../support/notebook.js';
import { approveReview, requestReviewId } from '../support/review.js';

const env = uiTestEnv();
const run = Date.now().toString(36);

test('a held output heading stays out of the table of contents until approved', async ({
  page,
}) => {
  await notebookWithView(page, env.tokens.alice!, 'visits_masked');
  const email = `toc.${run}@example.org`;
  const summary = `Summary ${run}`;
  const cell = await runNewCell(
    page,
    `toc-${run}`,
    [
      'from IPython.display import HTML, Markdown, display',
      `display(HTML("<h2>${summary}</h2>"))`,
      `display(Markdown("## Contact " + "toc.${run}" + "@" + "example.org"))`,
    ].join('\n'),
  );
  const held = cell.locator('.jp-Privet-held');
  await expect(held.locator('li[data-rule="email"]')).toBeVisible({ timeout: 30_000 });
  await expect(cell.locator('.jp-OutputArea-output h2', { hasText: summary })).toBeVisible();

  // The table of contents (left sidebar) lists the passing heading, not the held one.
  const tab = page.locator('.jp-SideBar .lm-TabBar-tab[data-id="table-of-contents"]');
  const toc = page.locator('#table-of-contents');
  await expect(async () => {
    if (!(await toc.isVisible())) await tab.click();
    await expect(toc).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(toc.locator('.jp-tocItem-content', { hasText: summary })).toBeVisible({
    timeout: 30_000,
  });
  await expect(toc).not.toContainText('Contact');
  await expect(page.locator('body')).not.toContainText(email);
  await page.screenshot({ path: `${SHOTS}/toc-held-heading.png` });

  // Approved, the output shows and its heading joins the table of contents.
  const reviewId = await requestReviewId(page, held, 'Test address, not a person');
  await approveReview(env, reviewId, 'A made-up address used in a test');
  await expect(cell.locator('.jp-OutputArea-output h2', { hasText: email })).toBeVisible({
    timeout: 30_000,
  });
  await expect(toc.locator('.jp-tocItem-content', { hasText: email })).toBeVisible({
    timeout: 30_000,
  });
  await page.screenshot({ path: `${SHOTS}/toc-approved-heading.png` });
  await openPanel(page); // the left sidebar as the other tests expect it
});
