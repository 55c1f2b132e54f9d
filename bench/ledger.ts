/**
 * Ledger throughput: durable charges per second (reserve + commit, each commit fsynced before it
 * returns) with 1 client and with 50 concurrent clients (worker threads, each with its own SQLite
 * connection, as separate gateway processes would have), against a baseline measured in the same
 * run: plain durable INSERTs (one row per transaction) into a SQLite file opened with the same
 * pragmas (WAL, synchronous=FULL) and the same lock-retry helper. A third figure runs 50 concurrent
 * callers through one gateway process's `Ledger.run`, which group-commits.
 * Why one file: the worker threads run this same module (bundled once with esbuild, as the ledger
 * tests do, so 50 workers do not each start tsx's loader).
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Policy } from '@privet/core';
import { AuditLog, immediate, openDurableDb } from '../gateway/src/audit/index.js';
import { ExperimentService, directoryArtefactStore } from '../gateway/src/experiments/index.js';
import { openServices } from '../gateway/src/ledger/index.js';
import type { BenchResult } from './result.js';

const CLIENTS = 50;
const SINGLE_CHARGES = 1500;
const CHARGES_PER_CLIENT = 120;
const EXPERIMENT = 'bench';

/** What one worker does: `charges` durable ledger charges or plain INSERTs, after the start signal. */
interface WorkerTask {
  kind: 'ledger' | 'insert';
  dbPath: string;
  stateDir: string;
  policy: Policy;
  count: number;
  user: string;
  go: SharedArrayBuffer;
}

/** The policy parser, loaded in the main thread only: the workers' bundle needs none of core's index. */
async function loadParser(): Promise<(typeof import('@privet/core'))['parsePolicy']> {
  const specifier = '@privet/core';
  return ((await import(specifier)) as typeof import('@privet/core')).parsePolicy;
}

async function demoPolicy(): Promise<Policy> {
  const parsePolicy = await loadParser();
  const path = new URL('../gateway/demo/policy.yaml', import.meta.url);
  const policy = parsePolicy(readFileSync(path, 'utf8'), 'gateway/demo/policy.yaml');
  policy.users.sue = { name: 'Sue Steward', roles: ['steward'] };
  // Large enough that no charge of the run is refused: every timed charge is a real commit.
  policy.budgets = [{ source: 'patients', epsilon: '1000000', scope: 'experiment' }];
  return policy;
}

function chargeRequest(user: string, i: number) {
  return {
    experiment: EXPERIMENT,
    source: 'patients',
    user,
    epsilon: '1/1000',
    query: `SELECT count(*) FROM patients_dp -- ${i}`,
    planHash: 'bench-plan',
  };
}

/** Prepares a state database with one running experiment (alice and bob members). */
function prepareLedgerDb(dir: string, policy: Policy): string {
  const dbPath = join(dir, 'state.db');
  const db = openDurableDb(dbPath);
  try {
    const audit = new AuditLog(db);
    const experiments = new ExperimentService({
      audit,
      policy,
      artefacts: directoryArtefactStore(dir),
    });
    experiments.propose(
      { user: 'alice', roles: ['analyst'] },
      {
        id: EXPERIMENT,
        title: 'Ledger benchmark',
        purpose: 'Measure durable charges per second',
        dataCategories: ['health'],
        views: ['patients_dp'],
        analyses: ['dp_aggregates'],
        expectedOutputs: ['counts'],
        members: ['bob'],
      },
    );
    experiments.approve({ user: 'sam', roles: ['steward'] }, EXPERIMENT);
    experiments.start({ user: 'alice', roles: ['analyst'] }, EXPERIMENT);
  } finally {
    db.close();
  }
  return dbPath;
}

/** Plain durable INSERTs, one per transaction, through the same lock helper as the ledger. */
function insertLoop(dbPath: string, count: number, tag: string): void {
  const db = openDurableDb(dbPath, { busyTimeoutMs: 120_000 });
  try {
    db.exec('CREATE TABLE IF NOT EXISTS rows (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT');
    const insert = db.prepare('INSERT INTO rows (id, body) VALUES (?, ?)');
    for (let i = 0; i < count; i++) {
      immediate(db, () => insert.run(`${tag}-${i}`, `SELECT count(*) FROM patients_dp -- ${i}`));
    }
  } finally {
    db.close();
  }
}

/** Reserve + commit `count` times on its own connection. */
async function ledgerLoop(t: Omit<WorkerTask, 'kind' | 'go'>): Promise<void> {
  const s = openServices({
    dbPath: t.dbPath,
    policy: t.policy,
    stateDir: t.stateDir,
    busyTimeoutMs: 120_000,
  });
  try {
    for (let i = 0; i < t.count; i++) {
      await s.ledger.run(chargeRequest(t.user, i), () => Promise.resolve(1));
    }
  } finally {
    s.close();
  }
}

async function workerMain(t: WorkerTask): Promise<void> {
  const go = new Int32Array(t.go);
  if (t.kind === 'insert') {
    const db = openDurableDb(t.dbPath, { busyTimeoutMs: 120_000 });
    db.exec('CREATE TABLE IF NOT EXISTS rows (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT');
    db.close();
  }
  parentPort?.postMessage('ready');
  Atomics.wait(go, 0, 0);
  if (t.kind === 'insert') insertLoop(t.dbPath, t.count, `w${t.user}`);
  else await ledgerLoop(t);
  parentPort?.postMessage('done');
}

let bundled: string | undefined;

