// Why: DP domain discovery drops every value held by fewer rows than its threshold. A thin column
// (a date spread over many years, a name-like category such as a zip code) can lose every value,
// or all but a few, and the view then publishes that column as (mostly) empty or "(other)" with
// nothing to say why. The publisher reports it instead, from the released domain and the
// synthetic rows only (both differentially private; never a raw data value), with the fixes: public
// categories, a (shorter) prefix for string columns, a larger ε, or leaving the column out.
import type { ViewWarning } from '../protocol.js';
import type { Rational } from '../dp/rational.js';
import { discoveryThreshold, OTHER_LABEL, type EncodedColumn } from './encode.js';
import type { DiscreteTable } from './table.js';
import type { ViewColumn } from './view.js';

/** Share of a column's synthetic rows in the catch-all bucket from which a warning is given. */
export const MOSTLY_OTHER_SHARE = 0.5;

/**
 * Warnings for discovered columns (no public categories) in which no value survived discovery, or
 * so few that at least MOSTLY_OTHER_SHARE of the synthetic rows fall in the catch-all bucket.
 */
export function domainWarnings(
  columns: readonly ViewColumn[],
  encoded: readonly EncodedColumn[],
  synthetic: DiscreteTable,
  discovery: { rho: Rational; delta: number } | null,
  epsilon: number,
): ViewWarning[] {
  if (!discovery) return [];
  const needed = `about ${discoveryThreshold(discovery.rho, discovery.delta)} rows at ε = ${epsilon}`;
  return columns.flatMap((c, i): ViewWarning[] => {
    if (c.spec.kind !== 'categorical' || c.spec.categories) return [];
    const e = encoded[i]!;
    // Released values only: neither the nulls' code nor the catch-all is a value of the column.
    const kept = (e.labels ?? []).filter(
      (_, code) => code !== e.nullCode && code !== e.column.catchAll,
    );
    const name = c.spec.name;
    if (kept.length > 0) {
      const share = catchAllShare(encoded[i]!, synthetic.columns[i]!.codes);
      if (share < MOSTLY_OTHER_SHARE) return [];
      const values = kept.length === 1 ? 'value' : 'values';
      const years = kept.length === 1 ? 'year' : 'years';
      const percent = `${Math.round(share * 100)}%`;
      return [
        {
          column: name,
          message:
            c.output === 'date'
              ? `only ${kept.length} ${years} of "${name}" ${kept.length === 1 ? 'is' : 'are'} held by enough rows to pass DP domain discovery (${needed}), so ${percent} of synthetic "${name}" are empty`
              : `only ${kept.length} ${values} of "${name}" ${kept.length === 1 ? 'is' : 'are'} held by enough rows to pass DP domain discovery (${needed}), so ${percent} of synthetic "${name}" are "${OTHER_LABEL}"`,
          fix:
            c.output === 'date'
              ? `declare the public years of "${name}" in the source (years: [first, last]), raise the view's epsilon, or leave "${name}" out of the view`
              : `declare the public categories of "${name}" in the source, ${prefixFix(c)}raise the view's epsilon, or leave "${name}" out of the view`,
        },
      ];
    }
    return c.output === 'date'
      ? [
          {
            column: name,
            message: `no year of "${name}" is held by enough rows to pass DP domain discovery (${needed}), so every synthetic "${name}" is empty`,
            fix: `declare the public years of "${name}" in the source (years: [first, last], every year the column can hold), or raise the view's epsilon`,
          },
        ]
      : [
          {
            column: name,
            message: `no value of "${name}" is held by enough rows to pass DP domain discovery (${needed}), so every synthetic "${name}" is empty or "${OTHER_LABEL}"`,
            fix: `declare the public categories of "${name}" in the source, ${prefixFix(c)}or raise the view's epsilon`,
          },
        ];
  });
}

/**
 * For a string column, the fix of synthesizing fewer leading characters (a shorter prefix than it
 * has, if it has one), followed by ", "; nothing for a one-character prefix.
 */
function prefixFix(c: ViewColumn): string {
  const name = c.spec.name;
  if (c.prefix === undefined)
    return `synthesize only a prefix of it (e.g. prefix: { ${name}: 3 } on the view), `;
  return c.prefix > 1
    ? `synthesize a shorter prefix of it (prefix: { ${name}: ${c.prefix - 1} } on the view), `
    : '';
}

/** Share of `codes` (synthetic, DP) that are the column's catch-all code. */
function catchAllShare(encoded: EncodedColumn, codes: Int32Array): number {
  const other = encoded.column.catchAll;
  if (other === undefined || codes.length === 0) return 0;
  let n = 0;
  for (const code of codes) if (code === other) n++;
  return n / codes.length;
}
