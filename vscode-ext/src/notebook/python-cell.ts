/**
 * The Python cell "Privet: New Python Cell for View" writes: it loads a masked or synthetic view
 * into a pandas DataFrame from a download ticket — a link that holds no token, works once and for a
 * few minutes (gateway/src/http/view-tickets.ts). Why a ticket: VS Code runs Python in the Jupyter
 * extension's kernels, to which this extension cannot hand its token unseen, and the cell text is
 * saved with the notebook. Why plain pandas: it loads any URL, so the kernel's environment needs no
 * Privet package. A refused load raises the gateway's refusal (what happened and the fix; never
 * data values) instead of urllib's traceback. The cell prints a summary, not rows: rows are
 * row-level output, which the review check holds.
 */
import { pythonIdentifier, pythonSummaryLine } from '@privet/core/client/view-query';

/** "14:05 UTC" of an ISO 8601 time. */
function utcTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(11, 16)} UTC`;
}

/** The Python source loading `view` from the ticket link `url`, which expires at `expiresAt`. */
export function pythonLoadCode(
  view: string,
  experiment: string,
  ticket: { url: string; expiresAt: string },
): string {
  const variable = pythonIdentifier(view);
  return [
    `# Privet: the approved view "${view}" (experiment ${experiment}) as a pandas DataFrame.`,
    `# The link holds no token and loads the view once, until ${utcTime(ticket.expiresAt)}; to load`,
    '# it again, run "Privet: New Python Cell for View" for a new cell.',
    'import urllib.error',
    'import pandas as pd',
    'try:',
    `    ${variable} = pd.read_parquet(${JSON.stringify(ticket.url)})`,
    'except urllib.error.HTTPError as _privet_error:  # the gateway refused: its message and fix',
    '    raise RuntimeError("Privet: " + _privet_error.read().decode(errors="replace")) from None',
    pythonSummaryLine(view, variable),
  ].join('\n');
}
