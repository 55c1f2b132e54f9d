/**
 * DuckDB in the extension host and the language server: duckdb-wasm's blocking Node build (no
 * worker, no native module to ship), started lazily from the wasm file bundled with the extension,
 * and locked down before any user SQL runs: no extension autoloading or installing (the npm build
 * would fetch Parquet/JSON from the network), no file access, configuration locked. Views arrive
 * as Arrow IPC streams from the gateway.
 */
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import type { RecordBatchStreamReader } from 'apache-arrow';
import {
  DUCKDB_WASM_LOCKDOWN,
  LoadedViews,
  ROW_ERROR_FIX,
  mayQuoteRows,
  readStreamedResult,
  rowErrorMessage,
  unwrapStreamedError,
  type QueryResult,
} from '@privet/core/client/index';
import { quoteIdent } from '@privet/core/mask/sql';
import { SqlError, type ViewScope } from './sql-error.js';

export { quoteIdent, type QueryResult };
export { SqlError, type ViewScope } from './sql-error.js';

/** Rows kept of a result at most (the count of all rows is still reported). */
export const MAX_RESULT_ROWS = 200;

/** One locked-down duckdb-wasm database with the views loaded so far. */
export class SqlEngine {
  private started: Promise<duckdb.DuckDBConnection> | null = null;
  private readonly views = new LoadedViews();
  /** The scope views are loaded for now (unset while it changes or after a failed change). */
  private scope: ViewScope | undefined;
  /** The version (Parquet hash) each loaded view was fetched at. */
  private readonly versions = new Map<string, string>();

  /** `wasmDir` holds duckdb-eh.wasm and duckdb-mvp.wasm (the extension's dist/duckdb). */
  constructor(private readonly wasmDir: string) {}

  /** Views (tables) loaded into the engine so far. */
  get loadedViews(): ReadonlySet<string> {
    return this.views.loaded;
  }

  /** Starts duckdb-wasm on first call; later calls share the same connection. */
  connection(): Promise<duckdb.DuckDBConnection> {
    if (!this.started) {
      this.started = startEngine(this.wasmDir).catch((error: unknown) => {
        this.started = null;
        throw error;
      });
    }
    return this.started;
  }

  /**
   * Makes `client` (one sign-in) and `experiment` the owners of the views loaded from now on.
   * Views loaded for another sign-in or experiment are dropped first: the gateway checked access
   * for them, so they must be fetched again (and the access recorded) under the new one.
   */
  async enterScope(client: object, experiment: string): Promise<void> {
    this.scope = undefined;
    await this.views.enter(client, experiment, async (name) => {
      const conn = await this.connection();
      conn.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
    });
    this.scope = { client, experiment };
  }

  /** True when `name` is loaded, at `version`, for the current scope. */
  hasView(name: string, version: string): boolean {
    return this.views.loaded.has(name) && this.versions.get(name) === version;
  }

  /**
   * Loads (or replaces) a view from an Arrow IPC stream as a table named after the view, if
   * `scope` (who fetched it) is still the current scope: rows fetched for a sign-in or experiment
   * that has been left since must not be queried under the next one.
   */
  async loadView(name: string, ipc: Uint8Array, version: string, scope: ViewScope): Promise<void> {
    const conn = await this.connection();
    if (this.scope?.client !== scope.client || this.scope.experiment !== scope.experiment) {
      throw new Error(
        `"${name}" arrived after the sign-in or experiment changed, so it was not loaded. ` +
          'Fix: run the cell again.',
      );
    }
    conn.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
    conn.insertArrowFromIPCStream(ipc, { name, create: true });
    this.views.add(name);
    this.versions.set(name, version);
  }

  /** Creates (or replaces) an empty table with the given columns, for binding checks only. */
  async defineEmpty(
    name: string,
    columns: readonly { name: string; type: string }[],
  ): Promise<void> {
    const conn = await this.connection();
    const create = (typed: boolean): void => {
      const cols = columns
        .map((c) => `${quoteIdent(c.name)} ${typed ? sqlType(c.type) : 'VARCHAR'}`)
        .join(', ');
      conn.query(`CREATE OR REPLACE TABLE ${quoteIdent(name)} (${cols})`);
    };
    try {
      create(true);
    } catch {
      // A type DuckDB does not know: names matter for binding, so fall back to VARCHAR.
      create(false);
    }
    this.views.add(name);
  }

  /** Table names a statement refers to (DuckDB's own parser; no execution). */
  async tablesIn(sql: string): Promise<string[]> {
    const conn = await this.connection();
    try {
      return conn.getTableNames(sql);
    } catch (error) {
      throw sqlError(error, sql.length);
    }
  }

  /** Parses and binds a statement without running it (DuckDB's parser and binder). */
  async bind(sql: string): Promise<void> {
    const conn = await this.connection();
    const prefix = 'PREPARE privet_check AS ';
    try {
      conn.query(prefix + sql);
    } catch (error) {
      const e = sqlError(error, sql.length, prefix.length);
      throw e;
    } finally {
      try {
        conn.query('DEALLOCATE PREPARE privet_check');
      } catch {
        // Nothing was prepared.
      }
    }
  }

