/**
 * What both notebook hosts' SQL engines say of a failed statement. Why: a query that fails while
 * it reads rows (a cast, error(), an overflow) gets a DuckDB message that quotes the values it
 * failed on, and an error is shown (in VS Code written to the notebook) without the checks a result
 * table gets. Only messages about the statement itself are shown as they are.
 */

/** DuckDB error kinds raised before any row is read: their messages quote only the statement. */
const STATEMENT_KINDS = new Set([
  'parser',
  'syntax',
  'binder',
  'catalog',
  'permission',
  'not implemented',
]);

/** True when a DuckDB error of `kind` may quote values read from the rows. */
export function mayQuoteRows(kind: string): boolean {
  return !STATEMENT_KINDS.has(kind.trim().toLowerCase());
}

/** What a failed query says instead of a DuckDB message that may quote row values. */
export function rowErrorMessage(kind: string): string {
  return (
    `the query failed while reading rows (DuckDB ${kind} error); its message is not shown ` +
    'because it can quote values from the rows'
  );
}

/** How to fix a query that failed while reading rows. */
export const ROW_ERROR_FIX =
  'check the casts, arithmetic and functions applied to columns (TRY_CAST gives NULL instead of failing)';

/** How DuckDB wraps an error raised while a streamed result was read: the original follows. */
const STREAM_FAILED =
  /^Attempting to execute an unsuccessful or closed pending query result\nError: (\w[\w ]*?) Error: /;

/**
 * The original error (its kind, and its first paragraph as the message) of a streamed read that
 * failed, which DuckDB reports as "Invalid Input: Attempting to execute an unsuccessful … Error:
 * <kind> Error: …"; undefined for any other message.
 */
export function unwrapStreamedError(
  message: string,
): { kind: string; message: string } | undefined {
  const match = STREAM_FAILED.exec(message);
  if (!match?.[1]) return undefined;
  const original = message.slice(message.indexOf('\nError: ') + '\nError: '.length);
  return { kind: match[1], message: (original.split('\n\n')[0] ?? original).trim() };
}
