/**
 * How long a large export or review request stalls the gateway's other requests: GET /health is
 * asked back to back while POST /exports (a 16 MB notebook) or POST /reviews (an 8 MB image)
 * runs, against the same probe on an idle gateway in the same run. The stall is the longest probe
 * answer during the request (the event loop's longest busy stretch, plus one round trip).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { startGateway } from '../gateway/src/http/server.js';
import { median, type BenchResult } from './result.js';

const EXPERIMENT = 'exp-stall';

const POLICY = `version: 1
name: stall-bench
sources:
  people:
    path: people.csv
    format: csv
    privacy_unit: person_id
    columns:
      person_id: { type: integer, identifier: true }
      name: { type: string, identifier: true }
      city: { type: string }
views:
  people_masked:
    tier: masked
    source: people
    columns:
      person_id: { op: token }
      city: { op: keep }
users:
  ana: { name: Ana Analyst, roles: [analyst] }
  stu: { name: Stu Steward, roles: [steward] }
budgets:
  - { source: people, epsilon: '5.0', scope: experiment }
retention: { derived_artefacts_days: 1, audit_log_days: 30 }
export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }
`;

/** A stream output of about `bytes` of log lines that pass every rule. */
function logOutput(bytes: number, seed: number): Record<string, unknown> {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `epoch ${seed}.${i} loss ${(1 / (i + 2)).toFixed(6)} mean 41.2 done\n`;
    lines.push(line);
    size += line.length;
  }
  return { output_type: 'stream', name: 'stdout', text: lines.join('') };
}

/** An image output of about `bytes` of base64 (images are flagged for review by the policy). */
function bigImage(bytes: number, seed: number): Record<string, unknown> {
  const raw = new Uint8Array(Math.floor((bytes * 3) / 4));
  for (let i = 0; i < raw.length; i++) raw[i] = ((i + seed) * 2654435761) >>> 24;
  return {
    output_type: 'display_data',
    data: { 'image/png': Buffer.from(raw).toString('base64'), 'text/plain': '<Figure>' },
    metadata: {},
  };
}

/** A notebook of `cells` code cells, each with one log output of `bytesPerCell`. */
function bigNotebook(cells: number, bytesPerCell: number): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: Array.from({ length: cells }, (_, i) => ({
      cell_type: 'code',
      source: `train(${i})`,
      metadata: {},
      execution_count: i + 1,
      outputs: [logOutput(bytesPerCell, i)],
    })),
  };
}

/**
 * A client on a thread of its own (so sending and reading 16 MB costs the gateway's event loop
 * nothing): on each message { method, path, token, body, keep } it sends the request and answers
 * { status, ms, text } (the response text when `keep`, or for an unexpected status).
 */
const CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', async ({ method, path, token, body, keep }) => {
  const t0 = performance.now();
  try {
    const r = await fetch(workerData.url + path, {
      method,
      headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
      body,
    });
    const text = await r.text();
    const ok = r.status === 200 || r.status === 201;
    parentPort.postMessage({ status: r.status, ms: performance.now() - t0, text: keep || !ok ? text : '' });
  } catch (error) {
    parentPort.postMessage({ status: 0, ms: 0, text: String(error) });
  }
});
`;

/** Runs the benchmark. */
export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'privet-stall-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  writeFileSync(
    join(dir, 'people.csv'),
    'person_id,name,city\n' +
      Array.from({ length: 200 }, (_, i) => `${i + 1},Ada Lindqvist${i},Oslo`).join('\n') +
      '\n',
  );
  const gateway = await startGateway({
    policyPath: join(dir, 'policy.yaml'),
    stateDir: join(dir, 'state'),
    port: 0,
    issueTokensFor: ['ana', 'stu'],
    leakLimits: { calls: 100_000, candidates: 10_000_000, windowMs: 86_400_000 },
    warmLeakIndex: true,
  });
  try {
    gateway.services.experiments.propose(
      { user: 'ana', roles: ['analyst'] },
      {
        id: EXPERIMENT,
        title: 'Stall bench',
        purpose: 'Measure request stalls',
        dataCategories: ['city'],
        views: ['people_masked'],
        analyses: ['counts'],
        expectedOutputs: ['tables'],
        members: [],
      },
    );
    gateway.services.experiments.approve({ user: 'stu', roles: ['steward'] }, EXPERIMENT, 'ok');
    const client = new Worker(CLIENT, {
      eval: true,
      workerData: { url: `${gateway.url}/api/v1`, token: gateway.tokens.ana },
    });
    /** Sends a request from the client thread; resolves to its wall time (ms) and kept text. */
    const send = (
      method: 'GET' | 'POST',
      path: string,
      body?: string,
      keep = false,
      token = gateway.tokens.ana!,
    ): Promise<{ ms: number; text: string }> =>
      new Promise((resolve, reject) => {
        client.once('message', (r: { status: number; ms: number; text: string }) =>
          r.status === 200 || r.status === 201
            ? resolve(r)
            : reject(new Error(`${method} ${path} answered ${r.status}: ${r.text.slice(0, 300)}`)),
        );
        client.postMessage({ method, path, token, body, keep });
      });
    const post = async (path: string, body: string): Promise<number> =>
      (await send('POST', path, body)).ms;
    /** Longest GET /health answer (ms) while `work` runs (or for `idleMs` when there is none). */
    const longestProbe = async (
      work: Promise<unknown> | undefined,
      idleMs = 0,
    ): Promise<number> => {
      let done = false;
      void (work ?? new Promise((r) => setTimeout(r, idleMs))).finally(() => (done = true));
      let longest = 0;
      while (!done) {
        const t0 = performance.now();
        await (await fetch(`${gateway.url}/api/v1/health`)).arrayBuffer();
        longest = Math.max(longest, performance.now() - t0);
      }
      return longest;
    };
    const exportBody = JSON.stringify({
      experiment: EXPERIMENT,
      name: 'big.ipynb',
      notebook: bigNotebook(400, 40_000),
    });
    /** A review request for a figure of its own (the same content twice is refused). */
    const reviewBody = (seed: number): string =>
      JSON.stringify({
        experiment: EXPERIMENT,
        output: bigImage(8 << 20, seed),
        justification: 'a large figure',
      });
    // Warm-up: the index, the worker and the JIT.
    await post('/exports', exportBody);
    const idle: number[] = [];
    const exporting: number[] = [];
    const reviewing: number[] = [];
    const reading: number[] = [];
    const exportMs: number[] = [];
    try {
      for (let run = 0; run < 3; run++) {
        idle.push(await longestProbe(undefined, 1500));
        const exported = post('/exports', exportBody).then((ms) => exportMs.push(ms));
        exporting.push(await longestProbe(exported));
        await exported;
        const reviewed = send('POST', '/reviews', reviewBody(run), true);
        reviewing.push(await longestProbe(reviewed));
        const { id } = JSON.parse((await reviewed).text) as { id: string };
        // The steward reads the submitted figure back (GET /reviews/:id/output).
        const read = send('GET', `/reviews/${id}/output`, undefined, false, gateway.tokens.stu);
        reading.push(await longestProbe(read));
        await read;
      }
    } finally {
      await client.terminate();
    }
    const metrics = {
      export_body_mb: exportBody.length / 2 ** 20,
      review_body_mb: reviewBody(0).length / 2 ** 20,
      idle_longest_probe_ms: median(idle),
      export_longest_probe_ms: median(exporting),
      review_longest_probe_ms: median(reviewing),
      review_read_longest_probe_ms: median(reading),
      export_total_ms: median(exportMs),
    };
    return {
      name: 'gateway-stall: GET /health during a 16 MB export, an 8 MB review request (image) and its read',
      metrics,
      ratios: {
        export_stall_over_idle: metrics.export_longest_probe_ms / metrics.idle_longest_probe_ms,
        review_stall_over_idle: metrics.review_longest_probe_ms / metrics.idle_longest_probe_ms,
        review_read_stall_over_idle:
          metrics.review_read_longest_probe_ms / metrics.idle_longest_probe_ms,
      },
      notes: [
        'longest GET /health round trip while the request runs, median of 3 runs; idle: the same probe for 1.5 s with nothing else running',
        'export: 400 cells, each one 40 KB log output that passes every rule; review: one 8 MB image output (flagged, so submitted); read: the steward GETs that output back',
      ],
    };
  } finally {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
