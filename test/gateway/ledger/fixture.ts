/** Set-up for ledger tests: the demo policy with chosen budgets, services on a temp DB, a clock. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Policy } from '@privet/core';
import { openServices, type Services } from '../../../gateway/src/ledger/index.js';
import { demoPolicy, proposal, who } from '../experiments/fixture.js';

export { demoPolicy, proposal, who };

/** Services plus the temp dir and a settable clock. */
export interface LedgerEnv extends Services {
  dir: string;
  dbPath: string;
  policy: Policy;
  now: { t: number };
  dispose(): void;
}

/** The demo policy's budgets without their per-query limits (ledger tests spend ε 2.8 at once). */
function unlimitedDemoBudgets(): Policy['budgets'] {
  return demoPolicy().budgets.map(
    ({ max_query_epsilon: _e, max_query_delta: _d, ...budget }) => budget,
  );
}

/**
 * Opens services on a fresh temp DB; `budgets` replaces the demo policy's budgets (by default
 * the demo's own, without per-query limits).
 */
export function ledgerEnv(budgets?: Policy['budgets'], ttlMs = 60_000): LedgerEnv {
  const policy = demoPolicy(budgets ?? unlimitedDemoBudgets());
  const dir = mkdtempSync(join(tmpdir(), 'privet-ledger-'));
  const dbPath = join(dir, 'state.db');
  const now = { t: Date.parse('2026-03-01T09:00:00.000Z') };
  const s = openServices({
    dbPath,
    policy,
    stateDir: dir,
    clock: () => new Date(now.t),
    reservationTtlMs: ttlMs,
  });
  return {
    ...s,
    dir,
    dbPath,
    policy,
    now,
    dispose() {
      s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Proposes (alice, with bob) and approves (sam) an experiment using the patients views. */
export function approve(env: Services & { policy: Policy }, id: string): void {
  env.experiments.propose(who(env.policy, 'alice'), proposal(id));
  env.experiments.approve(who(env.policy, 'sam'), id);
}

/** A reserve request on the patients budget. */
export function req(
  experiment: string,
  epsilon: string | number,
  extra: Record<string, unknown> = {},
) {
  return {
    experiment,
    source: 'patients',
    user: 'alice',
    epsilon,
    query: 'SELECT avg(income) FROM patients_dp GROUP BY sex',
    planHash: 'plan-1',
    ...extra,
  };
}
