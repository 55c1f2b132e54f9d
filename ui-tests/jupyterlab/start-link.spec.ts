/**
 * The link `npm start` prints: a gateway token in the URL fragment signs the tab in, and the
 * token leaves the address bar at once (it never reaches the Jupyter server or a notebook).
 */
import { expect, test } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { openPanel } from '../support/lab.js';

const env = uiTestEnv();

test('a #privet-token fragment signs the tab in and is removed from the address bar', async ({
  page,
}) => {
  const token = env.tokens.alice!;
  await page.goto(`${env.jupyterUrl}/lab?token=${env.jupyterToken}#privet-token=${token}`);
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0, { timeout: 60_000 });
  await openPanel(page);
  await expect(page.locator('#privet-data-panel .jp-Privet-user')).toContainText('Alice Analyst');
  expect(page.url()).not.toContain(token);
  expect(page.url()).not.toContain('privet-token');
});