  /**
   * Runs SQL as a stream: the first MAX_RESULT_ROWS rows become display strings, the rest are
   * only counted (up to core's COUNT_ROWS_UP_TO, then the statement ends), so a huge result never
   * sits whole in memory. Columns are kept when there are no rows.
   */
  async query(sql: string): Promise<QueryResult> {
    const conn = await this.connection();
    const began = performance.now();
    try {
      const reader = (await sendQuietly(conn, sql)).open();
      return await readStreamedResult(reader, { keep: MAX_RESULT_ROWS, began });
    } catch (error) {
      throw rowSafeError(error, sql.length);
    }
  }
}

/**
 * conn.send with a streamed result. duckdb-wasm's send() writes a statement that fails while it
 * runs to console.log before rejecting with it, and DuckDB's message may quote row values: the
 * log is muted until send() answers (the caller still gets the error, and hides it).
 */
async function sendQuietly(
  conn: duckdb.DuckDBConnection,
  sql: string,
): Promise<RecordBatchStreamReader> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await conn.send(sql, true);
  } finally {
    console.log = log;
  }
}

/**
 * A failed statement as a SqlError; one that failed while reading rows (starting the statement
 * or streaming its result) says so without DuckDB's message, which may quote their values.
 */
function rowSafeError(error: unknown, length: number): SqlError {
  const e = sqlError(error, length);
  return mayQuoteRows(e.kind)
    ? new SqlError(rowErrorMessage(e.kind), e.kind, undefined, ROW_ERROR_FIX)
    : e;
}

async function startEngine(wasmDir: string): Promise<duckdb.DuckDBConnection> {
  const bundles: duckdb.DuckDBBundles = {
    mvp: { mainModule: `${wasmDir}/duckdb-mvp.wasm`, mainWorker: '' },
    eh: { mainModule: `${wasmDir}/duckdb-eh.wasm`, mainWorker: '' },
  };
  try {
    const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
    await db.instantiate();
    db.open({});
    const conn = db.connect();
    for (const statement of DUCKDB_WASM_LOCKDOWN) conn.query(statement);
    return conn;
  } catch (error) {
    throw new Error(
      `the Privet SQL engine (duckdb-wasm) failed to start from ${wasmDir} ` +
        `(${error instanceof Error ? error.message : String(error)}). ` +
        'Fix: reinstall the Privet extension (its dist/duckdb folder holds the engine).',
    );
  }
}

/** Policy column types (schema names) as DuckDB types; published types are DuckDB's already. */
const POLICY_TYPES: Record<string, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

/** Maps a column type to a DuckDB type for empty binding tables. */
function sqlType(type: string): string {
  const mapped = POLICY_TYPES[type.toLowerCase()];
  if (mapped) return mapped;
  return /^[A-Za-z][A-Za-z0-9_ (),]*$/.test(type) ? type : 'VARCHAR';
}

/** Unwraps DuckDB's error and finds the caret offset of its `LINE 1:` excerpt. */
function sqlError(error: unknown, length: number, prefixLength = 0): SqlError {
  const raw = error instanceof Error ? error.message : String(error);
  // Some calls (getTableNames) report JSON: {exception_type, exception_message, position}.
  try {
    const parsed = JSON.parse(raw) as {
      exception_type?: unknown;
      exception_message?: unknown;
      position?: unknown;
    };
    if (typeof parsed.exception_message === 'string') {
      const streamed = unwrapStreamedError(parsed.exception_message);
      if (streamed) return new SqlError(streamed.message, streamed.kind);
      const kind = typeof parsed.exception_type === 'string' ? parsed.exception_type : 'SQL';
      const position = Number(parsed.position);
      const offset =
        Number.isInteger(position) && position >= 0 && position <= length ? position : undefined;
      const message = parsed.exception_message.split('\n\nLINE ')[0]!.trim();
      return new SqlError(`${kind} Error: ${message}`, kind, offset);
    }
  } catch {
    // Plain text: DuckDB's usual message with a LINE 1 excerpt.
  }
  const first = raw.split('\n')[0] ?? raw;
  const kind = /^(\w[\w ]*?) Error:/.exec(first)?.[1] ?? 'SQL';
  const lines = raw.split('\n');
  let offset: number | undefined;
  const at = lines.findIndex((l) => l.startsWith('LINE 1: '));
  const caret = at >= 0 ? lines[at + 1]?.indexOf('^') : -1;
  if (caret !== undefined && caret >= 0) {
    const position = caret - 'LINE 1: '.length - prefixLength;
    // DuckDB shortens very long lines; only trust offsets inside the statement.
    if (position >= 0 && position <= length) offset = position;
  }
  const message = raw
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('LINE ') && l.trim() !== '^')
    .join(' ')
    .replace(/PREPARE privet_check AS /g, '');
  return new SqlError(message, kind, offset);
}
