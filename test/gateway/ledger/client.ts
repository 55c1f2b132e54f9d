// A ledger client run as a worker thread or a child process by the concurrency and crash tests:
// it opens its own connection to the shared database file and spends 0.1 ε at a time until the
// budget is used up. In `marker` mode it appends each release id to a marker file only after
// `commit` returned (a stand-in for releasing the value to the analyst).
import { appendFileSync, closeSync, fsyncSync, openSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Policy } from '@privet/core';
import { ServiceError } from '../../../gateway/src/audit/index.js';
import { openServices } from '../../../gateway/src/ledger/index.js';

/** What a client is told to do. */
export interface ClientTask {
  dbPath: string;
  stateDir: string;
  policy: Policy;
  experiment: string;
  user: string;
  epsilon: string;
  /** Stop after this many attempts (bounds the loop). */
  maxAttempts: number;
  /** File to append release ids to after commit (crash test). */
  marker?: string;
  /** Milliseconds the fake query takes (random up to this). */
  executeMs?: number;
  /** After this many releases the next query never finishes (the process waits to be killed). */
  stallAfter?: number;
}

/** Outcome of a client. */
export interface ClientResult {
  released: number;
  refused: number;
  failed: number;
  /** Milliseconds to open the services (schema check, crash recovery). */
  openMs: number;
  /** Milliseconds spent in the spending loop. */
  loopMs: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function rand(n: number): number {
  return (globalThis.crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) % Math.max(1, n);
}

/** Runs the client loop against the shared database. */
export async function runClient(t: ClientTask): Promise<ClientResult> {
  const t0 = performance.now();
  const s = openServices({
    dbPath: t.dbPath,
    policy: t.policy,
    stateDir: t.stateDir,
    busyTimeoutMs: 60_000,
  });
  const t1 = performance.now();
  const out: ClientResult = { released: 0, refused: 0, failed: 0, openMs: t1 - t0, loopMs: 0 };
  try {
    for (let i = 0; i < t.maxAttempts; i++) {
      try {
        const { charge } = await s.ledger.run(
          {
            experiment: t.experiment,
            source: 'patients',
            user: t.user,
            epsilon: t.epsilon,
            query: 'SELECT count(*) FROM patients_dp',
            planHash: 'p',
          },
          async () => {
            if (t.stallAfter !== undefined && out.released >= t.stallAfter) {
              await new Promise<never>(() => setInterval(() => undefined, 1000));
            }
            if (t.executeMs) await sleep(rand(t.executeMs));
            return 1;
          },
        );
        if (t.marker) {
          const fd = openSync(t.marker, 'a');
          appendFileSync(fd, `${charge.releaseId}\n`);
          fsyncSync(fd);
          closeSync(fd);
        }
        out.released++;
      } catch (e) {
        if (!(e instanceof ServiceError) || e.reason !== 'budget.exhausted') throw e;
        out.refused++;
        const b = s.ledger.state(t.experiment).budgets.find((x) => x.source === 'patients');
        if (b?.reserved.epsilon.exact === '0') break;
        await sleep(1 + rand(5));
      }
    }
  } finally {
    s.close();
  }
  out.loopMs = performance.now() - t1;
  return out;
}

if (!isMainThread && parentPort && workerData) {
  const port = parentPort;
  runClient(workerData as ClientTask).then(
    (r) => port.postMessage({ ok: true, result: r }),
    (e: unknown) =>
      port.postMessage({
        ok: false,
        error: e instanceof Error ? (e.stack ?? e.message) : String(e),
      }),
  );
} else if (isMainThread && process.argv[2] === '--task') {
  const task = JSON.parse(process.argv[3] ?? '{}') as ClientTask;
  runClient(task).then(
    (r) => {
      process.stdout.write(JSON.stringify(r) + '\n');
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
      process.exit(1);
    },
  );
}