/** Bundles this module once into plain JavaScript that worker threads can start quickly. */
async function bundle(dir: string): Promise<string> {
  if (bundled) return bundled;
  const { build } = await import('esbuild');
  symlinkSync(
    fileURLToPath(new URL('../node_modules', import.meta.url)),
    join(dir, 'node_modules'),
    'dir',
  );
  const outfile = join(dir, 'ledger-bench.mjs');
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['privet-source'],
    external: ['better-sqlite3', 'esbuild'],
    // CommonJS dependencies (yaml) call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    outfile,
    logLevel: 'silent',
  });
  bundled = outfile;
  return outfile;
}

/** Starts `tasks` in worker threads, releases them at once, resolves to the wall time in ms. */
async function raceWorkers(file: string, tasks: Omit<WorkerTask, 'go'>[]): Promise<number> {
  const go = new SharedArrayBuffer(4);
  const workers = tasks.map((t) => new Worker(file, { workerData: { ...t, go } }));
  const waitFor = (w: Worker, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: unknown): void => {
        if (m === what) {
          w.off('message', onMessage);
          resolve();
        }
      };
      w.on('message', onMessage);
      w.once('error', reject);
    });
  try {
    await Promise.all(workers.map((w) => waitFor(w, 'ready')));
    const done = Promise.all(workers.map((w) => waitFor(w, 'done')));
    const t0 = performance.now();
    const flag = new Int32Array(go);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    await done;
    return performance.now() - t0;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function timed(fn: () => unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** 50 concurrent callers sharing one gateway process's ledger (`run` group-commits). */
async function sharedProcessRate(dir: string, policy: Policy): Promise<number> {
  const dbPath = prepareLedgerDb(dir, policy);
  const s = openServices({ dbPath, policy, stateDir: dir, busyTimeoutMs: 120_000 });
  try {
    const ms = await timed(() =>
      Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          for (let i = 0; i < CHARGES_PER_CLIENT; i++) {
            await s.ledger.run(chargeRequest(c % 2 ? 'bob' : 'alice', i), () => Promise.resolve(1));
          }
        }),
      ),
    );
    return (CLIENTS * CHARGES_PER_CLIENT) / (ms / 1000);
  } finally {
    s.close();
  }
}

/** Runs the benchmark. */
export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'privet-ledger-bench-'));
  try {
    const policy = await demoPolicy();
    const file = await bundle(dir);
    const fresh = (name: string): string => mkdtempSync(join(dir, name));
    // 1 client, direct.
    const ledger1Dir = fresh('l1-');
    const ledger1Db = prepareLedgerDb(ledger1Dir, policy);
    const ledger1Ms = await timed(() =>
      ledgerLoop({
        dbPath: ledger1Db,
        stateDir: ledger1Dir,
        policy,
        count: SINGLE_CHARGES,
        user: 'alice',
      }),
    );
    const insert1Ms = await timed(() =>
      insertLoop(join(fresh('i1-'), 'plain.db'), SINGLE_CHARGES, 'main'),
    );
    // 50 clients, each its own connection.
    const ledgerNDir = fresh('ln-');
    const ledgerNDb = prepareLedgerDb(ledgerNDir, policy);
    const each = (kind: 'ledger' | 'insert', dbPath: string, stateDir: string) =>
      Array.from({ length: CLIENTS }, (_, c) => ({
        kind,
        dbPath,
        stateDir,
        policy,
        count: CHARGES_PER_CLIENT,
        user: kind === 'insert' ? String(c) : c % 2 ? 'bob' : 'alice',
      }));
    const ledgerNMs = await raceWorkers(file, each('ledger', ledgerNDb, ledgerNDir));
    const insertNDir = fresh('in-');
    const insertNMs = await raceWorkers(
      file,
      each('insert', join(insertNDir, 'plain.db'), insertNDir),
    );
    const shared = await sharedProcessRate(fresh('sh-'), policy);
    const rate = (n: number, ms: number): number => Math.round(n / (ms / 1000));
    const total = CLIENTS * CHARGES_PER_CLIENT;
    const m = {
      ledger_1_client_charges_per_s: rate(SINGLE_CHARGES, ledger1Ms),
      plain_insert_1_client_per_s: rate(SINGLE_CHARGES, insert1Ms),
      ledger_50_clients_charges_per_s: rate(total, ledgerNMs),
      plain_insert_50_clients_per_s: rate(total, insertNMs),
      ledger_50_callers_one_process_charges_per_s: Math.round(shared),
    };
    return {
      name: 'ledger',
      metrics: m,
      ratios: {
        ledger_vs_plain_insert_1_client:
          m.ledger_1_client_charges_per_s / m.plain_insert_1_client_per_s,
        ledger_vs_plain_insert_50_clients:
          m.ledger_50_clients_charges_per_s / m.plain_insert_50_clients_per_s,
        ledger_one_process_vs_plain_insert_1_client:
          m.ledger_50_callers_one_process_charges_per_s / m.plain_insert_1_client_per_s,
        ledger_one_process_vs_plain_insert_50_clients:
          m.ledger_50_callers_one_process_charges_per_s / m.plain_insert_50_clients_per_s,
      },
      notes: [
        `a charge is reserve + commit (2 transactions, the commit fsynced) plus its 2 hash-chained audit entries; ${SINGLE_CHARGES} charges with 1 client, ${CLIENTS} × ${CHARGES_PER_CLIENT} with 50`,
        'baseline: one durable INSERT per transaction, same pragmas (WAL, synchronous=FULL) and lock helper; ratios > 1 mean faster than the baseline',
        '50 clients: worker threads, each with its own connection (like separate gateway processes)',
        'one process: 50 concurrent async callers of one Ledger.run (as the gateway serves 50 HTTP clients), whose commits share fsyncs (group commit); each caller still gets its value only after its charge is durable',
        'target: ≥ 2,000 charges/s',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!isMainThread && workerData) {
  void workerMain(workerData as WorkerTask);
}
