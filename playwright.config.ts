/**
 * Playwright UI tests (`npx playwright test`): real JupyterLab in Debian's Chromium. Playwright's
 * own browser download cannot work on these machines, so the system Chromium is used directly.
 * The global setup starts the gateway and JupyterLab (see ui-tests/global-setup.ts).
 */
import { defineConfig } from '@playwright/test';

const chromium = process.env.PRIVET_CHROMIUM ?? '/usr/bin/chromium';

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
  use: {
    viewport: { width: 1400, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    actionTimeout: 30_000,
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'jupyterlab', testMatch: 'jupyterlab/**/*.spec.ts' }],
});
