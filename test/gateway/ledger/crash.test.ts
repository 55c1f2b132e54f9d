import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { verifyAuditDb } from '../../../gateway/src/audit/index.js';
import { checkLedgerConsistency, openServices } from '../../../gateway/src/ledger/index.js';
import type { ClientTask } from './client.js';
import { approve, ledgerEnv } from './fixture.js';
import { childClient } from './spawn.js';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((r) =>
    child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
  );
}

function rand(n: number): number {
  return (globalThis.crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) % n;
}

test('kill -9 of clients mid-reserve/mid-execute/mid-commit leaves a consistent ledger on reopen', async () => {
  const env = ledgerEnv([{ source: 'patients', epsilon: '3', scope: 'experiment' }]);
  // Killed in `finally` too: a failed assertion must not leave clients running (and the test hanging).
  let children: ChildProcess[] = [];
  try {
    approve(env, 'k');
    const count = (sql: string, ...args: unknown[]): number =>
      (
        env.db
          .prepare(`SELECT count(*) AS n FROM ledger_reservations WHERE ${sql}`)
          .get(...args) as { n: number }
      ).n;
    const base: Omit<ClientTask, 'marker'> = {
      dbPath: env.dbPath,
      stateDir: env.dir,
      policy: env.policy,
      experiment: 'k',
      user: 'alice',
      epsilon: '0.001',
      maxAttempts: 100_000,
      executeMs: 8,
    };
    const markers = Array.from({ length: 6 }, (_, i) => join(env.dir, `released-${i}.txt`));
    // Clients 0-2 run freely and are killed at random moments; 3-5 stall in "execute" after a few
    // releases, so a kill certainly hits a pending reservation.
    children = await Promise.all(
      markers.map((marker, i) =>
        childClient({ ...base, marker, ...(i >= 3 ? { stallAfter: 3 + i } : {}) }),
      ),
    );
    const pids = children.map((c) => c.pid ?? -1);
    for (let i = 0; i < 400 && count("status = 'committed'") < 20; i++) await sleep(25);
    for (let i = 0; i < 1600; i++) {
      // Stalled means: its `stallAfter` releases are committed and its next query holds a pending
      // reservation (a pending one before that is merely in flight and may commit any moment).
      const stalled = pids
        .slice(3)
        .every(
          (pid, j) =>
            count("status = 'committed' AND owner_pid = ?", pid) >= 6 + j &&
            count("status = 'pending' AND owner_pid = ?", pid) > 0,
        );
      if (stalled) break;
      await sleep(25);
    }

    // A live process's pending reservations are not touched by another process's recovery.
    const live = openServices({ dbPath: env.dbPath, policy: env.policy, stateDir: env.dir });
    live.close();
    for (const pid of pids.slice(3))
      assert.ok(count("status = 'pending' AND owner_pid = ?", pid) > 0);

    for (const child of children) {
      await sleep(rand(40));
      child.kill('SIGKILL');
    }
    await Promise.all(children.map(exited));
    assert.ok(
      children.every((c) => c.signalCode === 'SIGKILL'),
      'every client was killed, none finished',
    );

    const s = openServices({ dbPath: env.dbPath, policy: env.policy, stateDir: env.dir });
    try {
      assert.equal(count("status = 'pending'"), 0, 'no reservation left pending after reopen');
      const recovered = count(
        "status = 'refunded' AND refund_reason = 'the process holding it ended before commit'",
      );
      assert.ok(recovered >= 3, `stalled reservations refunded on reopen (${recovered})`);
      const state = s.ledger.state('k');
      const committed = new Set(
        state.charges.filter((c) => c.status === 'committed').map((c) => c.releaseId),
      );
      const released = markers.flatMap((m) =>
        existsSync(m) ? readFileSync(m, 'utf8').split('\n').filter(Boolean) : [],
      );
      assert.ok(
        released.length >= 20,
        `clients released values before the kill (${released.length})`,
      );
      for (const r of released)
        assert.ok(committed.has(r), `released ${r} without a committed charge`);
      assert.ok(committed.size >= released.length);
      const b = state.budgets[0];
      assert.equal(b?.reserved.epsilon.exact, '0');
      assert.equal(b?.spent.epsilon.exact, reduce(committed.size));
      assert.deepEqual(checkLedgerConsistency(s.db, env.policy), []);
    } finally {
      s.close();
    }
    const audit = await verifyAuditDb(env.dbPath);
    assert.equal(audit.ok, true, audit.message);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    env.dispose();
  }
});

/** n/1000 (n charges of ε=0.001) in lowest terms, as the ledger writes it. */
function reduce(n: number): string {
  let a = n;
  let b = 1000;
  while (b) [a, b] = [b, a % b];
  const g = a || 1;
  return 1000 / g === 1 ? `${n / g}` : `${n / g}/${1000 / g}`;
}
