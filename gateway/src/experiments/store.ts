/** The experiments table and the mapping between its rows and Experiment records. */
import type { Experiment, LifecycleState } from '@privet/core/record/index';
import type Database from 'better-sqlite3';
import { hasTable, type Db } from '../audit/sqlite.js';
import {
  cachedRecordHash,
  hasSealIndex,
  lastSealSql,
  recordRefusal,
  sealState,
  type SealState,
} from './seal.js';

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

interface SealedRow extends ExperimentRow {
  sealed_hash: string | null;
}

interface ByIdStatement {
  indexed: boolean;
  stmt: Database.Statement<[string], SealedRow>;
}
const byIdStatements = new WeakMap<Db, ByIdStatement>();

/** The row and its last audited hash in one statement (one snapshot), through the seal index. */
function prepareById(db: Db): ByIdStatement {
  if (!hasTable(db, 'audit_log')) {
    const stmt = db.prepare<[string], SealedRow>(
      'SELECT *, NULL AS sealed_hash FROM experiments WHERE id = ?',
    );
    return { indexed: false, stmt };
  }
  const indexed = hasSealIndex(db);
  const stmt = db.prepare<[string], SealedRow>(
    `SELECT e.*, ${lastSealSql('e.id', indexed)} AS sealed_hash FROM experiments e WHERE e.id = ?`,
  );
  return { indexed, stmt };
}

/** An experiment as stored and how its row stands against the audit log (see seal.ts). */
export interface CheckedExperiment {
  experiment: Experiment;
  seal: SealState;
}

/**
 * Reads one experiment with its seal state, or undefined; never throws for a changed row. The
 * statement is prepared once per connection (every ledger step reads an experiment).
 */
export function readExperiment(db: Db, id: string): CheckedExperiment | undefined {
  let cached = byIdStatements.get(db);
  if (!cached || (!cached.indexed && hasSealIndex(db))) {
    cached = prepareById(db);
    byIdStatements.set(db, cached);
  }
  const row = cached.stmt.get(id);
  if (!row) return undefined;
  const { sealed_hash: sealed, ...plain } = row;
  const experiment = fromRow(plain);
  const hash = cachedRecordHash(JSON.stringify(Object.values(plain)), experiment);
  return { experiment, seal: sealState(hash, sealed) };
}

/**
 * Reads one experiment to decide something with it, or undefined when there is none. Throws a
 * ServiceError (fail closed) when its row does not match the last state the audit log recorded
 * for it: every access check, spend and transition reads experiments through here.
 */
export function loadExperiment(db: Db, id: string): Experiment | undefined {
  const found = readExperiment(db, id);
  if (!found) return undefined;
  if (found.seal !== 'sealed') throw recordRefusal(id, found.seal);
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
