/**
 * Independent checks of a written view, reading the Parquet file back (not the table it came
 * from): row count, k-anonymity by GROUP BY … HAVING count(*) < k over the quasi-identifiers and
 * over each coded column's bins, 100% format conformance per column, and no published string
 * equal to any raw identifier value of any source; and, on the raw rows, no column that repeats an
 * identifier of its row. Any failure refuses the view.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { MaskedView } from '@privet/core';
import { isIndexedIdentifier } from '@privet/core/policy/lookup';
import { codedColumns } from '@privet/core/policy/semantics-views';
import {
  kViolationsSql,
  quoteIdent,
  sqlString,
  type CompiledColumn,
} from '@privet/core/mask/index';
import { runQuiet } from '../store/errors.js';
import type { LoadedSource } from '../store/engine.js';
import { PublishError } from './errors.js';

/** Name of the temp table of distinct raw identifier values (as text) built by buildIdentifierIndex. */
export const RAW_IDENTIFIERS = quoteIdent('__privet_raw_identifiers');

/** What the checks measured. */
export interface VerifyResult {
  /** Smallest class in people (distinct privacy units) as materializing measured it, checked here. */
  smallestClass: number;
  violations: number;
  /** Token columns (besides the privacy unit's) whose values repeat across the written rows. */
  repeatedTokens: Set<string>;
}

/** Builds the index of every raw identifier value (all sources), used by the leak check. */
export async function buildIdentifierIndex(
  c: DuckDBConnection,
  sources: readonly LoadedSource[],
): Promise<void> {
  const parts: string[] = [];
  for (const src of sources) {
    for (const col of Object.keys(src.declaration.columns)) {
      if (isIndexedIdentifier(src.declaration, col))
        parts.push(
          `SELECT CAST(${quoteIdent(col)} AS VARCHAR) AS v FROM ${src.table} WHERE ${quoteIdent(col)} IS NOT NULL`,
        );
    }
  }
  const body = parts.length > 0 ? parts.join(' UNION ') : 'SELECT NULL::VARCHAR AS v WHERE false';
  await runQuiet(
    c,
    `CREATE OR REPLACE TEMP TABLE ${RAW_IDENTIFIERS} AS ${body}`,
    'indexing raw identifier values',
    'check the source files',
  );
}

/**
 * Refuses a view whose column repeats an identifier of its source row by row: a kept copy of an
 * SSN stored as a number, or of a birth date stored as a date, which the text index cannot judge
 * (numbers and dates are short, so an age equals some patient id by chance). A column is a copy
 * when more than half of the rows where both hold a value show the identifier as text, as a number
 * or as a date. Columns whose SQL embeds key material (tokens, keyed masks) are not compared.
 */
export async function checkIdentifierCopies(
  c: DuckDBConnection,
  viewName: string,
  source: LoadedSource,
  columns: readonly CompiledColumn[],
): Promise<void> {
  const identifiers = Object.keys(source.declaration.columns).filter((col) =>
    isIndexedIdentifier(source.declaration, col),
  );
  const pairs = columns
    .filter((col) => !col.secret)
    .flatMap((col) => identifiers.map((id) => ({ col, id })));
  if (pairs.length === 0) return;
  const text = (sql: string) => `CAST(${sql} AS VARCHAR)`;
  const counts = pairs.flatMap(({ col, id }, i) => {
    const [p, r] = [text(col.sql), text(quoteIdent(id))];
    const both = `${p} IS NOT NULL AND ${r} IS NOT NULL`;
    const same =
      `${p} = ${r} OR TRY_CAST(${p} AS DOUBLE) = TRY_CAST(${r} AS DOUBLE)` +
      ` OR TRY_CAST(${p} AS DATE) = TRY_CAST(${r} AS DATE)`;
    return [
      `count(*) FILTER (WHERE ${both}) AS both_${i}`,
      `count(*) FILTER (WHERE ${both} AND (${same})) AS same_${i}`,
    ];
  });
  const found =
    (
      await runQuiet(
        c,
        `SELECT ${counts.join(', ')} FROM ${source.table}`,
        `comparing the columns of view "${viewName}" with the identifiers of source "${source.name}"`,
        `check the operators of views.${viewName}.columns against the source's column types`,
      )
    ).getRowObjectsJS()[0] ?? {};
  pairs.forEach(({ col, id }, i) => {
    const same = Number(found[`same_${i}`]);
    if (same > 0 && same * 2 > Number(found[`both_${i}`]))
      throw new PublishError(
        viewName,
        `column "${col.name}" (${col.operator}) repeats the identifier "${id}" of source "${source.name}" in ${same} rows`,
        `mask, tokenize or drop "${col.name}" instead of ${col.operator}`,
      );
  });
}

/**
 * Runs every check on the Parquet file of one view; throws PublishError on any failure.
 * `smallestClass` is the smallest class in people measured while materializing (the file holds no
 * privacy unit to count them by): it must reach k and cannot exceed the file's smallest class in rows.
 */
