// Why: `privet audit verify` has more outcomes than intact or tampered, and an operator acts on
// the first words: a healthy database that a gateway of this version has not upgraded yet (no MACs,
// a replaced master key not recorded yet, experiment rows not sealed) must not read as TAMPERED,
// and gets its own verdict and exit code (3). A not-upgraded report prints no anchor: only an
// intact check's head is worth keeping. Likewise a database behind a head mark that could not be
// authenticated (no master.key beside it) is not proven TAMPERED, since anyone who can write the
// folder can write such a mark, but is no clean bill either: like an unreadable key, the check
// needs the key to decide (exit 2, verdict `unreadable`), and it names both files and the way to
// decide it.
import { dirname } from 'node:path';
import { masterKeyPath } from '../keys.js';
import type { AuditReport } from './verify.js';
import type { MacFinding } from './verify-macs.js';
import type { HeadMark } from './head-mark.js';

/**
 * Why a report is not intact without being evidence of tampering (AuditReport.problem, see there),
 * and `behind-unauthenticated-mark`: the log ends before, or differs at, the entry of a head mark
 * that could not be authenticated without the master key.
 */
export type AuditProblem =
  'no-database' | 'unreadable' | 'not-upgraded' | 'key-unreadable' | 'behind-unauthenticated-mark';

/**
 * The report for an intact chain that a gateway of this version has not upgraded yet (no MACs, a
 * replaced master key not yet recorded, or experiment rows not sealed): not evidence of tampering
 * by itself, but not a clean bill either (exit 3).
 */
export function notUpgraded(
  path: string,
  entries: number,
  findings: readonly MacFinding[],
): AuditReport {
  const first = findings[0] ?? { index: 0, message: 'not upgraded', fix: '' };
  const what = findings.map((f) => f.message).join('; ');
  const fix = [...new Set(findings.map((f) => f.fix))].join('; ');
  return {
    ok: false,
    path,
    entries,
    firstBad: { index: first.index, message: what },
    message: `audit log not upgraded (its hash chain is intact): ${what}. Fix: ${fix}`,
    problem: 'not-upgraded',
  };
}

/** The report for a master key beside the database that cannot be read (nothing was checked). */
export function keyUnreadable(path: string, e: unknown): AuditReport {
  const keyPath = masterKeyPath(dirname(path));
  const why = e instanceof Error ? e.message : 'unknown error';
  const fix = /Fix:/.test(why)
    ? ''
    : `. Fix: run the check as the gateway's user, or make ${keyPath} readable by it (mode 600)`;
  return {
    ok: false,
    path,
    entries: 0,
    problem: 'key-unreadable',
    message: `nothing was checked: the gateway key beside the database cannot be read, and the audit MACs need it (${why})${fix}`,
  };
}

/**
 * The report for an intact chain that ends before (or differs at) the entry of a head mark read
 * without the master key: `message` says what the mark says, and that it was not authenticated.
 */
export function behindUnauthenticatedMark(
  path: string,
  entries: number,
  problem: { index: number; message: string },
  fix: string,
): AuditReport {
  return {
    ok: false,
    path,
    entries,
    firstBad: problem,
    message: `audit log not vouched for (its hash chain is intact, its MACs and head mark were not checked with the gateway's key): ${problem.message}. Fix: ${fix}`,
    problem: 'behind-unauthenticated-mark',
  };
}

/** What an intact report says of a head mark read without the master key (it matched). */
export function unauthenticatedMarkNote(mark: HeadMark): string {
  return `; the head mark (#${mark.seq}) matched, but was not authenticated (checked without the gateway's key)`;
}

/**
 * The exit code of `privet audit verify`: 0 intact, 1 failed (tampered or unreadable), 2 no
 * database, an unreadable master key, or a database behind a head mark that needs the missing
 * master key to be authenticated, 3 not upgraded yet (start the gateway once).
 */
export function auditExitCode(report: AuditReport): number {
  if (report.ok) return 0;
  switch (report.problem) {
    case 'no-database':
    case 'key-unreadable':
    case 'behind-unauthenticated-mark':
      return 2;
    case 'not-upgraded':
      return 3;
    default:
      return 1;
  }
}

/**
 * The verdict of a report in one word, as GET /audit/verify answers it: `intact` (exit 0),
 * `tampered` (exit 1), `unreadable` (the database or its key could not be read or is missing:
 * nothing could be vouched for) or `not-upgraded` (exit 3).
 */
export function auditVerdict(
  report: AuditReport,
): 'intact' | 'tampered' | 'unreadable' | 'not-upgraded' {
  if (report.ok) return 'intact';
  switch (report.problem) {
    case 'not-upgraded':
      return 'not-upgraded';
    case 'unreadable':
    case 'no-database':
    case 'key-unreadable':
    case 'behind-unauthenticated-mark':
      return 'unreadable';
    default:
      return 'tampered';
  }
}

/** The verdict line's first words for a report. */
function verdictOf(report: AuditReport): string {
  if (report.ok) return 'OK';
  switch (report.problem) {
    case 'behind-unauthenticated-mark':
      return 'BEHIND ITS HEAD MARK — not authenticated: put master.key back and verify again —';
    case 'no-database':
      return 'NO DATABASE';
    case 'unreadable':
      return 'UNREADABLE';
    case 'not-upgraded':
      return 'NOT UPGRADED — start the gateway once to upgrade —';
    case 'key-unreadable':
      return 'KEY UNREADABLE';
    default:
      return 'TAMPERED';
  }
}

/** Formats a report for the terminal (the CLI exits with `auditExitCode`). */
export function formatAuditReport(report: AuditReport): string {
  const lines = [`${verdictOf(report)} ${report.path}`, report.message];
  if (report.head) lines.push(`anchor: --anchor ${report.head.seq}:${report.head.hash}`);
  return lines.join('\n');
}
