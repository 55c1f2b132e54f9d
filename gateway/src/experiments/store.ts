/** The experiments table and the mapping between its rows and Experiment records. */
import type { Experiment, LifecycleState } from '@privet/core/record/index';
import type Database from 'better-sqlite3';
import type { ServiceError } from '../audit/service-error.js';
import { hasColumn, hasTable, type Db } from '../audit/sqlite.js';
import {
  cachedRecordHash,
  hasSealIndex,
  lastSealSeqSql,
  recordRefusal,
  sealState,
  type ForgedSeal,
} from './seal.js';
import { sealEntryProblem, type SealEntryRow } from './seal-mac.js';

/** Creates the experiments table if it does not exist. */
export function ensureExperimentSchema(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS experiments (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      purpose TEXT NOT NULL,
      data_categories TEXT NOT NULL,
      views TEXT NOT NULL,
      analyses TEXT NOT NULL,
      expected_outputs TEXT NOT NULL,
      owner TEXT NOT NULL,
      members TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN
        ('proposal', 'approved', 'running', 'evaluation', 'dissolved', 'rejected')),
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      decided_by TEXT,
      decision_note TEXT,
      dissolved_at TEXT,
      artefacts_due_at TEXT,
      artefacts_deleted_at TEXT
    ) STRICT;
  `);
}

interface ExperimentRow {
  id: string;
  title: string;
  purpose: string;
  data_categories: string;
  views: string;
  analyses: string;
  expected_outputs: string;
  owner: string;
  members: string;
  state: LifecycleState;
  created_at: string;
  updated_at: string;
  decided_by: string | null;
  decision_note: string | null;
  dissolved_at: string | null;
  artefacts_due_at: string | null;
  artefacts_deleted_at: string | null;
}

function fromRow(r: ExperimentRow): Experiment {
  const e: Experiment = {
    id: r.id,
    title: r.title,
    purpose: r.purpose,
    dataCategories: JSON.parse(r.data_categories) as string[],
    views: JSON.parse(r.views) as string[],
    analyses: JSON.parse(r.analyses) as string[],
    expectedOutputs: JSON.parse(r.expected_outputs) as string[],
    owner: r.owner,
    members: JSON.parse(r.members) as string[],
    state: r.state,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.decided_by !== null) e.decidedBy = r.decided_by;
  if (r.decision_note !== null) e.decisionNote = r.decision_note;
  if (r.dissolved_at !== null) e.dissolvedAt = r.dissolved_at;
  if (r.artefacts_due_at !== null) e.artefactsDueAt = r.artefacts_due_at;
  if (r.artefacts_deleted_at !== null) e.artefactsDeletedAt = r.artefacts_deleted_at;
  return e;
}

function toRow(e: Experiment): ExperimentRow {
  return {
    id: e.id,
    title: e.title,
    purpose: e.purpose,
    data_categories: JSON.stringify(e.dataCategories),
    views: JSON.stringify(e.views),
    analyses: JSON.stringify(e.analyses),
    expected_outputs: JSON.stringify(e.expectedOutputs),
    owner: e.owner,
    members: JSON.stringify(e.members),
    state: e.state,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    decided_by: e.decidedBy ?? null,
    decision_note: e.decisionNote ?? null,
    dissolved_at: e.dissolvedAt ?? null,
    artefacts_due_at: e.artefactsDueAt ?? null,
    artefacts_deleted_at: e.artefactsDeletedAt ?? null,
  };
}

/** The seal entry's columns, prefixed so they cannot clash with the experiment's. */
type SealColumns = { [K in keyof SealEntryRow as `seal_${K}`]: SealEntryRow[K] | null };

/** The experiments table's columns, in table order (the row's cache key lists their values). */
const EXPERIMENT_COLUMNS = [
  'id',
  'title',
  'purpose',
  'data_categories',
  'views',
  'analyses',
  'expected_outputs',
  'owner',
  'members',
  'state',
  'created_at',
  'updated_at',
  'decided_by',
  'decision_note',
  'dissolved_at',
  'artefacts_due_at',
  'artefacts_deleted_at',
] as const satisfies readonly (keyof ExperimentRow)[];

interface SealedRow extends ExperimentRow, SealColumns {
  sealed_hash: string | null;
}

interface ByIdStatement {
  indexed: boolean;
  stmt: Database.Statement<[string], SealedRow>;
}
const byIdStatements = new WeakMap<Db, ByIdStatement>();

const SEAL_ENTRY_COLUMNS = [
  'seq',
  'at',
  'actor',
  'action',
  'experiment',
  'subject',
  'details',
  'prev_hash',
  'hash',
] as const;

/**
 * The row, its last audited hash and the seal entry that recorded it, in one statement (one
 * snapshot), through the seal index.
 */
function prepareById(db: Db): ByIdStatement {
  if (!hasTable(db, 'audit_log')) {
    const none = [...SEAL_ENTRY_COLUMNS, 'mac'].map((c) => `NULL AS seal_${c}`).join(', ');
    const stmt = db.prepare<[string], SealedRow>(
      `SELECT *, NULL AS sealed_hash, ${none} FROM experiments WHERE id = ?`,
    );
    return { indexed: false, stmt };
  }
  const indexed = hasSealIndex(db);
  // A database a gateway of this version never opened (read by `privet audit verify`) has no MACs.
  const mac = hasColumn(db, 'audit_log', 'mac') ? 's.mac' : 'NULL';
  const columns = SEAL_ENTRY_COLUMNS.map((c) => `s.${c} AS seal_${c}`).join(', ');
  const stmt = db.prepare<[string], SealedRow>(
    `SELECT e.*, json_extract(s.details, '$.recordHash') AS sealed_hash, ${columns},
       ${mac} AS seal_mac
     FROM experiments e LEFT JOIN audit_log s ON s.seq = ${lastSealSeqSql('e.id', indexed)}
     WHERE e.id = ?`,
  );
  return { indexed, stmt };
}

/**
 * An experiment as stored and how its row stands against the audit log (see seal.ts); `forged`
 * names the seal entry it matched when that entry is not vouched for (seal-mac.ts).
 */
export type CheckedExperiment =
  | { experiment: Experiment; seal: 'sealed' | 'mismatch' | 'unaudited' }
  | { experiment: Experiment; seal: 'forged'; forged: ForgedSeal };

/** The seal entry of a read row, when it has one. */
function sealEntryOf(row: SealColumns): SealEntryRow | undefined {
  const { seal_seq: seq, seal_details: details, seal_hash: hash } = row;
  if (seq === null || details === null || hash === null) return undefined;
  return {
    seq,
    at: row.seal_at ?? '',
    actor: row.seal_actor ?? '',
    action: row.seal_action ?? '',
    experiment: row.seal_experiment,
    subject: row.seal_subject,
    details,
    prev_hash: row.seal_prev_hash ?? '',
    hash,
    mac: row.seal_mac,
  };
}

/** The experiment's own columns of a read row, in table order. */
function experimentColumns(row: SealedRow): ExperimentRow {
  const out: Partial<Record<keyof ExperimentRow, unknown>> = {};
  for (const c of EXPERIMENT_COLUMNS) out[c] = row[c];
  return out as ExperimentRow;
}

/**
 * Reads one experiment with its seal state, or undefined; never throws for a changed row (nor for
 * a forged seal entry). The statement is prepared once per connection (every ledger step reads an
 * experiment).
 */
export function readExperiment(db: Db, id: string): CheckedExperiment | undefined {
  let cached = byIdStatements.get(db);
  if (!cached || (!cached.indexed && hasSealIndex(db))) {
    cached = prepareById(db);
    byIdStatements.set(db, cached);
  }
  const row = cached.stmt.get(id);
  if (!row) return undefined;
  const plain = experimentColumns(row);
  const experiment = fromRow(plain);
  const hash = cachedRecordHash(JSON.stringify(Object.values(plain)), experiment);
  const seal = sealState(hash, row.sealed_hash);
  if (seal !== 'sealed') return { experiment, seal };
  // The row matches its last seal entry: that entry must be vouched for too.
  const entry = sealEntryOf(row);
  const problem = entry ? sealEntryProblem(db, entry) : undefined;
  return entry && problem !== undefined
    ? { experiment, seal: 'forged', forged: { seq: entry.seq, problem } }
    : { experiment, seal };
}

/** The refusal of a read row that does not match the audit log (undefined: it matches). */
export function rowRefusal(id: string, found: CheckedExperiment): ServiceError | undefined {
  if (found.seal === 'sealed') return undefined;
  return recordRefusal(id, found.seal === 'forged' ? found.forged : found.seal);
}

/**
 * Reads one experiment to decide something with it, or undefined when there is none. Throws a
 * ServiceError (fail closed) when its row does not match the last state the audit log recorded
 * for it, or that state's entry is not vouched for: every access check, spend and transition
 * reads experiments through here.
 */
export function loadExperiment(db: Db, id: string): Experiment | undefined {
  const found = readExperiment(db, id);
  if (!found) return undefined;
  const refusal = rowRefusal(id, found);
  if (refusal) throw refusal;
  return found.experiment;
}

/** Reads every experiment, oldest first. */
export function loadExperiments(db: Db): Experiment[] {
  return db
    .prepare<[], ExperimentRow>('SELECT * FROM experiments ORDER BY created_at, id')
    .all()
    .map(fromRow);
}

/** Dissolved experiments whose artefacts are due for deletion at `nowIso` and not yet deleted. */
export function loadDueForPurge(db: Db, nowIso: string): Experiment[] {
  return db
    .prepare<[string], ExperimentRow>(
      `SELECT * FROM experiments WHERE state = 'dissolved' AND artefacts_deleted_at IS NULL
       AND artefacts_due_at IS NOT NULL AND artefacts_due_at <= ? ORDER BY id`,
    )
    .all(nowIso)
    .map(fromRow);
}

/** Inserts a new experiment; false when the id is taken. */
export function insertExperiment(db: Db, e: Experiment): boolean {
  const cols = Object.keys(toRow(e));
  const sql = `INSERT INTO experiments (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})
               ON CONFLICT (id) DO NOTHING`;
  return db.prepare(sql).run(toRow(e)).changes === 1;
}

/** Overwrites an existing experiment. */
export function saveExperiment(db: Db, e: Experiment): void {
  const row = toRow(e);
  const sets = Object.keys(row)
    .filter((c) => c !== 'id')
    .map((c) => `${c} = @${c}`);
  db.prepare(`UPDATE experiments SET ${sets.join(', ')} WHERE id = @id`).run(row);
}
