/**
 * The per-query limits the policy sets on the budgets a DP query box can charge ("At most ε 1 per
 * query on patients"), read once from the experiment's budget, so the analyst sees them before the
 * first dry run (which says the same for the budgets it prices). Policy metadata, no data; a failed
 * read shows nothing (the dry run still names the limit).
 */
import * as React from 'react';
import { perQueryLimitText } from '@privet/core/client/per-query-limit';
import type { BudgetResponse } from '@privet/core/protocol';

/** What the hook needs of the gateway client. */
export interface BudgetReader {
  budget(experiment: string): Promise<BudgetResponse>;
}

/** "At most ε 1 per query on patients" for each of `sources` whose budget sets a limit. */
export function perQueryLimitLines(budget: BudgetResponse, sources: readonly string[]): string[] {
  return budget.budgets.flatMap((b) => {
    const text = sources.includes(b.source) ? perQueryLimitText(b) : undefined;
    return text ? [`${text} on ${b.source}`] : [];
  });
}

/** The limit lines of `sources` in `experiment` (none until read, or when the read fails). */
export function usePerQueryLimits(
  client: BudgetReader,
  experiment: string,
  sources: readonly string[],
): string[] {
  const [lines, setLines] = React.useState<string[]>([]);
  const key = sources.join('\n');
  React.useEffect(() => {
    if (key === '') return;
    let live = true;
    client.budget(experiment).then(
      (budget) => {
        if (live) setLines(perQueryLimitLines(budget, key.split('\n')));
      },
      () => undefined, // the dry run names the limit all the same
    );
    return () => {
      live = false;
    };
  }, [client, experiment, key]);
  return lines;
}
