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
 * the workspace (removed again at the end).
 */
import { once } from 'node:events';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { vscodeTestEnv } from './support/env.js';
import {
  hostPlaceholders,
  saveAndWait,
  savedOutputs,
  useEchoKernel,
  writeNotebook,
} from './support/saved-notebook.js';
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

/**
 * An HTTP proxy in front of the gateway that holds every POST /reviews/status until released (or
 * two minutes passed); everything else goes straight through.
 */
async function slowStatusProxy(target: string): Promise<{
  url: string;
  statusCalls: () => number;
  release: () => void;
  close: () => Promise<void>;
}> {
  let statusCalls = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.url?.includes('/reviews/status')) {
        statusCalls += 1;
        await Promise.race([released, new Promise((r) => setTimeout(r, 120_000))]);
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers as IncomingHttpHeaders))
        if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k))
          headers[k] = v;
      const method = req.method ?? 'GET';
      const answer = await fetch(target + (req.url ?? '/'), {
        method,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks),
      });
      const body = Buffer.from(await answer.arrayBuffer());
      res.writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'application/json',
      });
      res.end(body);
    })().catch(() => {
      res.writeHead(502);
      res.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    statusCalls: () => statusCalls,
    release,
    close: () =>
      new Promise<void>((resolve) => {
        release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test('the placeholder is in the saved file while the approval lookup is still waiting', async ({
  page,
}) => {
  const email = 'slow.review@example.org';
  const proxy = await slowStatusProxy(env.gatewayUrl);
  const settingsDir = join(env.workspace, '.vscode');
  try {
    // The workspace's gateway is the proxy (read at sign-in).
    mkdirSync(settingsDir, { recursive: true });
    writeFileSync(
      join(settingsDir, 'settings.json'),
      JSON.stringify({ 'privet.gatewayUrl': proxy.url }, null, 2),
    );
    const path = writeNotebook(env.workspace, 'slow-review.ipynb', [
      `# echo: ${email.replace('@', '[at]')}`,
    ]);
    await openWorkbench(page, env.url);
    await signInAs(page, 'alice', env.tokens.alice!);
    await openNotebookAlone(page, 'slow-review.ipynb');
    await useEchoKernel(page);
    await runCell(page, 0);
    // The gate asks whether a reviewer approved this content; the proxy keeps it waiting.
    await expect.poll(() => proxy.statusCalls(), { timeout: 30_000 }).toBeGreaterThan(0);
    // Meanwhile the placeholder is already in the document (well within the client's 60 s).
    await expect(hostPlaceholders(page)).toHaveCount(1, { timeout: 20_000 });
    await saveAndWait(page, path);
    await shot(page, '61-held-while-approval-lookup-waits');
    const [saved] = savedOutputs(path);
    expect(saved, 'the original is not in the file while the lookup waits').not.toContain(email);
    expect(saved).toContain(PLACEHOLDER);
  } finally {
    await proxy.close();
    rmSync(settingsDir, { recursive: true, force: true });
  }
});
