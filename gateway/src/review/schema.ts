/**
 * Review tables, on the services database so a submission or decision commits with its audit
 * entry. The original output lives in its own table (only reviewers and stewards read it); a
 * decided request is final (a trigger refuses any later change but the purge), and no request can
 * be deleted. The purge, when an experiment's artefacts are deleted, blanks what requests hold of
 * its data: previews, cell code, the labels findings quote, and comment texts.
 */
import { hasTable, immediate, type Db } from '../audit/sqlite.js';

/** What a purge leaves of a finding's message and a comment's text (they quote output labels). */
export const PURGED_TEXT = "(deleted with the experiment's derived artefacts)";

/** PURGED_TEXT as an SQL string literal. */
const PURGED_SQL = `'${PURGED_TEXT.replace(/'/g, "''")}'`;

/**
 * The findings `column` holds with every message replaced by PURGED_TEXT: rule ids, severities,
 * kinds and positions (and so the counts) stay. One expression for the purge and its trigger.
 */
const purgedFindings = (column: string): string =>
  `(SELECT json_group_array(json_set(value, '$.message', ${PURGED_SQL}) ORDER BY key) FROM json_each(${column}))`;

/** True in the trigger when an update only blanks a request's derived content (see below). */
const PURGE_ONLY = `NEW.redacted_preview = '' AND NEW.context IS json_remove(OLD.context, '$.cellSource')
      AND NEW.findings IS ${purgedFindings('OLD.findings')}
      AND NEW.id IS OLD.id AND NEW.experiment IS OLD.experiment AND NEW.requester IS OLD.requester
      AND NEW.state IS OLD.state AND NEW.content_hash IS OLD.content_hash
      AND NEW.verdict IS OLD.verdict
      AND NEW.justification IS OLD.justification AND NEW.created_at IS OLD.created_at
      AND NEW.updated_at IS OLD.updated_at AND NEW.decided_by IS OLD.decided_by
      AND NEW.decided_at IS OLD.decided_at`;

/** The SET clause of the purge update (what PURGE_ONLY allows). */
const PURGE_SET = `redacted_preview = '', context = json_remove(context, '$.cellSource'),
  findings = ${purgedFindings('findings')}`;

/** True for a request the purge has still something to blank in. */
const PURGE_DUE = `(redacted_preview <> '' OR json_extract(context, '$.cellSource') IS NOT NULL
  OR findings IS NOT ${purgedFindings('findings')})`;

/** Marks the current finality trigger (one that allows the findings purge). */
const TRIGGER_MARK = 'json_group_array';

/**
 * A decided request cannot change, except the one update that purges what was derived from the
 * experiment's data once its artefacts are deleted: the redacted preview and the cell code blanked,
 * the findings' messages replaced, every other column as it was (`purgeReviewArtefacts`).
 */
const DECIDED_IS_FINAL = `CREATE TRIGGER IF NOT EXISTS review_decided_is_final BEFORE UPDATE ON review_requests
      WHEN OLD.state <> 'pending' AND NOT (${PURGE_ONLY})
      BEGIN SELECT RAISE(ABORT, 'a decided review request cannot change'); END;`;

