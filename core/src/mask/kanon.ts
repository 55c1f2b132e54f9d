/**
 * k-anonymity by suppression, as SQL over an already generalized table: a window count of the
 * distinct privacy units over the quasi-identifiers gives each row's class size (k people, not k
 * rows: one person's many rows never make a class on their own); rows in classes below k are
 * dropped, and so are rows whose value of a top-coded column outside the quasi-identifiers (a
 * "coded" column) is shared by fewer than k people. The checks are deliberately different
 * queries (GROUP BY … HAVING over the kept rows and over the written file), so a bug in one cannot
 * hide in the other.
 */
import { quoteIdent } from './sql.js';

/** Column name the class-size window count is written to. */
export const CLASS_SIZE_COLUMN = '__privet_class_size';

/** Hidden column carrying each row's raw privacy unit while a view is masked (never published). */
export const UNIT_COLUMN = '__privet_unit';

/** Hidden flag of the rows kept for publication (false once suppressed; never published). */
export const KEPT_COLUMN = '__privet_kept';

/** Column name the window count of a coded column's bin (by its position in `coded`) is written to. */
export function binSizeColumn(index: number): string {
  return `__privet_bin_size_${index}`;
}

/**
 * SELECT adding each row's equivalence-class size over `qis` to the rows of `fromSql`: the number
 * of distinct privacy units (column UNIT_COLUMN of `fromSql`; rows without a unit count for none).
 * For each column of `coded` (top-coded generalized columns outside `qis`) it adds the size of the
 * row's bin the same way, in binSizeColumn(i): those columns are checked one bin at a time.
 */
export function classSizeSql(
  fromSql: string,
  qis: readonly string[],
  coded: readonly string[] = [],
): string {
  const partition = qis.map(quoteIdent).join(', ');
  const bins = coded
    .map(
      (col, i) =>
        `, count(DISTINCT ${UNIT_COLUMN}) OVER (PARTITION BY ${quoteIdent(col)}) AS ${binSizeColumn(i)}`,
    )
    .join('');
  return `SELECT *, count(DISTINCT ${UNIT_COLUMN}) OVER (PARTITION BY ${partition}) AS ${CLASS_SIZE_COLUMN}${bins} FROM ${fromSql}`;
}

/** Condition over classSizeSql's sizes: the row's class and each of its coded bins hold ≥ k units. */
export function keepSql(coded: readonly string[], k: number): string {
  return [CLASS_SIZE_COLUMN, ...coded.map((_, i) => binSizeColumn(i))]
    .map((col) => `${col} >= ${k}`)
    .join(' AND ');
}

/** Independent check over kept rows: the classes of `fromSql` with fewer than k distinct units. */
export function kUnitViolationsSql(fromSql: string, qis: readonly string[], k: number): string {
  const cols = qis.map(quoteIdent).join(', ');
  return `SELECT count(*) AS classes FROM (SELECT ${cols} FROM ${fromSql} GROUP BY ${cols} HAVING count(DISTINCT ${UNIT_COLUMN}) < ${k})`;
}

/** The smallest class of `fromSql` over `qis` in distinct units (NULL when it has no rows). */
export function smallestClassSql(fromSql: string, qis: readonly string[]): string {
  const cols = qis.map(quoteIdent).join(', ');
  return `SELECT min(n) AS smallest FROM (SELECT count(DISTINCT ${UNIT_COLUMN}) AS n FROM ${fromSql} GROUP BY ${cols})`;
}

/** Independent check: the classes of `fromSql` smaller than k (must be empty), with their sizes. */
export function kViolationsSql(fromSql: string, qis: readonly string[], k: number): string {
  const cols = qis.map(quoteIdent).join(', ');
  return `SELECT count(*) AS classes, coalesce(sum(n), 0) AS rows FROM (SELECT ${cols}, count(*) AS n FROM ${fromSql} GROUP BY ${cols} HAVING count(*) < ${k})`;
}

/** Distinct values per quasi-identifier, for suggesting which one to coarsen. */
export interface QiCardinality {
  column: string;
  distinct: number;
}

/** Orders QIs most-distinct first: the usual best candidates to generalize further. */
export function coarsenCandidates(cards: readonly QiCardinality[]): string[] {
  return [...cards]
    .sort((a, b) => b.distinct - a.distinct || a.column.localeCompare(b.column))
    .map((c) => c.column);
}

/** Suppression fraction as a percentage text with two decimals, e.g. `7.31%`. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? '0.00%' : `${((100 * part) / whole).toFixed(2)}%`;
}
