/**
 * Fail closed while the views are unknown (signed out, or the list is still loading): the
 * row-level rule needs the views' quasi-identifier columns, so an output that may be a table of
 * rows is held until they are known; the host then checks it again. Shared by the JupyterLab gate
 * and the VS Code gate renderer and host.
 */
import type { ViewSummary } from '../protocol.js';
import type { Finding, NotebookOutput, ReviewResult, ViewUsed } from './types.js';

/** Lines of text from which a text output may be a table of rows. */
const MANY_LINES = 10;

/** Counts lines, stopping once there are enough. */
function manyLines(text: string): boolean {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (++lines >= MANY_LINES) return true;
  }
  return false;
}

/** A text value of a MIME part (string or list of lines). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.filter((x) => typeof x === 'string').join('') : '';
}

/** The MIME part that may carry rows, or null when the output cannot be a table of rows. */
function tabularPart(output: NotebookOutput): string | null {
  if (output.output_type === 'stream') {
    return manyLines(textOf(output.text)) ? `stream/${output.name}` : null;
  }
  if (output.output_type === 'error') return null;
  for (const [mime, value] of Object.entries(output.data)) {
    if (mime === 'application/vnd.dataresource+json') return mime;
    const text = textOf(value);
    if (mime === 'text/html' && /<table\b/i.test(text)) return mime;
    if (mime.startsWith('text/') && manyLines(text)) return mime;
  }
  return null;
}

/** The finding that holds a possibly tabular output while the views are unknown, or null. */
export function viewsUnknownFinding(output: NotebookOutput): Finding | null {
  const mime = tabularPart(output);
  if (mime === null) return null;
  return {
    rule: 'row-level',
    severity: 'flag',
    mime,
    location: { start: 0, end: 0 },
    message:
      'a table that cannot be checked for row-level data until the views are known (sign in)',
  };
}

/** `result`, flagged with viewsUnknownFinding when it passed but the views were not known yet. */
export function holdWhileViewsUnknown(
  output: NotebookOutput,
  result: ReviewResult,
  viewsKnown: boolean,
): ReviewResult {
  if (viewsKnown || result.verdict !== 'pass') return result;
  const finding = viewsUnknownFinding(output);
  return finding ? { ...result, verdict: 'flag', findings: [finding] } : result;
}

/** A view from the gateway's list as the row-level rule reads it (every view the user may see). */
export function viewUsedOf(v: ViewSummary): ViewUsed {
  return {
    name: v.name,
    tier: v.tier,
    quasiIdentifiers: v.manifest?.kAnonymity?.quasiIdentifiers ?? [],
    columns: v.columns.map((c) => c.name),
  };
}
