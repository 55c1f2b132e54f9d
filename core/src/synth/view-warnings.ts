// Why: DP domain discovery drops every value held by fewer rows than its threshold. A thin column
// (a date spread over many years, a name-like category) can lose every value, and the view then
// publishes that column as all empty or "(other)" with nothing to say why. The publisher reports
// it instead, from the released domain only (never a data value).
import type { ViewWarning } from '../protocol.js';
import type { Rational } from '../dp/rational.js';
import { discoveryThreshold, OTHER_LABEL, type EncodedColumn } from './encode.js';
import type { ViewColumn } from './view.js';

/** Warnings for discovered columns (no public categories) in which no value survived discovery. */
export function emptyDomainWarnings(
  columns: readonly ViewColumn[],
  encoded: readonly EncodedColumn[],
  discovery: { rho: Rational; delta: number } | null,
  epsilon: number,
): ViewWarning[] {
  if (!discovery) return [];
  const needed = `about ${discoveryThreshold(discovery.rho, discovery.delta)} rows at ε = ${epsilon}`;
  return columns.flatMap((c, i): ViewWarning[] => {
    if (c.spec.kind !== 'categorical' || c.spec.categories) return [];
    const kept = (encoded[i]!.labels ?? []).filter((l) => l !== '' && l !== OTHER_LABEL);
    if (kept.length > 0) return [];
    const name = c.spec.name;
    return c.output === 'date'
      ? [
          {
            column: name,
            message: `no year of "${name}" is held by enough rows to pass DP domain discovery (${needed}), so every synthetic "${name}" is empty`,
            fix: `declare the years of "${name}" as public categories in the source (categories: every year the column can hold), or raise the view's epsilon`,
          },
        ]
      : [
          {
            column: name,
            message: `no value of "${name}" is held by enough rows to pass DP domain discovery (${needed}), so every synthetic "${name}" is empty or "${OTHER_LABEL}"`,
            fix: `declare the public categories of "${name}" in the source, or raise the view's epsilon`,
          },
        ];
  });
}
