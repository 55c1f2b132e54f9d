/**
 * The raw-data engine: native in-memory DuckDB holding the policy's sources, then locked down.
 * Every declared column is checked to exist with a compatible type and loaded as its canonical
 * type (integer → BIGINT, number → DOUBLE, string → VARCHAR, date → DATE, boolean → BOOLEAN);
 * undeclared columns are never loaded. After loading, external access is switched off (only
 * `allowedDirs` stay reachable, e.g. the publish output folder) and the configuration is locked,
 * so no later query — masking or DP — can read other files or undo the lockdown.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBResultReader } from '@duckdb/node-api';
import type { Policy, Source } from '@privet/core';
import { CANONICAL_TYPES, quoteIdent, sqlString } from '@privet/core/mask/index';
import { MAX_SOURCE_ROWS } from '@privet/core/dpsql/select';
import { runQuiet, StoreError } from './errors.js';

/** A raw source loaded into the engine as table `table` (named like the source). */
export interface LoadedSource {
  name: string;
  /** Absolute path of the raw file. */
  path: string;
  /** SHA-256 (hex) of the raw file as read. */
  hash: string;
  rows: number;
  /** Quoted table name to use in SQL. */
  table: string;
  declaration: Source;
}

/** A locked-down DuckDB with the policy's raw sources loaded. */
export interface SourceEngine {
  connection: DuckDBConnection;
  sources: Record<string, LoadedSource>;
  /** Directories (with trailing separator) DuckDB may still read and write. */
  allowedDirs: string[];
  /**
   * Runs `sql` on a connection of its own (locked down like the first: the settings are global),
   * interrupted after `timeoutMs`: one query neither waits behind another nor holds it up.
   * `stop` interrupts it at once (its client left): it then rejects with QueryInterruptedError.
   */
  runIsolated(sql: string, timeoutMs: number, stop?: AbortSignal): Promise<DuckDBResultReader>;
  close(): void;
}

/** Thrown by SourceEngine.runIsolated when the query ran past its deadline and was interrupted. */
export class QueryTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the query ran longer than ${timeoutMs} ms and was stopped`);
    this.name = 'QueryTimeoutError';
  }
}

/** Thrown by SourceEngine.runIsolated when its stop signal interrupted the query. */
export class QueryInterruptedError extends Error {
  constructor() {
    super('the query was interrupted because nobody waits for its result any more');
    this.name = 'QueryInterruptedError';
  }
}

/** Options for openSourceEngine. */
export interface SourceEngineOptions {
  /** Directories DuckDB may still access after lockdown (must exist). */
  allowedDirs?: string[];
  /** Load only these sources (default: all). */
  sourceNames?: string[];
}

const PARQUET_COMPATIBLE: Record<string, readonly string[]> = {
  integer: ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER'],
  number: [
    'TINYINT',
    'SMALLINT',
    'INTEGER',
    'BIGINT',
    'UTINYINT',
    'USMALLINT',
    'UINTEGER',
    'FLOAT',
    'DOUBLE',
    'DECIMAL',
  ],
  string: ['VARCHAR'],
  date: ['DATE'],
  boolean: ['BOOLEAN'],
};

/** SHA-256 of a file, streamed. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * How a CSV value of each declared type must be written (RE2, whole value, spaces around allowed).
 * DuckDB's casts are lenient — `7.5` rounds to the integer 8, `0x10` reads as 16, `yes` as true,
 * `inf` as a number — so a value that is not plainly of its type would be rewritten silently
 * (two people's ids merged into one token); it is refused instead.
 */
const CSV_VALUE: Record<Exclude<Source['columns'][string]['type'], 'string'>, CsvValueRule> = {
  // pandas writes an integer column with missing values as floats: `42.0` is still 42.
  integer: {
    pattern: '\\s*[+-]?[0-9]+(\\.0*)?\\s*',
    example: 'whole numbers such as 42, -7 or 42.0',
  },
  number: {
    pattern: '\\s*[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*',
    example: 'finite decimal numbers such as 3.25 or -1e6',
  },
  // A timestamp at midnight (pandas' datetime column of dates) is still that date.
  date: {
    pattern: '\\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]00:00(:00(\\.0*)?)?)?\\s*',
    example: 'calendar dates written YYYY-MM-DD (a time, if any, at midnight)',
  },
  boolean: { pattern: '\\s*(?i:true|false|1|0)\\s*', example: 'true, false, 1 or 0' },
};

/** The written form `CSV_VALUE` requires of a declared type, and how to say it. */
interface CsvValueRule {
  pattern: string;
  example: string;
}

/** SQL true for a CSV value (text) that is not plainly a value of `type` (or does not fit it). */
function badCsvValueSql(column: string, type: keyof typeof CSV_VALUE): string {
  const q = quoteIdent(column);
  const cast = `TRY_CAST(${q} AS ${CANONICAL_TYPES[type]})`;
  const finite = type === 'number' ? ` OR NOT isfinite(${cast})` : '';
  return `${q} IS NOT NULL AND (NOT regexp_full_match(${q}, ${sqlString(CSV_VALUE[type].pattern)}) OR ${cast} IS NULL${finite})`;
}

function readerSql(src: Source, path: string): string {
  return src.format === 'csv'
    ? `read_csv(${sqlString(path)}, header = true, all_varchar = true)`
    : `read_parquet(${sqlString(path)})`;
}

/**
 * The file's column names for an error, unless they may be data: a CSV none of whose header names
 * is a declared column probably has no header row, so its "names" are its first row's raw values.
 */
function fileColumnsText(src: Source, actual: ReadonlyMap<string, string>): string {
  const declaredNames = Object.keys(src.columns);
  if (src.format === 'csv' && !declaredNames.some((c) => actual.has(c)))
    return `none of the ${declaredNames.length} declared columns is in the file's first row, so it probably has no header row; that row is not shown, as it may hold data`;
  return `file has: ${[...actual.keys()].join(', ')}`;
}

