// Why: a synthetic view column is discretized from what the policy declares, never from the data
// directly: numeric columns by their public bounds or, without any, by DP-estimated ones (bins,
// sampled back inside the bin), categorical columns by their public categories or, without them,
// by DP-thresholded discovery; booleans have a public domain; dates are synthesized by year (the
// declared public `years`, or DP-thresholded ones) and sampled back to a day of that year.
// A string column the view names under `prefix` is synthesized as its first N characters (a ZIP
// code's area), so groups too thin to survive discovery as full values can survive as prefixes.
// Identifier columns and the privacy unit (of any type) are refused: nothing about a direct
// identifier can be synthesized usefully, and refusing keeps them out of every released domain.
// This file also builds the read and write SQL.
import type { Policy, SyntheticView } from '@privet/core';
import { quoteIdent, sqlString } from '@privet/core/mask/index';
import type { ColumnSpec } from '@privet/core/synth/encode';
import type { ViewColumn } from '@privet/core/synth/view';
import { PublishError } from './errors.js';

/** Default bins per numeric column. */
export const DEFAULT_BINS = 32;

/** A resolved column: its synthesis spec, the SQL reading it, and its published DuckDB type. */
export interface SyntheticColumn {
  column: ViewColumn;
  /** Expression reading the raw value as a JS-friendly scalar (double, text, or day number). */
  readSql: string;
  /** DuckDB type of the staging column the values are appended to. */
  stagingType: 'DOUBLE' | 'VARCHAR' | 'BOOLEAN' | 'INTEGER';
  /** Expression turning the staging column `ref` into the published value. */
  publishSql: (ref: string) => string;
  /** Published DuckDB type (as recorded in the manifest). */
  publishedType: 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BOOLEAN' | 'DATE';
  /** Provenance text for the manifest. */
  operator: string;
}

/** The declared years of a date column, first to last, as the synthesizer's category labels. */
export function publicYears([first, last]: readonly [number, number]): string[] {
  return Array.from({ length: last - first + 1 }, (_, i) => String(first + i));
}

/**
 * A number read as the public category of the same value: a DOUBLE 1.0 reads as "1.0" as text,
 * which no category "1" matches (every row would become the catch-all).
 */
export function numericCategorySql(q: string, categories: readonly string[]): string {
  const arms = categories
    .filter((c) => c.trim() !== '' && Number.isFinite(Number(c)))
    .map((c) => `WHEN TRY_CAST(${q} AS DOUBLE) = ${String(Number(c))} THEN ${sqlString(c)}`);
  return arms.length === 0
    ? `CAST(${q} AS VARCHAR)`
    : `CASE ${arms.join(' ')} ELSE CAST(${q} AS VARCHAR) END`;
}

/** A categorical column: its public categories when declared, else discovered with DP. */
function categoricalSpec(name: string, categories: string[] | undefined): ColumnSpec {
  return categories ? { name, kind: 'categorical', categories } : { name, kind: 'categorical' };
}

/** The first `keep` characters (code points) of `value`, as DuckDB's left() reads them. */
export function prefixOf(value: string, keep: number): string {
  return Array.from(value).slice(0, keep).join('');
}

/**
 * A string column synthesized as its first `keep` characters: the public categories, if any,
 * become their distinct prefixes (still public); otherwise the prefixes go through discovery.
 */
function prefixColumn(
  name: string,
  keep: number,
  categories: readonly string[] | undefined,
): SyntheticColumn {
  const prefixes = categories ? [...new Set(categories.map((c) => prefixOf(c, keep)))] : undefined;
  const chars = keep === 1 ? 'character' : `${keep} characters`;
  return {
    column: {
      spec: categoricalSpec(name, prefixes),
      output: 'string',
      prefix: keep,
    },
    readSql: `left(CAST(${quoteIdent(name)} AS VARCHAR), ${keep})`,
    stagingType: 'VARCHAR',
    publishSql: (ref) => ref,
    publishedType: 'VARCHAR',
    operator: prefixes
      ? `synthesized as its first ${chars} (public categories' prefixes)`
      : `synthesized as its first ${chars} (DP-thresholded; others → "(other)")`,
  };
}

