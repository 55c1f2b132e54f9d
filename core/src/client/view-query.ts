/**
 * The first code a notebook host offers for a view, the same in JupyterLab and VS Code: the first
 * rows of a masked or synthetic view for JupyterLab's panel preview, and a count, which a notebook
 * cell and the DP box start with (a DP count is priced by a dry run before anything is spent); and
 * the Python name and summary line of a view loaded into a kernel; and which views have rows to
 * load or can be queried now.
 */
import { quoteIdent } from '../mask/sql.js';
import type { ViewSummary } from '../protocol.js';

/** True when a view has rows a notebook may load: a published masked or synthetic view. */
export function hasLoadableRows(view: Pick<ViewSummary, 'tier' | 'published'>): boolean {
  return view.tier !== 'dp' && view.published;
}

/** True when a view can be queried now: a DP view (never published), or one with rows to load. */
export function isQueryable(view: Pick<ViewSummary, 'tier' | 'published'>): boolean {
  return view.tier === 'dp' || hasLoadableRows(view);
}

/** The ε a DP query starts with where the user names none (JupyterLab's DP box, a VS Code DP cell). */
export const DEFAULT_DP_EPSILON = '0.5';

/** Rows a preview of a masked or synthetic view shows. */
export const PREVIEW_ROWS = 100;

/** `SELECT * FROM "v" LIMIT 100`: a preview of the rows of a masked or synthetic view. */
export function previewSql(view: string): string {
  return `SELECT * FROM ${quoteIdent(view)} LIMIT ${PREVIEW_ROWS}`;
}

/** `SELECT COUNT(*) AS n FROM "v"`: the query a notebook cell or the DP box starts with. */
export function countSql(view: string): string {
  return `SELECT COUNT(*) AS n FROM ${quoteIdent(view)}`;
}

/** A Python identifier for a view name (view names are lower_snake_case already). */
export function pythonIdentifier(view: string): string {
  const name = view.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `v_${name}` : name;
}

/**
 * The Python line that says what a loaded view holds: its rows and columns, not values (a view's
 * rows are row-level output, which the review check holds). The view's name is a string literal
 * outside the f-string, so no name can run code (`{…}` in an f-string would); `variable` is a
 * pythonIdentifier.
 */
export function pythonSummaryLine(view: string, variable: string): string {
  const name = pythonIdentifier(variable);
  return `print(${JSON.stringify(`Loaded ${view} as ${name}:`)}, f"{len(${name}):,} rows; columns: {', '.join(map(str, ${name}.columns))}")`;
}
