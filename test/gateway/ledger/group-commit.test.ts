import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDurableDb, type Db } from '../../../gateway/src/audit/index.js';
import { GroupCommit } from '../../../gateway/src/ledger/group-commit.js';
import { checkLedgerConsistency } from '../../../gateway/src/ledger/index.js';
import { approve, ledgerEnv, req } from './fixture.js';

/** Frames written to the WAL since the last truncation (each committed transaction adds its pages). */
function walFrames(db: Db): number {
  const row = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
  return row[0]?.log ?? -1;
}

function truncateWal(db: Db): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

describe('group commit', () => {
  test('concurrent charges of one process share transactions; each is durable before its value returns', async () => {
    const env = ledgerEnv([{ source: 'patients', epsilon: '100', scope: 'experiment' }]);
    try {
      approve(env, 'g');
      env.db.pragma('wal_autocheckpoint = 0');
      const other = openDurableDb(env.dbPath, { readonly: true });
      const committedElsewhere = other.prepare<[string], { status: string }>(
        'SELECT status FROM ledger_reservations WHERE id = ?',
      );
      const charge = async (i: number) => {
        const { charge } = await env.ledger.run(req('g', '1/100'), () => Promise.resolve(i));
        // Seen as committed by another connection the moment the value is handed back.
        assert.equal(committedElsewhere.get(charge.reservationId)?.status, 'committed');
      };
      truncateWal(env.db);
      for (let i = 0; i < 50; i++) await charge(i);
      const oneByOne = walFrames(env.db);
      truncateWal(env.db);
      await Promise.all(Array.from({ length: 50 }, (_, i) => charge(i)));
      const grouped = walFrames(env.db);
      other.close();
      assert.ok(
        grouped * 5 < oneByOne,
        `50 concurrent charges wrote ${grouped} WAL frames, 50 sequential ones ${oneByOne}`,
      );
      const b = env.ledger.state('g').budgets[0];
      assert.equal(b?.spent.epsilon.exact, '1');
      assert.deepEqual(checkLedgerConsistency(env.db, env.policy), []);
    } finally {
      env.dispose();
    }
  });

  test('a job that throws fails alone: the others of its batch commit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'privet-group-'));
    const db = openDurableDb(join(dir, 'g.db'));
    try {
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
      const insert = db.prepare('INSERT INTO t (id) VALUES (?)');
      const group = new GroupCommit(db);
      const results = await Promise.allSettled([
        group.submit(() => insert.run(1).changes),
        group.submit(() => insert.run(1).changes), // duplicate key: throws
        group.submit(() => insert.run(2).changes),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      const ids = db.prepare<[], { id: number }>('SELECT id FROM t ORDER BY id').all();
      assert.deepEqual(
        ids.map((r) => r.id),
        [1, 2],
      );
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
