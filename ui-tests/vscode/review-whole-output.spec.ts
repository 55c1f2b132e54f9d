/**
 * A review request whose redacted preview cannot show everything an approval releases (here a
 * picture): in the review queue webview, Approve stays disabled until the reviewer opens the whole
 * output, which draws the picture; the gateway, which checks the same (a webview can be bypassed),
 * then accepts the approval. The page is rebuilt on every update: focus stays with the control
 * (or, once it is gone, its request) and the notice is said through the one status line.
 */
import { expect, test } from '@playwright/test';
import { vscodeTestEnv } from './support/env.js';
import { submittedForReview } from './support/gateway-api.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import {
  openWorkbench,
  reviewQueueFrame,
  runCommand,
  shot,
  signInAs,
} from './support/workbench.js';

const env = vscodeTestEnv();

reportPrivetLogOnFailure(env);

/** A 16×16 PNG: a picture no text preview can show. */
const PICTURE_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR4nGM4YaNBEmIY1TCqYfhqAAAeBCwQMwPSngAAAABJRU5ErkJggg==';

test('a picture is approved only after the reviewer opens the whole output', async ({ page }) => {
  const justification = `Figure 2 of the report (${Date.now()})`;
  const request = await submittedForReview(
    env,
    { output_type: 'display_data', data: { 'image/png': PICTURE_PNG }, metadata: {} },
    justification,
  );
  expect(request.findings.map((f) => f.rule)).toContain('image');

  await openWorkbench(page, env.url);
  await signInAs(page, 'rita', env.tokens.rita!);
  await runCommand(page, 'Privet: Open Review Queue');
  const queue = await reviewQueueFrame(page);
  const card = queue.locator(`section.request[data-review-id="${request.id}"]`);
  await expect(card.locator('.badge')).toHaveText('pending');
  const approve = card.getByRole('button', { name: 'Approve' });
  await expect(approve).toBeDisabled();
  await expect(card.locator('.open-first')).toContainText('show the whole output before approving');
  await card.scrollIntoViewIfNeeded();
  await shot(page, '50-review-whole-output-closed');

  await card.getByRole('button', { name: 'Show the whole output' }).click();
  const picture = card.locator('.whole-output .part[data-mime="image/png"] img');
  await expect(picture).toBeVisible();
  // The picture is drawn, not a broken image.
  expect(await picture.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(16);
  // The button is gone: focus went to the output it opened, not to the page.
  await expect(card.locator('.whole-output')).toBeFocused();
  await expect(approve).toBeEnabled();
  await expect(card.locator('.open-first')).toHaveCount(0);
  await shot(page, '51-review-whole-output-open');

  await approve.click();
  await expect(queue.locator('.notice')).toContainText('is now approved');
  await expect(card.locator('.badge')).toHaveText('approved');
  await expect(queue.locator('#status[role="status"]')).toHaveText(/is now approved/);
  await expect(queue.locator('main[aria-live]')).toHaveCount(0);
  await expect(card.locator('h2')).toBeFocused();
});
