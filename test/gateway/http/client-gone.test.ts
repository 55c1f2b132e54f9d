/**
 * A DP query whose client hangs up while the engine works is refunded, not charged: the HTTP route
 * tells the service the socket is gone, and the value nobody will see costs nothing. The source is
 * made large so that opening the engine takes long enough for the client to leave first.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BudgetResponse } from '@privet/core';
import { EXPERIMENT, startTestGateway, type TestGateway } from './fixture.js';

let t: TestGateway;

/** Rows in the large people.csv: opening the engine on it takes seconds, not milliseconds. */
const LARGE_ROWS = 1_500_000;

/** Rewrites people.csv with `rows` rows of the fixture's columns. */
async function writeLargePeople(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('person_id,email,city,income\n');
  const cities = ['Lyon', 'Oslo', 'Pune', 'Lima'];
  const chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    chunk.push(`${i},p${i}@example.org,${cities[i % 4]},${(i * 7919) % 100000}`);
    if (chunk.length === 10_000 || i === rows - 1) {
      if (!out.write(chunk.join('\n') + '\n')) {
        await new Promise<void>((resolve) => out.once('drain', resolve));
      }
      chunk.length = 0;
    }
  }
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  );
}

/** Ledger reservations of the fixture experiment: status and refund reason. */
function reservations(): { status: string; refund_reason: string | null }[] {
  return t.gateway.services.db
    .prepare<[string], { status: string; refund_reason: string | null }>(
      'SELECT status, refund_reason FROM ledger_reservations WHERE experiment = ? ORDER BY reserved_at, rowid',
    )
    .all(EXPERIMENT);
}

before(async () => {
  t = await startTestGateway();
  // The engine over dp sources opens on the first DP query, so the large file is what it loads.
  await writeLargePeople(join(t.dir, 'people.csv'), LARGE_ROWS);
});
after(async () => t.stop());

describe('a DP query whose client leaves', () => {
  test(
    'is refunded with the reason, and a client that waits is charged',
    { timeout: 120_000 },
    async () => {
      const url = new URL('/api/v1/dp/query', t.gateway.url);
      const body = JSON.stringify({
        experiment: EXPERIMENT,
        sql: 'SELECT COUNT(*) AS n FROM people_dp',
        epsilon: '0.1',
        dryRun: false,
      });
      const req = request(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${t.gateway.tokens.ana!}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
        },
      });
      req.on('error', () => undefined); // the hang-up below ends it with ECONNRESET
      let answered = false;
      req.on('response', () => (answered = true));
      req.end(body);
      // Leave once the reservation is pending (the engine is loading the large file then).
      for (let i = 0; i < 400 && reservations().length === 0; i++) await sleep(25);
      assert.deepEqual(
        reservations().map((r) => r.status),
        ['pending'],
        'the query reserved its cost',
      );
      assert.equal(answered, false, 'the engine answered before the client could leave');
      req.destroy();

      for (let i = 0; i < 1200 && reservations()[0]?.status === 'pending'; i++) await sleep(50);
      assert.deepEqual(reservations(), [
        { status: 'refunded', refund_reason: 'the client left before the release' },
      ]);
      const budget = await t.call('GET', `/api/v1/experiments/${EXPERIMENT}/budget`, {
        token: t.gateway.tokens.ana!,
      });
      const { budgets } = (await budget.json()) as BudgetResponse;
      assert.equal(budgets[0]!.spent.epsilon.exact, '0', 'nothing was charged');

      // The same query with a client that waits is charged (the engine is open now).
      const waited = await t.call('POST', '/api/v1/dp/query', {
        token: t.gateway.tokens.ana!,
        headers: { 'Content-Type': 'application/json' },
        body,
      });
      assert.equal(waited.status, 200, await waited.text());
      assert.deepEqual(
        reservations().map((r) => r.status),
        ['refunded', 'committed'],
      );
    },
  );
});
