/** Review steps shared by the JupyterLab UI tests: request a review of a held output, approve it. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { UiTestEnv } from './env.js';

/**
 * Clicks "Request review" on a held output, sends `why` as the justification and returns the
 * review's id once the placeholder shows the pending state.
 */
export async function requestReviewId(page: Page, held: Locator, why: string): Promise<string> {
  await held.getByRole('button', { name: 'Request review' }).click();
  const dialog = page.locator('.jp-Dialog');
  await dialog.locator('textarea[name="privet-justification"]').fill(why);
  await dialog.getByRole('button', { name: 'Request review' }).click();
  const state = held.locator('.jp-Privet-heldState');
  await expect(state).toContainText('Review requested');
  const reviewId = /\((rev-[0-9a-f-]+)\)/.exec((await state.textContent()) ?? '')?.[1];
  expect(reviewId, 'the pending state names the review').toBeDefined();
  return reviewId!;
}

/** Rita (reviewer) approves the review through the gateway's API. */
export async function approveReview(
  env: UiTestEnv,
  reviewId: string,
  comment: string,
): Promise<void> {
  const response = await fetch(`${env.gatewayUrl}/api/v1/reviews/${reviewId}/decision`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.tokens.rita!}`, 'content-type': 'application/json' },
    body: JSON.stringify({ decision: 'approve', comment }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}
