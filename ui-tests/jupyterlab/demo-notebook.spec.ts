/**
 * The demo notebook `npm start` writes (scripts/demo-notebook.mjs) opens as saved: once its kernel
 * is up, JupyterLab has added nothing (no cell id, no language_info), so closing it asks nothing.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { SHOTS } from '../support/lab.js';
import { visibleNotebook, waitForIdleKernel } from '../support/notebook.js';

/** The script's exports, typed (plain ESM JavaScript next to start.mjs). */
interface DemoNotebookScript {
  kernelLanguageInfo(python: string): Record<string, unknown> | null;
  writeDemoNotebook(file: string, languageInfo: Record<string, unknown> | null): boolean;
}

const env = uiTestEnv();

test('the demo notebook opens with no unsaved changes once its kernel is up', async ({ page }) => {
  const script = (await import(
    new URL('../../scripts/demo-notebook.mjs', import.meta.url).href
  )) as DemoNotebookScript;
  const info = script.kernelLanguageInfo(join(process.cwd(), '.venv/bin/python'));
  expect(info?.name, 'the venv’s ipykernel reports its language').toBe('python');
  const name = `demo-${Date.now()}.ipynb`;
  expect(script.writeDemoNotebook(join(env.notebookDir, name), info)).toBe(true);

  await page.goto(`${env.jupyterUrl}/lab/tree/${name}?token=${env.jupyterToken}`);
  await expect(page.locator('#jupyterlab-splash')).toHaveCount(0, { timeout: 60_000 });
  const intro = visibleNotebook(page).locator('.jp-RenderedMarkdown', { hasText: 'Privet demo' });
  await expect(intro).toBeVisible({ timeout: 30_000 });
  await waitForIdleKernel(page);
  const tab = page.locator('.lm-TabBar-tab', { hasText: name });
  await expect(tab).toBeVisible();
  // The kernel's info reply came before Idle; give JupyterLab a moment to apply it.
  await page.waitForTimeout(1000);
  await expect(tab).not.toHaveClass(/jp-mod-dirty/);
  await page.screenshot({ path: `${SHOTS}/demo-notebook.png` });
});
