/** A gateway state folder whose ledger the tests charge, copy at one time and put back later. */
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicyFile } from '../../../gateway/src/policy-file.js';
import { openServices, type Services } from '../../../gateway/src/ledger/open.js';
import { openDurableDb } from '../../../gateway/src/audit/index.js';
import { headMarkPath } from '../../../gateway/src/audit/head-mark.js';

/** A state folder (privet.db, master.key, the marks) beside the HTTP tests' policy. */
export interface RollbackState {
  dir: string;
  policyPath: string;
  stateDir: string;
  dbPath: string;
  /** Opens the record services on the state database (as the gateway and the CLI do). */
  open(): Services;
  /** Opens the services, charges ε `epsilon` to experiment exp1 `times` times, and closes them. */
  charge(times: number, epsilon?: string): void;
  /** The ε experiment exp1 has spent (the services are opened and closed for it). */
  spent(): string;
  /** Copies the (closed) database aside as `name` and returns where. */
  copy(name: string): string;
  /** Puts the copy at `from` back in place of the database (its WAL and shared memory removed). */
  restore(from: string): void;
  /** Removes the folder. */
  remove(): void;
}

/** A fresh state folder whose experiment exp1 (analyst ana, steward stu) is approved. */
export function rollbackState(prefix: string): RollbackState {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const policyPath = join(dir, 'policy.yaml');
  copyFileSync(
    fileURLToPath(new URL('../../fixtures/http/policy.yaml', import.meta.url)),
    policyPath,
  );
  const policy = loadPolicyFile(policyPath).policy;
  const stateDir = join(dir, 'state');
  const dbPath = join(stateDir, 'privet.db');
  const open = (): Services => openServices({ dbPath, policy, stateDir });
  mkdirSync(stateDir, { recursive: true });
  const first = open();
  first.experiments.propose(
    { user: 'ana', roles: ['analyst'] },
    {
      id: 'exp1',
      title: 'Income by city',
      purpose: 'Rollback tests',
      dataCategories: ['income'],
      views: ['people_dp'],
      analyses: ['means'],
      expectedOutputs: ['tables'],
    },
  );
  first.experiments.approve({ user: 'stu', roles: ['steward'] }, 'exp1', 'ok');
  first.close();
  let release = 0;
  return {
    dir,
    policyPath,
    stateDir,
    dbPath,
    open,
    charge(times, epsilon = '0.1') {
      const s = open();
      try {
        for (let i = 0; i < times; i++) {
          const id = s.ledger.reserve({
            experiment: 'exp1',
            source: 'people',
            user: 'ana',
            epsilon,
            query: 'SELECT avg(income) FROM people_dp',
            planHash: 'plan-1',
          });
          s.ledger.commit(id, `release-${release++}`);
        }
      } finally {
        s.close();
      }
    },
    spent() {
      const s = open();
      try {
        const b = s.ledger.state('exp1').budgets.find((x) => x.source === 'people');
        return b?.spent.epsilon.text ?? 'none';
      } finally {
        s.close();
      }
    },
    copy(name) {
      const to = join(dir, name);
      // Closed connections leave no WAL behind; a copy of one still open needs its -wal too.
      copyFileSync(dbPath, to);
      if (existsSync(`${dbPath}-wal`)) copyFileSync(`${dbPath}-wal`, `${to}-wal`);
      return to;
    },
    restore(from) {
      rmSync(`${dbPath}-wal`, { force: true });
      rmSync(`${dbPath}-shm`, { force: true });
      copyFileSync(from, dbPath);
      if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${dbPath}-wal`);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The head mark file beside the database at `dbPath`, as written. */
export interface MarkFile {
  version: number;
  seq: number;
  hash: string;
  mac: string;
}

/** Reads the head mark file beside the database at `dbPath`. */
export function readMarkFile(dbPath: string): MarkFile {
  return JSON.parse(readFileSync(headMarkPath(dbPath), 'utf8')) as MarkFile;
}

/** The newest entry of the database at `path` (read-only). */
export function newestEntry(path: string): { seq: number; hash: string } {
  const db = openDurableDb(path, { readonly: true });
  try {
    const row = db
      .prepare<[], { seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      )
      .get();
    assert.ok(row);
    return row;
  } finally {
    db.close();
  }
}

/**
 * Charges, copies the database, charges more (the mark moves on), puts the copy back and writes
 * to it past the marked entry (without the mark, which is then put back as it was): the database
 * holds another entry where the mark names one. Returns the mark.
 */
export function writtenPastMark(st: RollbackState): MarkFile {
  st.charge(1);
  const t1 = st.copy('t1.db');
  st.charge(2);
  const markPath = headMarkPath(st.dbPath);
  const mark = readFileSync(markPath);
  const marked = readMarkFile(st.dbPath);
  st.restore(t1);
  rmSync(markPath);
  st.charge(4);
  assert.ok(newestEntry(st.dbPath).seq > marked.seq);
  writeFileSync(markPath, mark, { mode: 0o600 });
  return marked;
}
