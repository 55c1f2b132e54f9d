/** SQL over the review tables (rows only; access rules and auditing are the service's). */
import type { ReviewState } from '@privet/core';
import type { Db } from '../audit/sqlite.js';
import type { CommentRow, ReviewRow } from './schema.js';

/** Prepared statements over review_requests, review_outputs and review_comments. */
export class ReviewStore {
  constructor(private readonly db: Db) {}

  /** Inserts a request and its original output (JSON). */
  insert(row: ReviewRow, outputJson: string): void {
    this.db
      .prepare(
        `INSERT INTO review_requests VALUES (@id, @experiment, @requester, @state, @content_hash,
         @verdict, @findings, @redacted_preview, @justification, @context, @created_at,
         @updated_at, @decided_by, @decided_at)`,
      )
      .run(row);
    this.db
      .prepare('INSERT INTO review_outputs (request_id, output) VALUES (?, ?)')
      .run(row.id, outputJson);
  }

  /** True when `user` has read the original output of request `id` (an audited read). */
  outputReadBy(id: string, experiment: string, user: string): boolean {
    return (
      this.db
        .prepare<[string, string, string], { found: number }>(
          `SELECT 1 AS found FROM audit_log WHERE experiment = ? AND subject = ? AND actor = ?
           AND action = 'review' AND json_extract(details, '$.event') = 'output-read' LIMIT 1`,
        )
        .get(experiment, id, user) !== undefined
    );
  }

  /** One request by id. */
  byId(id: string): ReviewRow | undefined {
    return this.db
      .prepare<[string], ReviewRow>('SELECT * FROM review_requests WHERE id = ?')
      .get(id);
  }

  /** The newest request for exactly this content in the experiment. */
  newestFor(experiment: string, contentHash: string): ReviewRow | undefined {
    return this.db
      .prepare<[string, string], ReviewRow>(
        `SELECT * FROM review_requests WHERE experiment = ? AND content_hash = ?
         ORDER BY created_at DESC, id DESC LIMIT 1`,
      )
      .get(experiment, contentHash);
  }

  /** Content hash → id of every content whose newest request in the experiment is approved. */
  approvedIn(experiment: string): Map<string, string> {
    const rows = this.db
      .prepare<[string], { content_hash: string; id: string }>(
        `SELECT content_hash, id FROM (
           SELECT content_hash, id, state, row_number() OVER (
             PARTITION BY content_hash ORDER BY created_at DESC, id DESC) AS newest
           FROM review_requests WHERE experiment = ?)
         WHERE newest = 1 AND state = 'approved'`,
      )
      .all(experiment);
    return new Map(rows.map((r) => [r.content_hash, r.id]));
  }

  /** Up to 1,000 requests, oldest first; `visible` limits them to those experiments. */
  list(filter: {
    experiment?: string;
    state?: ReviewState;
    visible?: readonly string[];
  }): ReviewRow[] {
    return this.db
      .prepare<
        { experiment: string | null; state: string | null; visible: string | null },
        ReviewRow
      >(
        `SELECT * FROM review_requests
         WHERE (@experiment IS NULL OR experiment = @experiment)
           AND (@state IS NULL OR state = @state)
           AND (@visible IS NULL OR experiment IN (SELECT value FROM json_each(@visible)))
         ORDER BY created_at, id LIMIT 1000`,
      )
      .all({
        experiment: filter.experiment ?? null,
        state: filter.state ?? null,
        visible: filter.visible === undefined ? null : JSON.stringify(filter.visible),
      });
  }

  /** The original output's JSON. */
  output(id: string): string | undefined {
    return this.db
      .prepare<[string], { output: string }>(
        'SELECT output FROM review_outputs WHERE request_id = ?',
      )
      .get(id)?.output;
  }

  /** Records a decision (the schema's trigger refuses it unless the request is pending). */
  decide(id: string, state: ReviewState, by: string, at: string): void {
    this.db
      .prepare(
        'UPDATE review_requests SET state = ?, decided_by = ?, decided_at = ?, updated_at = ? WHERE id = ?',
      )
      .run(state, by, at, at, id);
  }

  /** Comments of a request, in order. */
  comments(id: string): CommentRow[] {
    return this.db
      .prepare<[string], CommentRow>(
        'SELECT * FROM review_comments WHERE request_id = ? ORDER BY seq',
      )
      .all(id);
  }

  /** Adds a comment. */
  addComment(id: string, author: string, text: string, at: string): void {
    this.db
      .prepare('INSERT INTO review_comments (request_id, at, author, text) VALUES (?, ?, ?, ?)')
      .run(id, at, author, text);
  }
}
