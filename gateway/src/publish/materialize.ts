/**
 * Runs a compiled masked view inside DuckDB: one SELECT applies every operator, window counts
 * size each class over the generalized quasi-identifiers and each bin of the coded columns
 * (top-coded generalized columns outside them), rows in classes or bins of fewer than k people
 * are suppressed (refusing when that exceeds the policy's bound), and the result is written to
 * Parquet sorted by all published columns, so row order reveals nothing about the raw file's order.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { MaskedView } from '@privet/core';
import { codedColumns } from '@privet/core/policy/semantics-views';
import {
  binSizeColumn,
  classSizeSql,
  CLASS_SIZE_COLUMN,
  coarsenCandidates,
  keepSql,
  KEPT_COLUMN,
  kUnitViolationsSql,
  smallestClassSql,
  UNIT_COLUMN,
  percent,
  quoteIdent,
  sqlString,
  type CompiledColumn,
} from '@privet/core/mask/index';
import { runQuiet } from '../store/errors.js';
import { PublishError } from './errors.js';

/** What materializing one view produced. */
export interface MaterializeResult {
  rows: number;
  rowsSuppressed: number;
  sourceRows: number;
  /**
   * With k_anonymity: the smallest class of the published rows in distinct privacy units
   * (people, as k is enforced; 0 when no row is published). Undefined without k_anonymity.
   */
  smallestClass?: number;
}

const num = (v: unknown) => Number(v ?? 0);

async function scalarRow(c: DuckDBConnection, sql: string, doing: string, fix: string) {
  return (await runQuiet(c, sql, doing, fix)).getRowObjectsJS()[0] ?? {};
}

/** Why rows were suppressed, counted on the first pass (a row may have several reasons). */
interface Suppressed {
  /** Rows in classes over the quasi-identifiers with fewer than k people. */
  byClass: number;
  /** Rows in bins of each coded column with fewer than k people, in codedColumns order. */
  byBin: number[];
  /** Rows suppressed afterwards, because earlier suppressions left their class or bin below k. */
  knockOn: number;
}

/** The refusal when suppression exceeds max_suppressed_fraction, naming what to coarsen. */
async function tooMuchSuppression(
  c: DuckDBConnection,
  viewName: string,
  view: MaskedView,
  kAnon: NonNullable<MaskedView['k_anonymity']>,
  work: string,
  coded: readonly string[],
  counts: { rowsSuppressed: number; sourceRows: number; why: Suppressed },
  fixOps: string,
): Promise<PublishError> {
  const { rowsSuppressed, sourceRows, why } = counts;
  const k = kAnon.k;
  const reasons: string[] = [];
  const fixes: string[] = [];
  if (why.byClass > 0)
    reasons.push(`${why.byClass} in classes of the quasi-identifiers with fewer than ${k} people`);
  coded.forEach((col, i) => {
    const n = why.byBin[i] ?? 0;
    if (n === 0) return;
    const op = view.columns[col]?.op;
    reasons.push(
      `${n} in bins of "${col}" (${op}, not a quasi-identifier) held by fewer than ${k} people`,
    );
    fixes.push(
      op === 'age_band'
        ? `widen the bands of "${col}" or lower its top, so its rare ages share a band`
        : `widen the bins of "${col}" or move its bottom and top inward, so its rare values share the open-ended bins`,
    );
  });
  if (why.knockOn > 0)
    reasons.push(`${why.knockOn} more left below ${k} people by those suppressions`);
  // Coarsening a quasi-identifier helps only when classes were too small (directly or after
  // bins were suppressed), so it is suggested then, most-distinct column first.
  if (why.byClass > 0 || why.knockOn > 0) {
    const distinct = await scalarRow(
      c,
      `SELECT ${kAnon.quasi_identifiers.map((q) => `count(DISTINCT ${quoteIdent(q)}) AS ${quoteIdent(q)}`).join(', ')} FROM ${work}`,
      `counting quasi-identifier values of view "${viewName}"`,
      fixOps,
    );
    const cards = kAnon.quasi_identifiers.map((q) => ({ column: q, distinct: num(distinct[q]) }));
    const listed = coarsenCandidates(cards)
      .map((q) => `"${q}" (${cards.find((x) => x.column === q)?.distinct ?? 0} values)`)
      .join(', ');
    fixes.unshift(
      `coarsen the quasi-identifiers, starting with the one with most distinct values: ${listed} ` +
        '(shorter prefix, wider bands or ranges, month → year)',
    );
  }
  return new PublishError(
    viewName,
    `k-anonymity with k=${k} would suppress ${rowsSuppressed} of ${sourceRows} rows ` +
      `(${percent(rowsSuppressed, sourceRows)}), above max_suppressed_fraction ${kAnon.max_suppressed_fraction} ` +
      `(${percent(kAnon.max_suppressed_fraction, 1)}); refusing to publish` +
      (reasons.length > 0 ? ` (rows suppressed: ${reasons.join('; ')})` : ''),
    `${fixes.join('; ')}, or lower k / raise max_suppressed_fraction`,
  );
}

