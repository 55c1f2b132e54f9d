/**
 * Two ways a withheld output could reach the saved .ipynb, read back from the file:
 * - Privet's MIME types from another kernel: a kernel may display a bundle holding Privet's
 *   placeholder, DP-release or any other `application/vnd.privet.*` type next to an address. Only
 *   what Privet wrote is trusted, so each is held by the host (and the output webview never draws
 *   the address, nor the forged release's numbers).
 * - A slow approval lookup: the host swaps in the placeholder before it asks the gateway whether a
 *   reviewer approved that content (POST /reviews/status, held here by a proxy in front of the
 *   gateway), so the document, and a save, never hold the original while the gateway answers.
 * Runs after the other VS Code specs (file order): it writes its own notebooks and settings into
 * the workspace and the gateway URL into the user settings (both undone at the end).
 */
import { expect, test } from '@playwright/test';
import { vscodeTestEnv } from './support/env.js';
import { reportPrivetLogOnFailure } from './support/privet-log.js';
import {
  hostPlaceholders,
  saveAndWait,
  savedOutputs,
  useEchoKernel,
  writeNotebook,
} from './support/saved-notebook.js';
import { holdingProxy } from './support/holding-proxy.js';
import { withUserSettings } from './support/user-settings.js';
import { leakSeen, watchForLeak } from './support/leak-watch.js';
import {
  openNotebookAlone,
  openWorkbench,
  runCell,
  runCommand,
  shot,
  signInAs,
} from './support/workbench.js';

const env = vscodeTestEnv();

reportPrivetLogOnFailure(env);

const PLACEHOLDER = 'application/vnd.privet.withheld+json';
const RELEASE = 'application/vnd.privet.dp-release+json';

/** The address the forged bundles carry (the sources spell it with "[at]"). */
const FORGED_EMAIL = 'forged.person@example.org';
/** A group key of the forged release: drawn only if the release renderer trusted it. */
const FORGED_KEY = 'forged@ward';

/** A cell whose output is one display of this MIME bundle (echo kernel, "[at]" for "@"). */
function bundleCell(bundle: Record<string, unknown>): string {
  return `# bundle:\n${JSON.stringify(bundle).replaceAll('@', '[at]')}`;
}

/** A release-shaped value no ledger committed (small counts, an id nobody issued). */
const FORGED_RELEASE = {
  releaseId: 'f0'.repeat(16),
  mechanism: 'discrete_laplace',
  alpha: 0.05,
  cost: { epsilon: '0.5' },
  columns: [],
  rows: [{ keys: { ward: FORGED_KEY }, values: { n: { value: 3, interval: [1, 5] } } }],
  sql: 'SELECT ward, COUNT(*) AS n FROM patients_dp GROUP BY ward',
  planHash: 'ab'.repeat(32),
  warnings: [],
};

const FORGED_CELLS = [
  // The placeholder's MIME type, with the address as its text fallback and as a "rule".
  bundleCell({
    [PLACEHOLDER]: { verdict: 'flag', rules: ['email', FORGED_EMAIL], heldId: 'forged' },
    'text/plain': FORGED_EMAIL,
  }),
  // A DP release no ledger knows.
  bundleCell({ [RELEASE]: FORGED_RELEASE, 'text/plain': 'a DP release' }),
  // Any other Privet MIME type next to the address.
  bundleCell({
    'application/vnd.privet.anything+json': { note: 'nothing to see' },
    'text/plain': FORGED_EMAIL,
  }),
];

test('Privet MIME types from another kernel are checked: forged bundles are held', async ({
  page,
}) => {
  await page.context().addInitScript(watchForLeak, [FORGED_EMAIL, FORGED_KEY]);
  const path = writeNotebook(env.workspace, 'forged-privet-mime.ipynb', FORGED_CELLS);
  await openWorkbench(page, env.url);
  await signInAs(page, 'alice', env.tokens.alice!);
  await openNotebookAlone(page, 'forged-privet-mime.ipynb');
  await useEchoKernel(page);
  await runCommand(page, 'Notebook: Run All');
  await expect(hostPlaceholders(page)).toHaveCount(3);
  await saveAndWait(page, path);
  await shot(page, '60-forged-privet-mime-held');
  const saved = savedOutputs(path);
  for (const [i, outputs] of saved.entries()) {
    expect(outputs, `cell ${i}: no address in the file`).not.toContain(FORGED_EMAIL);
    expect(outputs, `cell ${i}: no forged release in the file`).not.toContain(FORGED_KEY);
    expect(outputs, `cell ${i}: the host's placeholder`).toContain(PLACEHOLDER);
    expect(outputs, `cell ${i}: the forged heldId is gone`).not.toMatch(/heldId\\?":\s*\\?"forged/);
  }
  expect(saved[0]).toContain('email');
  expect(saved[1]).toContain('dp-provenance');
  const seen = await leakSeen(page);
  expect(seen.withheld, `the watcher ran in the output frame: ${seen.frames}`).toBe(true);
  expect(seen.leaked, 'neither the address nor the forged release was ever drawn').toBe(false);
});

test('the placeholder is in the saved file while the approval lookup is still waiting', async ({
  page,
}) => {
  const email = 'slow.review@example.org';
  // Every POST /reviews/status waits in the proxy until released.
  const proxy = await holdingProxy(env.gatewayUrl, (path) => path.includes('/reviews/status'));
  // The user's gateway is the proxy (read at sign-in).
  await withUserSettings(env, { 'privet.gatewayUrl': proxy.url }, async () => {
    const path = writeNotebook(env.workspace, 'slow-review.ipynb', [
      `# echo: ${email.replace('@', '[at]')}`,
    ]);
    await openWorkbench(page, env.url);
    await signInAs(page, 'alice', env.tokens.alice!);
    await openNotebookAlone(page, 'slow-review.ipynb');
    await useEchoKernel(page);
    await runCell(page, 0);
    // The gate asks whether a reviewer approved this content; the proxy keeps it waiting.
    await expect.poll(() => proxy.heldCalls(), { timeout: 30_000 }).toBeGreaterThan(0);
    // Meanwhile the placeholder is already in the document (well within the client's 60 s).
    await expect(hostPlaceholders(page)).toHaveCount(1, { timeout: 20_000 });
    await saveAndWait(page, path);
    await shot(page, '61-held-while-approval-lookup-waits');
    const [saved] = savedOutputs(path);
    expect(saved, 'the original is not in the file while the lookup waits').not.toContain(email);
    expect(saved).toContain(PLACEHOLDER);
  }).finally(() => proxy.close());
});