async function loadSource(
  c: DuckDBConnection,
  name: string,
  src: Source,
  policyDir: string,
): Promise<LoadedSource> {
  const path = resolve(policyDir, src.path);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new StoreError(
      `source "${name}": file ${path} does not exist`,
      `create it or fix sources.${name}.path (relative to the policy file)`,
    );
  }
  const hash = await fileSha256(path);
  const reader = readerSql(src, path);
  const fixRead = `check that ${path} is a valid ${src.format} file${src.format === 'csv' ? ' with a header row' : ''}`;
  const described = await runQuiet(
    c,
    `DESCRIBE SELECT * FROM ${reader}`,
    `reading the columns of ${path}`,
    fixRead,
  );
  const actual = new Map<string, string>();
  for (const row of described.getRowObjectsJS())
    actual.set(String(row['column_name']), String(row['column_type']));
  const declared = Object.entries(src.columns);
  for (const [col, decl] of declared) {
    const type = actual.get(col);
    if (type === undefined) {
      throw new StoreError(
        `source "${name}": column "${col}" is declared in the policy but missing from ${path} (${fileColumnsText(src, actual)})`,
        `rename the column in the file or fix sources.${name}.columns`,
      );
    }
    const base = type.replace(/\(.*$/, '');
    if (src.format === 'parquet' && !(PARQUET_COMPATIBLE[decl.type] ?? []).includes(base)) {
      throw new StoreError(
        `source "${name}": column "${col}" in ${path} has type ${type}, not compatible with declared type ${decl.type}`,
        `declare the column with its real type, or convert the file`,
      );
    }
  }
  if (src.format === 'csv') {
    const checks = declared.flatMap(([col, d]) =>
      d.type === 'string'
        ? []
        : [`count(*) FILTER (WHERE ${badCsvValueSql(col, d.type)}) AS ${quoteIdent(col)}`],
    );
    if (checks.length > 0) {
      const bad =
        (
          await runQuiet(
            c,
            `SELECT ${checks.join(', ')} FROM ${reader}`,
            `checking column types of ${path}`,
            fixRead,
          )
        ).getRowObjectsJS()[0] ?? {};
      for (const [col, count] of Object.entries(bad)) {
        const type = src.columns[col]?.type;
        if (Number(count) > 0 && type !== undefined && type !== 'string') {
          throw new StoreError(
            `source "${name}": ${Number(count)} values of column "${col}" in ${path} are not valid ${type} values (${CSV_VALUE[type].example})`,
            `fix the file or declare sources.${name}.columns.${col} with the right type`,
          );
        }
      }
    }
  }
  const select = declared
    .map(
      ([col, d]) => `CAST(${quoteIdent(col)} AS ${CANONICAL_TYPES[d.type]}) AS ${quoteIdent(col)}`,
    )
    .join(', ');
  const table = quoteIdent(name);
  await runQuiet(
    c,
    `CREATE TABLE ${table} AS SELECT ${select} FROM ${reader}`,
    `loading source "${name}" from ${path}`,
    fixRead,
  );
  const rows = Number(
    (await c.runAndReadAll(`SELECT count(*) FROM ${table}`)).getColumnsJS()[0]?.[0] ?? 0,
  );
  // The DP analyser refuses VAR/STDDEV whose squares could overflow on this many rows (select.ts).
  if (rows >= Number(MAX_SOURCE_ROWS))
    throw new StoreError(
      `source "${name}" has ${rows} rows; DP queries are sound for at most 2^40 rows per source`,
      `split ${path} into several sources`,
    );
  return { name, path, hash, rows, table, declaration: src };
}

