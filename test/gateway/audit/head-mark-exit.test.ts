/**
 * The head mark of a process that exits without closing its database: process.exit(), an event
 * loop run dry or an uncaught exception still marks the last committed head (the process's 'exit'
 * event, synchronously), while one 'exit' listener serves any number of open connections and goes
 * with the last of them. A killed process (SIGKILL) runs no handler: its last heads stay unmarked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AuditLog, openDurableDb } from '../../../gateway/src/audit/index.js';
import { headMarkPath } from '../../../gateway/src/audit/head-mark.js';
import { openClockedLog } from './fixture.js';

interface Mark {
  seq: number;
  hash: string;
}

interface ChildReport {
  head: Mark;
  markBeforeExit: Mark;
}

/** The file URL of a gateway audit module, for the child's imports. */
function auditModule(name: string): string {
  return pathToFileURL(
    fileURLToPath(new URL(`../../../gateway/src/audit/${name}`, import.meta.url)),
  ).href;
}

/**
 * The child: opens the audit log of `argv[2]` with a one-minute mark interval (so no timed write
 * comes before the exit), appends entries, writes its head and the mark it sees to `argv[3]`, and
 * ends as `argv[4]` says without closing the database.
 */
const CHILD = `
import { readFileSync, writeFileSync } from 'node:fs';
import { AuditLog, openDurableDb } from ${JSON.stringify(auditModule('index.ts'))};
import { headMarkPath } from ${JSON.stringify(auditModule('head-mark.ts'))};
const [dbPath, reportPath, how] = process.argv.slice(2);
const db = openDurableDb(dbPath);
const log = new AuditLog(db, () => new Date(), { headMarkIntervalMs: 60_000 });
for (let i = 0; i < 5; i++) log.append({ actor: 'ana', action: 'view.access', subject: 'v' + i });
const mark = JSON.parse(readFileSync(headMarkPath(dbPath), 'utf8'));
const head = log.head();
writeFileSync(reportPath, JSON.stringify({ head: { seq: head.seq, hash: head.hash }, markBeforeExit: { seq: mark.seq, hash: mark.hash } }));
if (how === 'exit') process.exit(0);
if (how === 'throw') throw new Error('ended by an uncaught exception');
if (how === 'kill') { process.kill(process.pid, 'SIGKILL'); setTimeout(() => {}, 10_000); }
`;

/** Runs the child on `dbPath` (at most 60 s); resolves to its exit code and what it reported. */
function runChild(
  dir: string,
  dbPath: string,
  how: 'exit' | 'end' | 'throw' | 'kill',
): Promise<{ code: number | null; signal: string | null; stderr: string; report: ChildReport }> {
  const script = join(dir, 'child.ts');
  writeFileSync(script, CHILD);
  const reportPath = join(dir, `report-${how}.json`);
  const child = spawn(
    process.execPath,
    ['--conditions=privet-source', '--import', 'tsx', script, dbPath, reportPath, how],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      try {
        const report = JSON.parse(readFileSync(reportPath, 'utf8')) as ChildReport;
        resolve({ code, signal, stderr, report });
      } catch (e) {
        reject(
          new Error(`the child reported nothing (exit ${code}, ${signal}): ${stderr}`, {
            cause: e,
          }),
        );
      }
    });
  });
}

function readMark(dbPath: string): Mark {
  const m = JSON.parse(readFileSync(headMarkPath(dbPath), 'utf8')) as Mark;
  return { seq: m.seq, hash: m.hash };
}

test('a process that exits without closing its database marks its last head', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'privet-head-mark-exit-'));
  try {
    const dbPath = join(dir, 'privet.db');
    // A state folder with a log and a mark (created, then closed).
    const db = openDurableDb(dbPath);
    new AuditLog(db).append({ actor: 'stu', action: 'view.access', subject: 'first' });
    db.close();

    for (const how of ['exit', 'end', 'throw'] as const) {
      const run = await runChild(dir, dbPath, how);
      assert.equal(run.signal, null, `${how}: ${run.stderr}`);
      assert.equal(run.code, how === 'throw' ? 1 : 0, `${how}: ${run.stderr}`);
      const { head, markBeforeExit } = run.report;
      assert.ok(markBeforeExit.seq < head.seq, `${how}: the mark was behind until the exit`);
      assert.deepEqual(readMark(dbPath), head, `${how}: the exit marked the last head`);
      assert.doesNotMatch(run.stderr, /could not write the audit head mark/, how);
    }

    // Killed, it cannot: the mark stays where it was (documented in head-mark-keeper.ts).
    const killed = await runChild(dir, dbPath, 'kill');
    assert.equal(killed.signal, 'SIGKILL', killed.stderr);
    assert.deepEqual(readMark(dbPath), killed.report.markBeforeExit);
    assert.ok(killed.report.markBeforeExit.seq < killed.report.head.seq);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('any number of open connections adds one exit listener, removed when the last one closes', async () => {
  const before = process.listenerCount('exit');
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.name);
  process.on('warning', onWarning);
  const logs = Array.from({ length: 25 }, () => openClockedLog('privet-head-mark-exit-'));
  try {
    for (const t of logs) t.fill(1);
    assert.equal(process.listenerCount('exit'), before + 1);
  } finally {
    for (const t of logs) t.close();
    // Warnings are emitted on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
  }
  assert.equal(process.listenerCount('exit'), before);
  assert.deepEqual(warnings, []);
});
