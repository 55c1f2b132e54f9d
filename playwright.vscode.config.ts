/**
 * Playwright UI tests of the VS Code extension (`npx playwright test -c playwright.vscode.config.ts`):
 * the packaged .vsix in a real VS Code (code-server 4.100.3) in Debian's Chromium. The global setup
 * (ui-tests/vscode/global-setup.ts) builds the .vsix, installs code-server, starts the gateway.
 */
import { defineConfig } from '@playwright/test';
import { chromiumUse } from './ui-tests/support/chromium.js';

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
  use: chromiumUse,
  projects: [{ name: 'vscode', testMatch: '**/*.spec.ts' }],
});
