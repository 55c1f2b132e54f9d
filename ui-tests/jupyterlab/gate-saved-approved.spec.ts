/**
 * An approved output is saved as it is even when its cell is off screen: in JupyterLab's "full"
 * windowing mode only cells near the viewport are in the page, yet every cell's outputs are still
 * rendered (detached), so the gate decides each one and learns its approval from the gateway.
 * This guards that: a later JupyterLab that renders off-screen outputs lazily would make the save
 * filter write approved outputs as placeholders (fail closed, but lost from the file). An output
 * nobody approved is still written as a placeholder.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { uiTestEnv } from '../support/env.js';
import { openPanel, signIn } from '../support/lab.js';
import { notebookWithView, runNewCell, visibleNotebook } from '../support/notebook.js';
import { approveReview, requestReviewId } from '../support/review.js';

const env = uiTestEnv();
const run = Date.now().toString(36);
// Assembled by the kernel, so the cell's source never contains them.
const APPROVED_EMAIL = `clinic.desk.${run}@example.com`;
const UNAPPROVED_EMAIL = `someone.${run}@example.org`;
const NOTEBOOK_SETTINGS = '@jupyterlab/notebook-extension:tracker';

/** Sets JupyterLab's notebook windowing mode through the settings API; returns the old raw text. */
async function setWindowingMode(mode: string | null, raw?: string): Promise<string> {
  const url = `${env.jupyterUrl}/lab/api/settings/${NOTEBOOK_SETTINGS}`;
  const headers = { authorization: `token ${env.jupyterToken}` };
  const current = (await (await fetch(url, { headers })).json()) as { raw?: string };
  const body = raw ?? JSON.stringify(mode === null ? {} : { windowingMode: mode });
  const put = await fetch(url, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ raw: body }),
  });
  expect(put.status, await put.clone().text()).toBe(204);
  return current.raw ?? '{}';
}

/** A stdout stream output, as the kernel's print produced it. */
const stdout = (text: string) => ({ output_type: 'stream', name: 'stdout', text: [text] });

/** A notebook bound to the experiment: many tall cells, then the two held outputs at the end. */
function tallNotebook(): Record<string, unknown> {
  const filler = Array.from({ length: 80 }, (_, i) => ({
    cell_type: 'markdown',
    id: `filler-${i}`,
    metadata: {},
    source: [`## Section ${i}\n`, '\n', 'Some text.\n', '\n', 'More text.\n'],
  }));
  const code = (id: string, source: string, text: string) => ({
    cell_type: 'code',
    execution_count: 1,
    id,
    metadata: {},
    source,
    outputs: [stdout(text)],
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      privet: { experiment: env.experiment },
    },
    cells: [
      ...filler,
      code('approved', `# far-approved-${run}`, `Contact: ${APPROVED_EMAIL}\n`),
      code('unapproved', `# far-unapproved-${run}`, `Contact: ${UNAPPROVED_EMAIL}\n`),
    ],
  };
}

/** Signs alice in again if the reload signed her out. */
async function ensureSignedIn(page: Page): Promise<void> {
  await openPanel(page);
  const panel = page.locator('#privet-data-panel');
  const user = panel.locator('.jp-Privet-user');
  const token = panel.locator('input[name="privet-token"]');
  await expect(user.or(token).first()).toBeVisible({ timeout: 30_000 });
  if (await token.isVisible()) await signIn(page, env.tokens.alice!);
  await expect(user).toContainText('alice');
}

test('an approved output in a cell off screen ("full" windowing) is saved as it is', async ({
  page,
}) => {
  // A notebook in alice's experiment ("Use in notebook" binds it).
  await notebookWithView(page, env.tokens.alice!, 'patients_masked');
  await expect(page.locator('#privet-data-panel').getByLabel('Experiment')).toHaveValue(
    env.experiment,
  );

  // The output is held, its review requested and approved: it is drawn.
  const [user, domain] = APPROVED_EMAIL.split('@');
  const cell = await runNewCell(
    page,
    `approve-${run}`,
    `print("Contact: " + ${JSON.stringify(user)} + "@" + ${JSON.stringify(domain)})`,
  );
  const held = cell.locator('.jp-Privet-held');
  await expect(held).toBeVisible({ timeout: 30_000 });
  const reviewId = await requestReviewId(page, held, 'Front desk address, public');
  await approveReview(env, reviewId, 'Public front desk address');
  await expect(cell.locator('.jp-OutputArea-output')).toContainText(APPROVED_EMAIL, {
    timeout: 30_000,
  });

  // Closed, so no restored tab draws it again after the reload below.
  await page.locator('.lm-MenuBar-itemLabel', { hasText: 'File' }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: 'Close All Tabs' }).click();
  const discard = page.locator('.jp-Dialog').getByRole('button', { name: /Discard|Don.t Save/ });
  for (let i = 0; i < 3 && (await discard.isVisible({ timeout: 2000 }).catch(() => false)); i++)
    await discard.click();
  await expect(page.locator('.jp-NotebookPanel')).toHaveCount(0);

  // The same output saved far down a notebook, opened in "full" windowing mode after a reload
  // (so this page has not drawn it as approved).
  const name = `far-approved-${run}.ipynb`;
  const file = join(env.notebookDir, name);
  writeFileSync(file, JSON.stringify(tallNotebook(), null, 1));
  const before = statSync(file).mtimeMs;
  const previous = await setWindowingMode('full');
  try {
    // No other notebook is open: the gateway is asked about this notebook's held outputs.
    const lookup = page.waitForResponse(
      (r) => r.url().endsWith('/reviews/status') && r.request().method() === 'POST',
      { timeout: 60_000 },
    );
    await page.goto(`${env.jupyterUrl}/lab/tree/${name}?token=${env.jupyterToken}`);
    const notebook = visibleNotebook(page);
    await expect(notebook.locator('.jp-MarkdownCell').first()).toBeVisible({ timeout: 60_000 });
    await ensureSignedIn(page);
    // The last cells are not in the page.
    await expect(notebook.getByText(`far-approved-${run}`)).toHaveCount(0);
    expect((await lookup).status()).toBe(200);
    await notebook.locator('.jp-MarkdownCell').first().click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+s');
    await expect.poll(() => statSync(file).mtimeMs, { timeout: 30_000 }).toBeGreaterThan(before);
    // The new mtime can show before Jupyter has finished writing: wait for the whole JSON.
    const parses = (): boolean => {
      try {
        JSON.parse(readFileSync(file, 'utf8'));
        return true;
      } catch {
        return false;
      }
    };
    await expect.poll(parses, { timeout: 30_000 }).toBe(true);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      cells: { id: string; outputs?: unknown[] }[];
    };
    const outputsOf = (id: string): string =>
      JSON.stringify(saved.cells.find((c) => c.id === id)?.outputs);
    expect(outputsOf('approved')).toContain(APPROVED_EMAIL);
    expect(outputsOf('unapproved')).not.toContain(UNAPPROVED_EMAIL);
    expect(outputsOf('unapproved')).toContain('[withheld by Privet review: rules email]');
  } finally {
    await setWindowingMode(null, previous);
  }
});