export async function verifyParquet(
  c: DuckDBConnection,
  viewName: string,
  view: MaskedView,
  columns: readonly CompiledColumn[],
  parquetPath: string,
  expectedRows: number,
  smallestClass?: number,
): Promise<VerifyResult> {
  const file = `read_parquet(${sqlString(parquetPath)})`;
  const fix =
    'this is a bug in the masking pipeline; report it (the previous version stays published)';
  const row = async (sql: string, doing: string) =>
    (await runQuiet(c, sql, `verifying view "${viewName}": ${doing}`, fix)).getRowObjectsJS()[0] ??
    {};

  const total = Number((await row(`SELECT count(*) AS n FROM ${file}`, 'row count'))['n']);
  if (total !== expectedRows) {
    throw new PublishError(
      viewName,
      `the written file has ${total} rows, expected ${expectedRows}`,
      fix,
    );
  }
  let smallestPeople = total;
  let violations = 0;
  const kAnon = view.k_anonymity;
  if (kAnon) {
    const v = await row(kViolationsSql(file, kAnon.quasi_identifiers, kAnon.k), 'k-anonymity');
    violations = Number(v['rows']);
    if (Number(v['classes']) > 0) {
      throw new PublishError(
        viewName,
        `independent re-check found ${Number(v['classes'])} classes (${violations} rows) below k=${kAnon.k}`,
        fix,
      );
    }
    // Each bin of a coded column must hold k people too; k rows is what the file can show.
    for (const col of codedColumns(view)) {
      const b = await row(kViolationsSql(file, [col], kAnon.k), `k-anonymity of "${col}" bins`);
      if (Number(b['classes']) > 0) {
        throw new PublishError(
          viewName,
          `independent re-check found ${Number(b['classes'])} bins of "${col}" (${Number(b['rows'])} rows) below k=${kAnon.k}`,
          fix,
        );
      }
    }
    const qis = kAnon.quasi_identifiers.map(quoteIdent).join(', ');
    const m = await row(
      `SELECT min(n) AS m FROM (SELECT count(*) AS n FROM ${file} GROUP BY ${qis})`,
      'class sizes',
    );
    const smallestRows = m['m'] === null || m['m'] === undefined ? 0 : Number(m['m']);
    // A class has at least as many rows as people, so the people count must lie in [k, rows].
    smallestPeople = smallestClass ?? -1;
    if (total > 0 && !(smallestPeople >= kAnon.k && smallestPeople <= smallestRows)) {
      throw new PublishError(
        viewName,
        `the smallest class counts ${smallestPeople} people but ${smallestRows} rows, outside [k=${kAnon.k}, rows]`,
        fix,
      );
    }
    if (total === 0) smallestPeople = 0;
  }
  const formatted = columns.filter((col) => col.format !== undefined);
  if (formatted.length > 0) {
    const checks = formatted.map(
      (col) =>
        `count(*) FILTER (WHERE ${quoteIdent(col.name)} IS NOT NULL AND NOT regexp_full_match(CAST(${quoteIdent(col.name)} AS VARCHAR), ${sqlString(col.format ?? '')})) AS ${quoteIdent(col.name)}`,
    );
    const bad = await row(`SELECT ${checks.join(', ')} FROM ${file}`, 'value formats');
    for (const col of formatted) {
      const n = Number(bad[col.name]);
      if (n > 0)
        throw new PublishError(
          viewName,
          `${n} values of column "${col.name}" do not match the format of ${col.operator}`,
          fix,
        );
    }
  }
  for (const col of columns.filter((x) => x.type === 'VARCHAR')) {
    const q = quoteIdent(col.name);
    const leak = await row(
      `SELECT count(*) AS n FROM ${file} p WHERE p.${q} IN (SELECT v FROM ${RAW_IDENTIFIERS})`,
      `raw identifier check of column "${col.name}"`,
    );
    if (Number(leak['n']) > 0) {
      throw new PublishError(
        viewName,
        `${Number(leak['n'])} values of column "${col.name}" (${col.operator}) equal raw identifier values`,
        `mask, tokenize or drop "${col.name}" instead of ${col.operator}`,
      );
    }
  }
  // A token repeated across rows links them (a person's email links that person's rows), which
  // k checked row by row does not cover: the manifest says so. Read from the written file, so it
  // tells nothing an analyst reading the view could not count.
  const repeatedTokens = new Set<string>();
  for (const [name, spec] of Object.entries(view.columns)) {
    if (spec.op !== 'token') continue;
    const q = quoteIdent(name);
    const r = await row(
      `SELECT count(*) AS n FROM (SELECT ${q} FROM ${file} WHERE ${q} IS NOT NULL GROUP BY ${q} HAVING count(*) > 1)`,
      `repeated tokens of column "${name}"`,
    );
    if (Number(r['n']) > 0) repeatedTokens.add(name);
  }
  return { smallestClass: smallestPeople, violations, repeatedTokens };
}
