// Why: a column of a source file that the policy does not declare is never loaded (store/engine.ts):
// safe, but a steward who added a column to the file and expects to publish it sees nothing happen.
// So `privet publish` and `--plan`, the HTTP plan (GET /publish/plan) and publish jobs, `privet
// policy check` and `privet serve` at start note, per source they read, the column names the
// policy does not declare. Names only — column names are schema, never values — read from a CSV
// file's header row alone, or from a Parquet file's schema (its footer), never from a row.
import { resolve } from 'node:path';
import type { Policy, Source } from '@privet/core';
import { readCsvHeader } from '../store/csv-header.js';
import { readParquetColumnNames } from '../store/parquet-header.js';
import { printable } from '../text/control-chars.js';
import { requestedViews } from './select-views.js';

/** At most this many names are listed in a note; the rest are counted. */
const MAX_LISTED = 10;

/** A listed name is cut to this many characters. */
const MAX_NAME_CHARS = 64;

/** The columns of one source file that its declaration in the policy leaves out. */
export interface UndeclaredColumns {
  source: string;
  /** The file as the policy names it (sources.<source>.path). */
  path: string;
  /** File columns not declared, in file order: name ('' if none) and 1-based position. */
  columns: { name: string; position: number }[];
}

/** The sources the requested masked and synthetic views read (all of them without `viewNames`). */
export function publishedSources(policy: Policy, viewNames?: readonly string[]): string[] {
  const sources = requestedViews(policy, viewNames)
    .filter(([, view]) => view.tier !== 'dp')
    .map(([, view]) => view.source);
  return [...new Set(sources)];
}

/** The sources the views of every tier read, DP views included (`privet serve` serves them all). */
export function viewSources(policy: Policy): string[] {
  return [...new Set(Object.values(policy.views).map((view) => view.source))];
}

/**
 * The column names of the file of `decl` (at `path`): a CSV file's header row, split as
 * readCsvHeader does, or a Parquet file's schema. Undefined when the file cannot be read, is not
 * valid Parquet, or (CSV) has no recognisable header row — loading the source reports the first
 * two as errors, and a CSV first row naming no declared column may hold data, so it is not used.
 */
async function fileColumnNames(decl: Source, path: string): Promise<string[] | undefined> {
  if (decl.format === 'csv') return readCsvHeader(path, Object.keys(decl.columns));
  if (decl.format === 'parquet') return readParquetColumnNames(path);
  return undefined;
}

/**
 * For each source of `sources` (CSV or Parquet) whose file has columns its declaration leaves out,
 * those names. Only a CSV file's header row or a Parquet file's schema is read; a source whose file
 * cannot be read, or a CSV without a recognisable header row (no declared column in its first row),
 * is skipped — loading it reports that as an error.
 */
export async function undeclaredColumns(
  policy: Policy,
  policyDir: string,
  sources: readonly string[],
): Promise<UndeclaredColumns[]> {
  const out: UndeclaredColumns[] = [];
  for (const source of sources) {
    const decl = Object.hasOwn(policy.sources, source) ? policy.sources[source] : undefined;
    if (!decl) continue;
    const header = await fileColumnNames(decl, resolve(policyDir, decl.path));
    if (!header) continue;
    const seen = new Set<string>();
    const columns: UndeclaredColumns['columns'] = [];
    for (const [i, name] of header.entries()) {
      if (Object.hasOwn(decl.columns, name) || seen.has(name)) continue;
      if (name !== '') seen.add(name);
      columns.push({ name, position: i + 1 });
    }
    if (columns.length > 0) out.push({ source, path: decl.path, columns });
  }
  return out;
}

/** A column name as a note shows it: escaped for a terminal, cut when long, or its position. */
function shownName(name: string, position: number): string {
  if (name === '') return `(column ${position}, no name)`;
  const chars = [...name];
  const cut = chars.length > MAX_NAME_CHARS ? chars.slice(0, MAX_NAME_CHARS).join('') + '…' : name;
  return `\`${printable(cut)}\``;
}

/**
 * The note for one source, e.g. "source `adult`: 2 columns in adult.csv are not in the policy and
 * are never loaded: `fnlwgt`, `notes` — declare them under sources.adult.columns to use them";
 * at most MAX_LISTED names, then how many more.
 */
export function undeclaredColumnsNote(u: UndeclaredColumns): string {
  const n = u.columns.length;
  const listed = u.columns.slice(0, MAX_LISTED).map((c) => shownName(c.name, c.position));
  const more = n > MAX_LISTED ? `, and ${n - MAX_LISTED} more` : '';
  const source = printable(u.source);
  const columns = n === 1 ? '1 column' : `${n} columns`;
  const are = n === 1 ? 'is' : 'are';
  return (
    `source \`${source}\`: ${columns} in ${printable(u.path)} ${are} not in the policy and ${are} never loaded: ` +
    `${listed.join(', ')}${more} — declare ${n === 1 ? 'it' : 'them'} under sources.${source}.columns to use ${n === 1 ? 'it' : 'them'}`
  );
}

/** The notes (undeclaredColumnsNote) of every source of `sources` with undeclared columns. */
export async function undeclaredColumnsNotes(
  policy: Policy,
  policyDir: string,
  sources: readonly string[],
): Promise<string[]> {
  return (await undeclaredColumns(policy, policyDir, sources)).map(undeclaredColumnsNote);
}
