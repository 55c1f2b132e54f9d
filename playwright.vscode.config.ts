/**
 * Playwright UI tests of the VS Code extension (`npx playwright test -c playwright.vscode.config.ts`):
 * the packaged .vsix in a real VS Code (code-server 4.100.3) in Debian's Chromium. The global setup
 * (ui-tests/vscode/global-setup.ts) builds the .vsix, installs code-server, starts the gateway.
 */
import { defineConfig } from '@playwright/test';

const chromium = process.env.PRIVET_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'ui-tests/vscode',
  outputDir: 'test-results/vscode',
  globalSetup: './ui-tests/vscode/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 300_000,
  expect: { timeout: 60_000 },
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
  projects: [{ name: 'vscode', testMatch: '**/*.spec.ts' }],
});