/** Normalizes a directory for allowed_directories: real path with a trailing separator. */
function allowedDir(dir: string): string {
  const real = realpathSync(dir);
  return real.endsWith(sep) ? real : real + sep;
}

/**
 * Opens an in-memory DuckDB, loads the policy's sources (paths relative to `policyDir`), checks
 * declared columns and types, then locks the engine down (only `allowedDirs` stay accessible).
 */
export async function openSourceEngine(
  policy: Policy,
  policyDir: string,
  options: SourceEngineOptions = {},
): Promise<SourceEngine> {
  const allowedDirs = (options.allowedDirs ?? []).map(allowedDir);
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    // Raw rows never spill to disk (DuckDB's default is a .tmp folder in the working directory,
    // next to whatever else lives there): a query too large for memory fails instead.
    temp_directory: '',
  });
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  try {
    const sources: Record<string, LoadedSource> = {};
    for (const name of options.sourceNames ?? Object.keys(policy.sources)) {
      const src = policy.sources[name];
      if (!src)
        throw new StoreError(
          `unknown source "${name}"`,
          `use one of ${Object.keys(policy.sources).join(', ')}`,
        );
      sources[name] = await loadSource(connection, name, src, policyDir);
    }
    const dirs = allowedDirs.map(sqlString).join(', ');
    await connection.run(`SET allowed_directories = [${dirs}]`);
    await connection.run('SET enable_external_access = false');
    await connection.run('SET lock_configuration = true');
    const runIsolated = async (
      sql: string,
      timeoutMs: number,
      stop?: AbortSignal,
    ): Promise<DuckDBResultReader> => {
      if (stop?.aborted) throw new QueryInterruptedError();
      const own = await instance.connect();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        own.interrupt();
      }, timeoutMs);
      const interrupt = () => own.interrupt();
      stop?.addEventListener('abort', interrupt, { once: true });
      try {
        // Checked again: the signal may have aborted while the connection opened.
        if (stop?.aborted) throw new QueryInterruptedError();
        return await own.runAndReadAll(sql);
      } catch (error) {
        if (stop?.aborted) throw new QueryInterruptedError();
        throw timedOut ? new QueryTimeoutError(timeoutMs) : error;
      } finally {
        clearTimeout(timer);
        stop?.removeEventListener('abort', interrupt);
        own.closeSync();
      }
    };
    return { connection, sources, allowedDirs, runIsolated, close };
  } catch (err) {
    close();
    throw err;
  }
}
