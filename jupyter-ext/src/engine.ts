/**
 * The browser's SQL engine: duckdb-wasm, started once, lazily, from this extension's own static
 * files (never a CDN), locked down before any user SQL runs: no extension autoloading or
 * installing, no file or network access, configuration locked. Views arrive as Arrow IPC streams.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import type { Table } from 'apache-arrow';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import {
  DUCKDB_WASM_LOCKDOWN,
  LoadedViews,
  ROW_ERROR_FIX,
  mayQuoteRows,
  rowErrorMessage,
  toQueryResult,
  type QueryResult,
} from '@privet/core/client/index';
import { quoteIdent } from '@privet/core/mask/sql';

export { quoteIdent, type QueryResult };

/** Rows shown of a result at most (the count of all rows is still reported). */
export const MAX_DISPLAY_ROWS = 1000;

/** URL of a file in this extension's static folder, as served by Jupyter. */
function staticUrl(file: string): string {
  const base =
    PageConfig.getOption('fullLabextensionsUrl') ||
    URLExt.join(PageConfig.getBaseUrl(), 'lab/extensions');
  const path = URLExt.join(base, '@privet/jupyter-ext', 'static', 'duckdb', file);
  return new URL(path, window.location.href).href;
}

/** Who views are loaded for: one sign-in (its client object) and one experiment. */
export interface ViewScope {
  readonly client: object;
  readonly experiment: string;
}

/** One locked-down duckdb-wasm database per browser tab, with the views loaded so far. */
export class SqlEngine {
  private started: Promise<duckdb.AsyncDuckDBConnection> | null = null;
  private readonly views = new LoadedViews();
  /** The scope views are loaded for now (unset while it changes or after a failed change). */
  private scope: ViewScope | undefined;
  /** The version (Parquet hash) each loaded view was fetched at. */
  private readonly versions = new Map<string, string>();
  /** Scope changes and view loads, one at a time (each awaits the engine's worker). */
  private turn: Promise<unknown> = Promise.resolve();

  /** True once the engine has been asked to start. */
  get isStarted(): boolean {
    return this.started !== null;
  }

  /** Views already loaded into the engine. */
  get loadedViews(): ReadonlySet<string> {
    return this.views.loaded;
  }

  /** Starts duckdb-wasm on first call; later calls share the same connection. */
  connection(): Promise<duckdb.AsyncDuckDBConnection> {
    if (!this.started) {
      this.started = start().catch((error: unknown) => {
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
    await this.inTurn(async () => {
      this.scope = undefined;
      await this.views.enter(client, experiment, async (name) => {
        const conn = await this.connection();
        await conn.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
      });
      this.scope = { client, experiment };
    });
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
    await this.inTurn(async () => {
      if (this.scope?.client !== scope.client || this.scope.experiment !== scope.experiment) {
        throw new Error(
          `"${name}" arrived after the sign-in or experiment changed, so it was not loaded. ` +
            'Fix: run the query again.',
        );
      }
      const conn = await this.connection();
      await conn.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
      await conn.insertArrowFromIPCStream(ipc, { name, create: true });
      this.views.add(name);
      this.versions.set(name, version);
    });
  }

  /** Runs `work` after the scope changes and loads queued before it have ended. */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const done = this.turn.then(work, work);
    this.turn = done.catch(() => undefined);
    return done;
  }

  /** Table names a statement refers to (DuckDB's own parser; no execution). */
  async tablesIn(sql: string): Promise<string[]> {
    const conn = await this.connection();
    try {
      return await conn.getTableNames(sql);
    } catch (error) {
      throw sqlError(error);
    }
  }

  /** Runs SQL and converts the first MAX_DISPLAY_ROWS rows to display strings. */
  async query(sql: string): Promise<QueryResult> {
    const conn = await this.connection();
    const began = performance.now();
    let table: unknown;
    try {
      table = await conn.query(sql);
    } catch (error) {
      throw sqlError(error, true);
    }
    const elapsedMs = performance.now() - began;
    return toQueryResult(table as Table, { maxRows: MAX_DISPLAY_ROWS, elapsedMs });
  }
}

async function start(): Promise<duckdb.AsyncDuckDBConnection> {
  const features = await duckdb.getPlatformFeatures();
  if (!features.wasmExceptions) {
    throw new Error(
      'this browser lacks WebAssembly exceptions, which the bundled SQL engine needs. ' +
        'Fix: use a current Chromium, Firefox or Safari.',
    );
  }
  const worker = new Worker(staticUrl('duckdb-browser-eh.worker.js'));
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  try {
    await db.instantiate(staticUrl('duckdb-eh.wasm'));
    await db.open({});
    const conn = await db.connect();
    for (const statement of DUCKDB_WASM_LOCKDOWN) await conn.query(statement);
    return conn;
  } catch (error) {
    await db.terminate();
    throw new Error(
      `the in-browser SQL engine failed to start (${error instanceof Error ? error.message : String(error)}). ` +
        'Fix: reload the page; if it persists, reinstall the Privet extension.',
    );
  }
}

/** How to fix a statement DuckDB refused. */
const STATEMENT_FIX =
  'check the SQL; query the masked and synthetic views listed above by name ' +
  '(file, network and extension access are disabled in this engine)';

/** A failed statement: DuckDB's message, readable, with how to fix it. */
export class SqlError extends Error {
  /** Creates an error with DuckDB's message and how to fix the statement. */
  constructor(
    message: string,
    readonly fix: string = STATEMENT_FIX,
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

/**
 * duckdb-wasm reports errors as JSON text ({exception_type, exception_message}); unwrap it. When
 * the statement failed while reading rows (`ran`: a cast, error(), an overflow), DuckDB's message
 * can quote their values, so only its kind is shown.
 */
function sqlError(error: unknown, ran = false): SqlError {
  const raw = error instanceof Error ? error.message : String(error);
  let kind: string | undefined;
  let message = raw;
  try {
    const parsed = JSON.parse(raw) as { exception_type?: unknown; exception_message?: unknown };
    if (typeof parsed.exception_message === 'string') {
      kind = typeof parsed.exception_type === 'string' ? parsed.exception_type : undefined;
      message = (kind ? `${kind} error: ` : '') + parsed.exception_message;
    }
  } catch {
    // Not JSON: DuckDB's plain message ("Binder Error: …").
    kind = /^(\w[\w ]*?) Error:/.exec(raw)?.[1];
  }
  if (ran && mayQuoteRows(kind ?? '')) {
    return new SqlError(rowErrorMessage(kind ?? 'execution'), ROW_ERROR_FIX);
  }
  return new SqlError(message);
}
