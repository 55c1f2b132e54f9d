/** Conversion between review table rows and the protocol's ReviewRequest. */
import type { Finding, ReviewComment, ReviewRequest } from '@privet/core';
import type { CommentRow, ReviewRow } from './schema.js';

/** The optional reviewer context stored with a request. */
export interface ReviewContextFields {
  notebook?: string;
  cellId?: string;
  cellIndex?: number;
  outputIndex?: number;
  cellSource?: string;
  viewsUsed: string[];
}

/** A ReviewRequest from its row, its comments and the experiment's purpose. */
export function rowToRequest(
  row: ReviewRow,
  comments: readonly CommentRow[],
  experimentPurpose: string,
): ReviewRequest {
  const context = JSON.parse(row.context) as ReviewContextFields;
  const request: ReviewRequest = {
    id: row.id,
    experiment: row.experiment,
    experimentPurpose,
    requester: row.requester,
    state: row.state,
    contentHash: row.content_hash,
    verdict: row.verdict,
    findings: JSON.parse(row.findings) as Finding[],
    redactedPreview: row.redacted_preview,
    justification: row.justification,
    ...context,
    viewsUsed: context.viewsUsed ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    comments: comments.map((c): ReviewComment => ({ at: c.at, author: c.author, text: c.text })),
  };
  if (row.decided_by !== null) request.decidedBy = row.decided_by;
  if (row.decided_at !== null) request.decidedAt = row.decided_at;
  return request;
}
