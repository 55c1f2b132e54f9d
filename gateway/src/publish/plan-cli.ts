/** `privet publish --plan`: the publication plan read from a state folder, as text for a terminal. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Policy, PublishPlan } from '@privet/core';
import { AuditLog } from '../audit/log.js';
import { openDurableDb } from '../audit/sqlite.js';
import { planPublication } from './cost-plan.js';

/**
 * The plan for `stateDir` (for `viewNames` only, when given, as `publish --view`); when it has no
 * ledger yet nothing has been spent, so an in-memory one stands in and the folder stays untouched.
 */
export async function planFromState(
  policy: Policy,
  policyDir: string,
  stateDir: string,
  viewNames?: readonly string[],
): Promise<PublishPlan> {
  const path = join(stateDir, 'privet.db');
  const db = existsSync(path) ? openDurableDb(path) : new Database(':memory:');
  try {
    return await planPublication(
      policy,
      policyDir,
      stateDir,
      { db, audit: new AuditLog(db) },
      viewNames,
    );
  } finally {
    db.close();
  }
}

/** The plan as lines: each view's action and charge, each budget before → after, then problems. */
export function formatPlan(plan: PublishPlan): string {
  const lines = plan.views.map(
    (v) =>
      `${v.action === 'rebuild' ? 'rebuild' : 'keep   '} ${v.view} (${v.tier}): ${v.reason}` +
      (v.charge ? `; charges ε=${v.charge.epsilon}, δ=${v.charge.delta}` : ''),
  );
  for (const b of plan.budgets)
    lines.push(
      `publication budget "${b.source}": ε ${b.epsilon.used} → ${b.epsilon.after} of ${b.epsilon.total}, ` +
        `δ ${b.delta.used} → ${b.delta.after} of ${b.delta.total}${b.fits ? '' : ' — does not fit'}`,
    );
  if (plan.budgets.length === 0)
    lines.push('no synthetic view needs rebuilding: nothing is charged');
  for (const p of plan.problems) lines.push(`error: ${p.message}. Fix: ${p.fix}`);
  lines.push(
    plan.fits ? 'nothing was written or spent (plan only)' : 'publishing would be refused',
  );
  return lines.join('\n');
}
