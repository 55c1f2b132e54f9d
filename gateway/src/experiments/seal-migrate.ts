// Why: databases from gateways before record hashes hold experiments whose audit entries carry no
// `recordHash`, and access is refused to a row without one. At start the gateway seals each such
// row once, with an `experiment.record-sealed` entry holding its current hash — but only when the
// row agrees with what the old entries did record (the proposer, views, members and analyses of
// its proposal, the steward of its decision, the state its last transition reached), so a row
// edited before the upgrade is not laundered: it stays unsealed, refused and reported by
// `privet audit verify`. A retention prune would delete an experiment's last sealed entry with
// the rest; the prune first carries each such hash forward in a `record-sealed` entry (the hash
// the log recorded, not the row's: a changed row stays reported).
import type { Experiment, JsonValue } from '@privet/core/record/index';
import type { AuditLog } from '../audit/log.js';
import { hasTable, immediate, type Db } from '../audit/sqlite.js';
import { hasSealIndex, lastSealSql, recordHashSync, SEAL_ACTIONS_SQL, SEAL_INDEX } from './seal.js';
import { readExperiment } from './store.js';

/** The entries of state changes, whose details name the state reached (`to`). */
const TRANSITIONS = new Set([
  'experiment.approved',
  'experiment.rejected',
  'experiment.started',
  'experiment.evaluation',
  'experiment.dissolved',
]);

interface LegacyEntry {
  seq: number;
  action: string;
  actor: string;
  details: string;
}

/** The seal entries of one experiment, oldest first. */
function sealEntries(db: Db, id: string): LegacyEntry[] {
  const by = hasSealIndex(db) ? `INDEXED BY ${SEAL_INDEX}` : '';
  return db
    .prepare<[string], LegacyEntry>(
      `SELECT seq, action, actor, details FROM audit_log ${by}
       WHERE experiment = ? AND ${SEAL_ACTIONS_SQL} ORDER BY seq`,
    )
    .all(id);
}

function sameList(recorded: JsonValue | undefined, actual: readonly string[]): boolean {
  return (
    Array.isArray(recorded) &&
    recorded.length === actual.length &&
    recorded.every((v, i) => v === actual[i])
  );
}

/** True when the log was pruned (its oldest entries, maybe a proposal, are gone). */
export function wasPruned(db: Db): boolean {
  // The table exists once retention ran, pruned or not: only its checkpoint row says a prune did.
  return (
    hasTable(db, 'audit_checkpoint') &&
    db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_checkpoint').get()?.n === 1
  );
}

/**
 * How a row differs from the entries an older gateway wrote for it (without record hashes): the
 * names of the differing fields, `no audited proposal`, or nothing. A proposal pruned under the
 * retention policy cannot be compared; the rest still is.
 */
export function legacyDifferences(db: Db, e: Experiment): string[] {
  const entries = sealEntries(db, e.id);
  const parse = (d: string): { [key: string]: JsonValue } =>
    JSON.parse(d) as { [key: string]: JsonValue };
  const proposed = entries.find((x) => x.action === 'experiment.proposed');
  const out: string[] = [];
  if (proposed) {
    const d = parse(proposed.details);
    if (proposed.actor !== e.owner) out.push('owner');
    if (!sameList(d['views'], e.views)) out.push('views');
    if (!sameList(d['members'], e.members)) out.push('members');
    if (!sameList(d['analyses'], e.analyses)) out.push('analyses');
  } else if (!wasPruned(db)) out.push('no audited proposal');
  const moves = entries.filter((x) => TRANSITIONS.has(x.action));
  const last = moves.at(-1);
  const reached = last ? parse(last.details)['to'] : proposed || !wasPruned(db) ? 'proposal' : null;
  if (reached !== null && reached !== e.state) out.push('state');
  const decision = moves.find(
    (x) => x.action === 'experiment.approved' || x.action === 'experiment.rejected',
  );
  if (decision && decision.actor !== e.decidedBy) out.push('decidedBy');
  if (!decision && e.state !== 'proposal' && !wasPruned(db)) out.push('no audited decision');
  return out;
}

/**
 * Seals, once, every experiment whose audit entries carry no record hash and whose row agrees
 * with them (see above); returns the ids sealed and those left unsealed. A write only when some
 * experiment has no hash yet.
 */
export function sealExistingRecords(audit: AuditLog): { sealed: string[]; refused: string[] } {
  const db = audit.db;
  const none = { sealed: [], refused: [] };
  if (!hasTable(db, 'experiments') || !hasTable(db, 'audit_log')) return none;
  const unsealed = db.prepare<[], { id: string }>(
    `SELECT id FROM experiments e WHERE ${lastSealSql('e.id', hasSealIndex(db))} IS NULL ORDER BY id`,
  );
  if (unsealed.all().length === 0) return none;
  return immediate(db, () => {
    const sealed: string[] = [];
    const refused: string[] = [];
    for (const { id } of unsealed.all()) {
      const e = readExperiment(db, id)?.experiment;
      if (!e) continue;
      if (legacyDifferences(db, e).length > 0) {
        refused.push(id);
        continue;
      }
      audit.append({
        actor: 'gateway',
        action: 'experiment.record-sealed',
        experiment: id,
        details: {
          recordHash: recordHashSync(e),
          basis: 'upgrade: row matches its audited entries',
        },
      });
      sealed.push(id);
    }
    return { sealed, refused };
  });
}

/**
 * Before a prune deletes entries through `throughSeq` (in the prune's transaction): re-records
 * each experiment's last audited hash whose entry would be deleted. Returns how many.
 */
export function carryRecordSeals(audit: AuditLog, throughSeq: number): number {
  const db = audit.db;
  if (!hasTable(db, 'experiments')) return 0;
  const by = hasSealIndex(db) ? `INDEXED BY ${SEAL_INDEX}` : '';
  const due = db
    .prepare<[number], { id: string; seq: number; hash: string }>(
      `SELECT e.id AS id, s.seq AS seq, json_extract(s.details, '$.recordHash') AS hash
       FROM experiments e JOIN audit_log s ON s.seq = (
         SELECT max(seq) FROM audit_log ${by} WHERE experiment = e.id AND ${SEAL_ACTIONS_SQL}
           AND json_extract(details, '$.recordHash') IS NOT NULL)
       WHERE s.seq <= ? ORDER BY e.id`,
    )
    .all(throughSeq);
  for (const d of due) {
    audit.append({
      actor: 'gateway',
      action: 'experiment.record-sealed',
      experiment: d.id,
      details: { recordHash: d.hash, basis: `carried over the prune of entry #${d.seq}` },
    });
  }
  return due.length;
}
