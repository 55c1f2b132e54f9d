/**
 * Runs a compiled masked view inside DuckDB: one SELECT applies every operator, a window count
 * over the generalized quasi-identifiers sizes each class, rows in classes below k are suppressed
 * (refusing when that exceeds the policy's bound), and the result is written to Parquet sorted by
 * all published columns, so row order reveals nothing about the raw file's order.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { MaskedView } from '@privet/core';
import {
  classSizeSql,
  CLASS_SIZE_COLUMN,
  coarsenCandidates,
  kUnitViolationsSql,
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
}

const num = (v: unknown) => Number(v ?? 0);

async function scalarRow(c: DuckDBConnection, sql: string, doing: string, fix: string) {
  return (await runQuiet(c, sql, doing, fix)).getRowObjectsJS()[0] ?? {};
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
  // k counts people: the raw unit rides along in a hidden column that is never written out.
  const body = kAnon
    ? classSizeSql(
        `(SELECT ${select}, ${quoteIdent(unitColumn)} AS ${UNIT_COLUMN} FROM ${table})`,
        kAnon.quasi_identifiers,
      )
    : `SELECT ${select} FROM ${table}`;
  const fixOps = `check the operators of views.${viewName}.columns against the source's column types`;
  try {
    await runQuiet(
      c,
      `CREATE OR REPLACE TEMP TABLE ${work} AS ${body}`,
      `masking view "${viewName}"`,
      fixOps,
    );
    const keep = kAnon ? `WHERE ${CLASS_SIZE_COLUMN} >= ${kAnon.k}` : '';
    const counts = await scalarRow(
      c,
      `SELECT count(*) AS total${kAnon ? `, count(*) FILTER (WHERE ${CLASS_SIZE_COLUMN} < ${kAnon.k}) AS suppressed` : ''} FROM ${work}`,
      `counting rows of view "${viewName}"`,
      fixOps,
    );
    const sourceRows = num(counts['total']);
    const rowsSuppressed = num(counts['suppressed']);
    if (kAnon && sourceRows > 0 && rowsSuppressed / sourceRows > kAnon.max_suppressed_fraction) {
      const distinct = await scalarRow(
        c,
        `SELECT ${kAnon.quasi_identifiers.map((q) => `count(DISTINCT ${quoteIdent(q)}) AS ${quoteIdent(q)}`).join(', ')} FROM ${work}`,
        `counting quasi-identifier values of view "${viewName}"`,
        fixOps,
      );
      const cards = kAnon.quasi_identifiers.map((q) => ({ column: q, distinct: num(distinct[q]) }));
      const order = coarsenCandidates(cards);
      const listed = order
        .map((q) => `"${q}" (${cards.find((x) => x.column === q)?.distinct ?? 0} values)`)
        .join(', ');
      throw new PublishError(
        viewName,
        `k-anonymity with k=${kAnon.k} would suppress ${rowsSuppressed} of ${sourceRows} rows ` +
          `(${percent(rowsSuppressed, sourceRows)}), above max_suppressed_fraction ${kAnon.max_suppressed_fraction} ` +
          `(${percent(kAnon.max_suppressed_fraction, 1)}); refusing to publish`,
        `coarsen the quasi-identifiers, starting with the one with most distinct values: ${listed} ` +
          '(shorter prefix, wider bands or ranges, month → year), or lower k / raise max_suppressed_fraction',
      );
    }
    if (kAnon) {
      const check = await scalarRow(
        c,
        kUnitViolationsSql(`(SELECT * FROM ${work} ${keep})`, kAnon.quasi_identifiers, kAnon.k),
        `re-checking k-anonymity of view "${viewName}" per person`,
        fixOps,
      );
      if (num(check['classes']) > 0) {
        throw new PublishError(
          viewName,
          `independent re-check found ${num(check['classes'])} classes with fewer than k=${kAnon.k} people`,
          'report this bug; nothing was published',
        );
      }
    }
    await runQuiet(
      c,
      `COPY (SELECT ${names.join(', ')} FROM ${work} ${keep} ORDER BY ALL) TO ${sqlString(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
      `writing view "${viewName}" to Parquet`,
      'check free disk space and permissions of the state folder',
    );
    return { rows: sourceRows - rowsSuppressed, rowsSuppressed, sourceRows };
  } finally {
    await c.run(`DROP TABLE IF EXISTS ${work}`);
  }
}
