/**
 * A real Privet gateway for the UI tests, run as its own process (tsx, "privet-source"): copies
 * the demo policy (synthetic zip unprefixed, see below) into a temp folder, generates a small
 * demo dataset beside it, publishes the views and serves them on a free 127.0.0.1 port. Through
 * the HTTP API, analyst alice proposes the experiment `ui-study` (member bob) and steward sam
 * approves it; alice also proposes `ui-pending` (left a proposal). Prints one line `PRIVET_GATEWAY {json}` with the URL, tokens and experiment
 * id, then runs until SIGTERM/SIGINT.
 * Usage: node --conditions=privet-source --import tsx ui-tests/support/gateway-process.ts
 *          --work DIR --cors ORIGIN [--cors ORIGIN] [--patients N]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoData } from '../../gateway/src/demo/generate.js';
import { startGateway } from '../../gateway/src/http/server.js';
import { loadPolicyFile } from '../../gateway/src/policy-file.js';
import { publishViews } from '../../gateway/src/publish/index.js';

/** Prefix of the line that carries the gateway's URL and tokens. */
export const READY_PREFIX = 'PRIVET_GATEWAY ';

const { values } = parseArgs({
  options: {
    work: { type: 'string' },
    cors: { type: 'string', multiple: true, default: [] },
    // 12k patients (~45k visits) is the smallest round size at which visits_masked meets
    // its k=5 suppression limit (1 %); 3k patients suppress 2.5 % and publishing refuses.
    patients: { type: 'string', default: '12000' },
  },
});
if (!values.work) throw new Error('gateway-process: --work DIR is required');
const work = resolve(values.work);
const policyPath = join(work, 'policy.yaml');
const stateDir = join(work, 'state');
mkdirSync(work, { recursive: true });
// The demo policy, with zip synthesized as full ZIP codes rather than their area: too thin at
// this size, so both hosts' tests see the thin-column warning a steward gets (thin-zip.ts).
const demoPolicyText = readFileSync(
  new URL('../../gateway/demo/policy.yaml', import.meta.url),
  'utf8',
);
const ZIP_AREA = '    prefix: { zip: 3 }\n';
if (demoPolicyText.split(ZIP_AREA).length !== 2)
  throw new Error(`gateway-process: the demo policy no longer has "${ZIP_AREA.trim()}" once`);
writeFileSync(policyPath, demoPolicyText.replace(ZIP_AREA, ''));

const started = Date.now();
await generateDemoData({ outDir: join(work, 'data'), patients: Number(values.patients), seed: 7 });
const loaded = loadPolicyFile(policyPath);
await publishViews({
  policy: loaded.policy,
  policyText: loaded.text,
  policyDir: loaded.dir,
  stateDir,
});
const gateway = await startGateway({
  policyPath,
  stateDir,
  host: '127.0.0.1',
  port: 0,
  corsOrigins: values.cors,
  issueTokensFor: Object.keys(loaded.policy.users),
});

/** Calls the gateway's API as `user`; throws with the gateway's error on a non-2xx answer. */
async function api(user: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${gateway.url}/api/v1${path}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${gateway.tokens[user] ?? ''}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`gateway-process: POST ${path} as ${user}: ${await response.text()}`);
}

const proposal = {
  purpose: 'UI tests of the Privet JupyterLab extension',
  dataCategories: ['health', 'income'],
  analyses: ['masked_rows', 'dp_count', 'dp_mean'],
  expectedOutputs: ['report'],
};
const experiment = 'ui-study';
await api('alice', '/experiments', {
  ...proposal,
  id: experiment,
  title: 'UI study',
  views: ['patients_masked', 'visits_masked', 'patients_dp'],
  members: ['bob'],
});
await api('sam', `/experiments/${experiment}/approve`, { note: 'approved for the UI tests' });
await api('alice', '/experiments', {
  ...proposal,
  id: 'ui-pending',
  title: 'Pending study',
  views: ['visits_dp'],
});
const info = {
  url: gateway.url,
  tokens: gateway.tokens,
  experiment,
  setupMs: Date.now() - started,
};
process.stdout.write(READY_PREFIX + JSON.stringify(info) + '\n');

const stop = (): void => {
  void gateway.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