/** Resolves every column of a synthetic view; throws a PublishError naming the column to fix. */
export function syntheticColumns(
  policy: Policy,
  viewName: string,
  view: SyntheticView,
): SyntheticColumn[] {
  const source = policy.sources[view.source];
  if (!source) {
    throw new PublishError(viewName, `unknown source "${view.source}"`, 'name a declared source');
  }
  const bins = view.bins ?? DEFAULT_BINS;
  return view.columns.map((name): SyntheticColumn => {
    const decl = source.columns[name];
    const q = quoteIdent(name);
    if (!decl) {
      throw new PublishError(
        viewName,
        `column "${name}" is not declared in source "${view.source}"`,
        'declare it in the source or remove it from the view',
      );
    }
    // Also checked by the policy; refused here too, as a view built from a policy object never
    // went through that check. Each real id would be a category of true count 1 in discovery.
    if (name === source.privacy_unit) {
      throw new PublishError(
        viewName,
        `column "${name}" is the privacy unit of source "${view.source}" and cannot be a column of a synthetic view`,
        `remove "${name}" from views.${viewName}.columns: every synthetic row stands for a made-up person`,
      );
    }
    if (decl.identifier) {
      throw new PublishError(
        viewName,
        `column "${name}" is a direct identifier and cannot be synthesized`,
        `remove "${name}" from views.${viewName}.columns`,
      );
    }
    const categories = decl.categories?.map(String);
    switch (decl.type) {
      case 'integer':
      case 'number': {
        const integer = decl.type === 'integer';
        const publishedType = integer ? 'BIGINT' : 'DOUBLE';
        const publishSql = (ref: string) => (integer ? `CAST(${ref} AS BIGINT)` : ref);
        if (decl.bounds) {
          return {
            column: {
              spec: { name, kind: 'numeric', bounds: decl.bounds, bins, integer },
              output: integer ? 'integer' : 'number',
            },
            readSql: `CAST(${q} AS DOUBLE)`,
            stagingType: 'DOUBLE',
            publishSql,
            publishedType,
            operator: `synthesized (${bins} bins over [${decl.bounds[0]}, ${decl.bounds[1]}], uniform within bin)`,
          };
        }
        if (categories) {
          return {
            column: {
              spec: { name, kind: 'categorical', categories },
              output: integer ? 'integer' : 'number',
            },
            readSql: numericCategorySql(q, categories),
            stagingType: 'DOUBLE',
            publishSql,
            publishedType,
            operator: 'synthesized (public categories)',
          };
        }
        // No public range: the synthesizer estimates bounds with DP (charged to the view's budget).
        return {
          column: {
            spec: { name, kind: 'numeric', bins, integer },
            output: integer ? 'integer' : 'number',
          },
          readSql: `CAST(${q} AS DOUBLE)`,
          stagingType: 'DOUBLE',
          publishSql,
          publishedType,
          operator: `synthesized (${bins} bins over DP-estimated bounds, uniform within bin)`,
        };
      }
      case 'boolean':
        return {
          column: {
            spec: { name, kind: 'categorical', categories: ['false', 'true'] },
            output: 'boolean',
          },
          readSql: `CAST(${q} AS VARCHAR)`,
          stagingType: 'BOOLEAN',
          publishSql: (ref) => ref,
          publishedType: 'BOOLEAN',
          operator: 'synthesized (public domain true/false)',
        };
      case 'date': {
        const years = decl.years ? publicYears(decl.years) : undefined;
        return {
          column: {
            spec: categoricalSpec(name, years),
            output: 'date',
          },
          readSql: `CAST(datediff('day', DATE '1970-01-01', ${q}) AS DOUBLE)`,
          stagingType: 'INTEGER',
          publishSql: (ref) => `CAST(DATE '1970-01-01' + ${ref} AS DATE)`,
          publishedType: 'DATE',
          operator: years
            ? `synthesized by year (public years ${years[0]}–${years[years.length - 1]}, uniform day within year)`
            : 'synthesized by year (DP-thresholded years, uniform day within year)',
        };
      }
      default: {
        const keep = view.prefix?.[name];
        if (keep !== undefined) return prefixColumn(name, keep, categories);
        return {
          column: {
            spec: categoricalSpec(name, categories),
            output: 'string',
          },
          readSql: `CAST(${q} AS VARCHAR)`,
          stagingType: 'VARCHAR',
          publishSql: (ref) => ref,
          publishedType: 'VARCHAR',
          operator: categories
            ? 'synthesized (public categories)'
            : 'synthesized (DP-thresholded categories; others → "(other)")',
        };
      }
    }
  });
}
