/** `privet publish --plan`: the publication plan read from a state folder, as text for a terminal. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Policy } from '@privet/core';
import { AuditLog } from '../audit/log.js';
import { openDurableDb } from '../audit/sqlite.js';
import {
  planPublicationDetails,
  type DetailedPublishPlan,
  type ExpectedRefund,
} from './cost-plan.js';

/** The plan as `privet publish --plan` shows it: with the source columns never loaded. */
export type PlanReport = DetailedPublishPlan;

/**
 * The plan for `stateDir` (for `viewNames` only, when given, as `publish --view`); when it has no
 * ledger yet nothing has been spent, so an in-memory one stands in and the folder stays untouched.
 */
export async function planFromState(
  policy: Policy,
  policyDir: string,
  stateDir: string,
  viewNames?: readonly string[],
): Promise<PlanReport> {
  const path = join(stateDir, 'privet.db');
  const db = existsSync(path) ? openDurableDb(path) : new Database(':memory:');
  try {
    return await planPublicationDetails(
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

/** When a release was recorded, to the second (UTC). */
function shownTime(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

/** What a plan line adds to a charge publish is expected to refund. */
function refundText(expected: ExpectedRefund | undefined): string {
  if (!expected) return '';
  const { reservation, recordedAt } = expected.release;
  return (
    ` (expected to be refunded: same inputs as release ${reservation} of ${shownTime(recordedAt)}; ` +
    'refunded only if the rebuilt file is byte-identical)'
  );
}

/**
 * The plan as lines: each view's action and charge (and whether it is expected to be refunded),
 * each budget before → after, notes on source columns never loaded, then problems.
 */
export function formatPlan(report: PlanReport): string {
  const { plan } = report;
  const refunds = new Map(report.expectedRefunds.map((r) => [r.view, r]));
  const lines = plan.views.map(
    (v) =>
      `${v.action === 'rebuild' ? 'rebuild' : 'keep   '} ${v.view} (${v.tier}): ${v.reason}` +
      (v.charge
        ? `; charges ε=${v.charge.epsilon}, δ=${v.charge.delta}${refundText(refunds.get(v.view))}`
        : ''),
  );
  for (const b of plan.budgets) {
    lines.push(
      `publication budget "${b.source}": ε ${b.epsilon.used} → ${b.epsilon.after} of ${b.epsilon.total}, ` +
        `δ ${b.delta.used} → ${b.delta.after} of ${b.delta.total}${b.fits ? '' : ' — does not fit'}`,
    );
    const refunded = plan.views.some((v) => v.source === b.source && refunds.has(v.view));
    if (!b.fits && refunded)
      lines.push(
        `note: publish reserves each charge before rebuilding, so the budget of "${b.source}" must cover it even where a refund is expected`,
      );
  }
  if (plan.budgets.length === 0)
    lines.push('no synthetic view needs rebuilding: nothing is charged');
  for (const note of plan.notes ?? []) lines.push(`note: ${note}`);
  for (const p of plan.problems) lines.push(`error: ${p.message}. Fix: ${p.fix}`);
  lines.push(
    plan.fits ? 'nothing was written or spent (plan only)' : 'publishing would be refused',
  );
  return lines.join('\n');
}
