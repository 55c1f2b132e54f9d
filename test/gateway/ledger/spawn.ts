// Why: starting 50 worker threads or processes through tsx costs over a second of CPU each (every
// worker registers its own loader), which would dominate the race and crash tests. We bundle
// client.ts (and the real gateway code it imports) once with esbuild — already present as tsx's
// compiler — into plain JavaScript next to a node_modules link, and start workers/processes from it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import type { ClientResult, ClientTask } from './client.js';

let bundled: Promise<string> | undefined;

/** Bundles client.ts once per test process; resolves to the path of the JavaScript file. */
export function clientBundle(): Promise<string> {
  bundled ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'privet-client-'));
    symlinkSync(
      fileURLToPath(new URL('../../../node_modules', import.meta.url)),
      join(dir, 'node_modules'),
      'dir',
    );
    const outfile = join(dir, 'client.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./client.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['privet-source'],
      external: ['better-sqlite3'],
      outfile,
      logLevel: 'silent',
    });
    return outfile;
  })();
  return bundled;
}

/** Runs a client in a worker thread (its own SQLite connection); resolves to its result. */
export async function inWorker(task: ClientTask): Promise<ClientResult> {
  const file = await clientBundle();
  return new Promise((resolve, reject) => {
    const w = new Worker(file, { workerData: task });
    w.once('message', (m: { ok: boolean; result?: ClientResult; error?: string }) => {
      if (m.ok && m.result) resolve(m.result);
      else reject(new Error(m.error ?? 'worker failed'));
      void w.terminate();
    });
    w.once('error', reject);
  });
}

/** Starts a client as a child process; the caller waits for it (`childResult`) or kills it. */
export async function childClient(task: ClientTask): Promise<ChildProcess> {
  const file = await clientBundle();
  return spawn(process.execPath, [file, '--task', JSON.stringify(task)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits for a child client to exit; resolves to its result or rejects with its stderr. */
export function childResult(child: ChildProcess): Promise<ClientResult> {
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as ClientResult);
      else reject(new Error(`client exited with ${code}: ${err.slice(0, 2000)}`));
    });
  });
}