/** Creates the review tables if they do not exist. */
export function ensureReviewSchema(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS review_requests (
      id TEXT PRIMARY KEY,
      experiment TEXT NOT NULL,
      requester TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'changes_requested')),
      content_hash TEXT NOT NULL,
      verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'flag', 'block')),
      findings TEXT NOT NULL,
      redacted_preview TEXT NOT NULL,
      justification TEXT NOT NULL,
      context TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      decided_by TEXT,
      decided_at TEXT
    ) STRICT;
    CREATE INDEX IF NOT EXISTS review_by_hash ON review_requests (experiment, content_hash, created_at);
    CREATE INDEX IF NOT EXISTS review_by_state ON review_requests (state, created_at);
    ${DECIDED_IS_FINAL}
    CREATE TRIGGER IF NOT EXISTS review_no_delete BEFORE DELETE ON review_requests
      BEGIN SELECT RAISE(ABORT, 'review requests cannot be deleted'); END;
    CREATE TABLE IF NOT EXISTS review_outputs (
      request_id TEXT PRIMARY KEY REFERENCES review_requests (id),
      output TEXT NOT NULL
    ) STRICT;
    CREATE TRIGGER IF NOT EXISTS review_output_immutable BEFORE UPDATE ON review_outputs
      BEGIN SELECT RAISE(ABORT, 'a submitted output cannot change'); END;
    CREATE TABLE IF NOT EXISTS review_comments (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      request_id TEXT NOT NULL REFERENCES review_requests (id),
      at TEXT NOT NULL,
      author TEXT NOT NULL,
      text TEXT NOT NULL
    ) STRICT;
    CREATE INDEX IF NOT EXISTS review_comments_by_request ON review_comments (request_id, seq);
  `);
}

/** A raw review_requests row. */
export interface ReviewRow {
  id: string;
  experiment: string;
  requester: string;
  state: 'pending' | 'approved' | 'rejected' | 'changes_requested';
  content_hash: string;
  verdict: 'pass' | 'flag' | 'block';
  findings: string;
  redacted_preview: string;
  justification: string;
  /** JSON of the optional context fields (notebook, cellId, cellIndex, outputIndex, cellSource, viewsUsed). */
  context: string;
  created_at: string;
  updated_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

/** A raw review_comments row. */
export interface CommentRow {
  seq: number;
  request_id: string;
  at: string;
  author: string;
  text: string;
}

/**
 * Replaces the finality trigger of a database made by an older gateway, which did not allow the
 * purge update, or allowed it without the findings (in one transaction; idempotent).
 */
export function upgradeReviewTrigger(db: Db): void {
  const trigger = db
    .prepare<[], { sql: string }>(
      "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'review_decided_is_final'",
    )
    .get();
  if (trigger && !trigger.sql.includes(TRIGGER_MARK))
    immediate(db, () =>
      db.exec(`DROP TRIGGER IF EXISTS review_decided_is_final; ${DECIDED_IS_FINAL}`),
    );
}

/**
 * Brings a database made by an older gateway up to date: the trigger, then the requests of
 * experiments whose artefacts were deleted before purges blanked them. Idempotent.
 */
export function migrateReviewSchema(db: Db): void {
  upgradeReviewTrigger(db);
  if (!hasTable(db, 'experiments')) return;
  const purged = db
    .prepare<[], { id: string }>(
      `SELECT DISTINCT r.experiment AS id FROM review_requests r
       WHERE r.experiment IN (SELECT id FROM experiments WHERE artefacts_deleted_at IS NOT NULL)
       AND (${PURGE_DUE} OR EXISTS (SELECT 1 FROM review_comments c
         WHERE c.request_id = r.id AND c.text <> ${PURGED_SQL}))
       ORDER BY r.experiment`,
    )
    .all();
  if (purged.length > 0)
    immediate(db, () => {
      for (const { id } of purged) purgeReviewArtefacts(db, id);
    });
}

/** What a purge blanked in an experiment's review requests. */
export interface ReviewPurgeCounts {
  /** Requests whose redacted preview or cell code was blanked. */
  reviewPreviews: number;
  /** Finding messages replaced (they quote output labels; rule ids and positions stay). */
  reviewFindings: number;
  /** Comment texts replaced (authors and times stay). */
  reviewComments: number;
}

/**
 * Blanks what every request in `experiment` holds derived from its data (gone with its
 * artefacts), in the caller's transaction: the redacted preview, the cell code, the findings'
 * messages and the comments' texts. Returns how many of each changed (idempotent).
 */
export function purgeReviewArtefacts(db: Db, experiment: string): ReviewPurgeCounts {
  const count = (sql: string): number =>
    db.prepare<[string], { n: number }>(sql).get(experiment)?.n ?? 0;
  const reviewPreviews = count(
    `SELECT count(*) AS n FROM review_requests WHERE experiment = ?
     AND (redacted_preview <> '' OR json_extract(context, '$.cellSource') IS NOT NULL)`,
  );
  const reviewFindings = count(
    `SELECT count(*) AS n FROM review_requests r, json_each(r.findings) f WHERE r.experiment = ?
     AND json_extract(f.value, '$.message') IS NOT ${PURGED_SQL}`,
  );
  db.prepare<[string]>(
    `UPDATE review_requests SET ${PURGE_SET} WHERE experiment = ? AND ${PURGE_DUE}`,
  ).run(experiment);
  const reviewComments = db
    .prepare<[string]>(
      `UPDATE review_comments SET text = ${PURGED_SQL} WHERE text <> ${PURGED_SQL}
       AND request_id IN (SELECT id FROM review_requests WHERE experiment = ?)`,
    )
    .run(experiment).changes;
  return { reviewPreviews, reviewFindings, reviewComments };
}
