/** Mapping between audit_log rows and AuditEntry records. */
import type { AuditAction, AuditEntry, JsonValue } from '@privet/core/record/index';

/** A raw audit_log row. */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  experiment: string | null;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
  /** The entry's keyed MAC (mac.ts); null or absent before the log was keyed. */
  mac?: string | null;
}

/** Converts a stored row back to an entry (details parsed from their canonical JSON). */
export function rowToEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    experiment: row.experiment,
    subject: row.subject,
    details: JSON.parse(row.details) as { [key: string]: JsonValue },
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