/** Masks `table` per `columns` into Parquet at `parquetPath`; throws PublishError when refused. */
export async function materializeView(
  c: DuckDBConnection,
  viewName: string,
  view: MaskedView,
  table: string,
  columns: readonly CompiledColumn[],
  parquetPath: string,
  unitColumn: string,
): Promise<MaterializeResult> {
  const work = quoteIdent(`__privet_masked_${viewName}`);
  const names = columns.map((col) => quoteIdent(col.name));
  const select = columns.map((col) => `${col.sql} AS ${quoteIdent(col.name)}`).join(', ');
  const kAnon = view.k_anonymity;
  const coded = codedColumns(view);
  // k counts people: the raw unit rides along in a hidden column that is never written out. The
  // one masking pass also sizes each row's class and coded bins, and flags the rows kept.
  const body = kAnon
    ? `SELECT *, (${keepSql(coded, kAnon.k)}) AS ${KEPT_COLUMN} FROM (${classSizeSql(
        `(SELECT ${select}, ${quoteIdent(unitColumn)} AS ${UNIT_COLUMN} FROM ${table})`,
        kAnon.quasi_identifiers,
        coded,
      )})`
    : `SELECT ${select} FROM ${table}`;
  const fixOps = `check the operators of views.${viewName}.columns against the source's column types`;
  try {
    await runQuiet(
      c,
      `CREATE OR REPLACE TEMP TABLE ${work} AS ${body}`,
      `masking view "${viewName}"`,
      fixOps,
    );
    const keep = kAnon ? `WHERE ${KEPT_COLUMN}` : '';
    const reasons = kAnon
      ? [
          `, count(*) FILTER (WHERE NOT ${KEPT_COLUMN}) AS suppressed`,
          `, count(*) FILTER (WHERE ${CLASS_SIZE_COLUMN} < ${kAnon.k}) AS by_class`,
          ...coded.map(
            (_, i) => `, count(*) FILTER (WHERE ${binSizeColumn(i)} < ${kAnon.k}) AS by_bin_${i}`,
          ),
        ].join('')
      : '';
    const counts = await scalarRow(
      c,
      `SELECT count(*) AS total${reasons} FROM ${work}`,
      `counting rows of view "${viewName}"`,
      fixOps,
    );
    const sourceRows = num(counts['total']);
    let rowsSuppressed = num(counts['suppressed']);
    const why: Suppressed = {
      byClass: num(counts['by_class']),
      byBin: coded.map((_, i) => num(counts[`by_bin_${i}`])),
      knockOn: 0,
    };
    const over = () =>
      kAnon !== undefined &&
      sourceRows > 0 &&
      rowsSuppressed / sourceRows > kAnon.max_suppressed_fraction;
    // Without coded columns suppression removes whole classes, leaving the others as they were.
    // With them, suppressing a class can leave a coded bin below k people and suppressing a bin
    // can leave a class below k: sizes are counted again over the kept rows until none changes.
    // Rows are only ever removed, so this ends; it stops early once the bound is exceeded anyway.
    if (kAnon && coded.length > 0) {
      let changed = rowsSuppressed;
      while (changed > 0 && !over()) {
        const cols = [...kAnon.quasi_identifiers, ...coded].map(quoteIdent).join(', ');
        const sized = classSizeSql(
          `(SELECT rowid AS __privet_row, ${cols}, ${UNIT_COLUMN} FROM ${work} WHERE ${KEPT_COLUMN})`,
          kAnon.quasi_identifiers,
          coded,
        );
        const updated = await scalarRow(
          c,
          `UPDATE ${work} SET ${KEPT_COLUMN} = false WHERE rowid IN ` +
            `(SELECT __privet_row FROM (${sized}) WHERE NOT (${keepSql(coded, kAnon.k)}))`,
          `suppressing rows of view "${viewName}" left below k`,
          fixOps,
        );
        changed = num(updated['Count']);
        rowsSuppressed += changed;
        why.knockOn += changed;
      }
    }
    if (kAnon && over())
      throw await tooMuchSuppression(
        c,
        viewName,
        view,
        kAnon,
        work,
        coded,
        { rowsSuppressed, sourceRows, why },
        fixOps,
      );
    let smallestClass: number | undefined;
    if (kAnon) {
      const kept = `(SELECT * FROM ${work} ${keep})`;
      const checks = [
        { sql: kUnitViolationsSql(kept, kAnon.quasi_identifiers, kAnon.k), what: 'classes' },
        ...coded.map((col) => ({
          sql: kUnitViolationsSql(kept, [col], kAnon.k),
          what: `bins of "${col}"`,
        })),
      ];
      for (const check of checks) {
        const found = await scalarRow(
          c,
          check.sql,
          `re-checking k-anonymity of view "${viewName}" per person`,
          fixOps,
        );
        if (num(found['classes']) > 0) {
          throw new PublishError(
            viewName,
            `independent re-check found ${num(found['classes'])} ${check.what} with fewer than k=${kAnon.k} people`,
            'report this bug; nothing was published',
          );
        }
      }
      const smallest = await scalarRow(
        c,
        smallestClassSql(kept, kAnon.quasi_identifiers),
        `measuring the smallest class of view "${viewName}"`,
        fixOps,
      );
      smallestClass = num(smallest['smallest']);
    }
    await runQuiet(
      c,
      `COPY (SELECT ${names.join(', ')} FROM ${work} ${keep} ORDER BY ALL) TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
      `writing view "${viewName}" to Parquet`,
      'check free disk space and permissions of the state folder',
    );
    return {
      rows: sourceRows - rowsSuppressed,
      rowsSuppressed,
      sourceRows,
      ...(smallestClass === undefined ? {} : { smallestClass }),
    };
  } finally {
    await c.run(`DROP TABLE IF EXISTS ${work}`);
  }
}
