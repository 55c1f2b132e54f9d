/**
 * Review tables, on the services database so a submission or decision commits with its audit
 * entry. The original output lives in its own table (only reviewers and stewards read it); a
 * decided request is final (a trigger refuses any later change), and nothing can be deleted.
 */
import type { Db } from '../audit/sqlite.js';

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
    CREATE TRIGGER IF NOT EXISTS review_decided_is_final BEFORE UPDATE ON review_requests
      WHEN OLD.state <> 'pending'
      BEGIN SELECT RAISE(ABORT, 'a decided review request cannot change'); END;
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
