/**
 * Playwright UI tests (`npx playwright test`): real JupyterLab in Debian's Chromium. Playwright's
 * own browser download cannot work on these machines, so the system Chromium is used directly.
 * The global setup starts the gateway and JupyterLab (see ui-tests/global-setup.ts).
 */
import { defineConfig } from '@playwright/test';
import { chromiumUse } from './ui-tests/support/chromium.js';

export default defineConfig({
  testDir: 'ui-tests',
  outputDir: 'test-results/ui',
  globalSetup: './ui-tests/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: chromiumUse,
  projects: [{ name: 'jupyterlab', testMatch: 'jupyterlab/**/*.spec.ts' }],
});
