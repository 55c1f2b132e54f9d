// Why: a token is the keyed hash of the value as text, and DuckDB writes 42 as "42" in an integer
// column but "42.0" in a number column. Columns joined through one join group must therefore be
// declared with one type, or the same id gets two tokens and the join silently matches nothing.
import { declared } from './lookup.js';
import type { Policy } from './schema.js';
import type { AddIssue } from './semantics-views.js';

/** Reports each join-group token column whose declared type differs from the group's first one. */
export function checkJoinGroups(policy: Policy, add: AddIssue): void {
  const first = new Map<string, { at: string; type: string }>();
  for (const [viewName, view] of Object.entries(policy.views)) {
    if (view.tier !== 'masked') continue;
    const source = declared(policy.sources, view.source);
    if (!source) continue; // reported by checkView
    for (const [column, spec] of Object.entries(view.columns)) {
      if (spec.op !== 'token' || spec.join_group === undefined) continue;
      const type = declared(source.columns, column)?.type;
      if (type === undefined) continue; // reported by checkView
      const group = spec.join_group;
      const seen = first.get(group);
      if (!seen) first.set(group, { at: `${viewName}.${column}`, type });
      else if (seen.type !== type)
        add(
          ['views', viewName, 'columns', column, 'join_group'],
          `join group "${group}" joins ${viewName}.${column} (${type}) with ${seen.at} (${seen.type}): tokens hash the value as text, so equal ids of different types get different tokens and the join matches nothing`,
          `declare the columns of join group "${group}" with one type in sources (e.g. both integer), or give them separate join groups`,
        );
    }
  }
}
