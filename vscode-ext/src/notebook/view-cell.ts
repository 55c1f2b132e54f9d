/**
 * What "Privet: New SQL Cell for View" writes, without VS Code: the cell's source for a view, and
 * why a view cannot be queried yet. The cell counts the view's rows (core's SQL, the same the
 * JupyterLab DP box starts with) and names its columns in a comment, so the user edits a query that
 * runs rather than starts from nothing. Why not its first rows, as JupyterLab's panel preview: in a
 * notebook, rows are row-level output, which the review check holds, so the first Run of the cell
 * would show only a placeholder. A DP cell names its ε and says that Run only prices it.
 */
import type { ViewSummary } from '@privet/core/protocol';
import { countSql, isQueryable } from '@privet/core/client/view-query';
import { allowsDataAccess } from '@privet/core/record/lifecycle';
import type { LifecycleState } from '@privet/core/record/types';
import { DEFAULT_EPSILON } from '../sql/dp-options.js';

/** The comment line of a DP cell saying what Run does. */
export const DP_CELL_NOTE =
  '-- Run prices this query (a dry run); nothing is spent until "Run and Spend".';

/** The comment line of a masked or synthetic view's cell saying what the review check holds. */
export const ROWS_CELL_NOTE =
  '-- Outputs are checked before they are shown: rows and small counts wait for a reviewer.';

/** The source of a Privet SQL cell querying `view`: its columns, what Run does, and a count. */
export function viewCellSource(view: Pick<ViewSummary, 'name' | 'tier' | 'columns'>): string {
  const columns = view.columns.map((c) => c.name).join(', ');
  return [
    ...(view.tier === 'dp' ? [`-- privet: epsilon=${DEFAULT_EPSILON}`] : []),
    `-- ${view.name} (${view.tier}): ${columns}`,
    view.tier === 'dp' ? DP_CELL_NOTE : ROWS_CELL_NOTE,
    countSql(view.name),
  ].join('\n');
}

/** Why a Python cell loading `view`'s rows would fail now (what and the fix), or undefined. */
export function whyNotLoadable(
  view: Pick<ViewSummary, 'name' | 'tier' | 'published'>,
  experiment: { id: string; state: LifecycleState },
): string | undefined {
  if (view.tier === 'dp')
    return `the view ${view.name} is DP-only: it answers aggregate queries and has no rows to load. Fix: run "Privet: New SQL Cell for View" for a DP query of it.`;
  return whyNotQueryable(view, experiment);
}

/** Why a cell querying `view` in `experiment` would fail now (what and the fix), or undefined. */
export function whyNotQueryable(
  view: Pick<ViewSummary, 'name' | 'tier' | 'published'>,
  experiment: { id: string; state: LifecycleState },
): string | undefined {
  if (!allowsDataAccess(experiment.state))
    return `the experiment ${experiment.id} is ${experiment.state === 'proposal' ? 'a proposal, not approved yet' : experiment.state}, so its views cannot be queried. Fix: ${experiment.state === 'proposal' ? 'wait until a steward approves it' : 'propose a new experiment'}, or query a view of an approved experiment.`;
  if (isQueryable(view)) return undefined;
  return `the view ${view.name} is not published yet, so it has no rows to query. Fix: ask a steward to publish it (Privet: Publish Views), then refresh the Privet view.`;
}
