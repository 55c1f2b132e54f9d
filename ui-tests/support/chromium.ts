/**
 * Browser settings shared by both Playwright configs: Debian's Chromium (Playwright's own browser
 * download cannot work on these machines) with the flags headless CI needs.
 */
import type { PlaywrightTestConfig } from '@playwright/test';

/** `use` settings for every UI test: viewport, artefacts on failure, the system Chromium. */
export const chromiumUse: PlaywrightTestConfig['use'] = {
  viewport: { width: 1400, height: 900 },
  screenshot: 'only-on-failure',
  trace: 'retain-on-failure',
  actionTimeout: 30_000,
  launchOptions: {
    executablePath: process.env.PRIVET_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  },
};
