/**
 * The browser's SQL engine: duckdb-wasm, started once, lazily, from this extension's own static
 * files (never a CDN), locked down before any user SQL runs: no extension autoloading or
 * installing, no file or network access, configuration locked. Views arrive as Arrow IPC streams.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import { PageConfig, URLExt } from '@jupyterlab/coreutils';
import {
  DUCKDB_WASM_LOCKDOWN,
  LoadedViews,
  QueryStoppedError,
  ROW_ERROR_FIX,
  mayQuoteRows,
  readStreamedResult,
  rowErrorMessage,
  unwrapStreamedError,
  type QueryResult,
} from '@privet/core/client/index';
import { quoteIdent } from '@privet/core/mask/sql';

export { quoteIdent, type QueryResult };

/** Rows shown of a result at most (the count of all rows is still reported). */
export const MAX_DISPLAY_ROWS = 1000;

/**
 * How long a stopped query may take to end after DuckDB is asked to cancel it (it checks between
 * steps of work) before the engine's worker is ended instead, losing its loaded views.
 */
export const STOP_GRACE_MS = 2000;

/** A started engine: its database (worker) and the one connection queries use. */
export interface Started {
  readonly db: duckdb.AsyncDuckDB;
  readonly conn: duckdb.AsyncDuckDBConnection;
}

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
  private started: Promise<Started> | null = null;
  private readonly views = new LoadedViews();
  /** The scope views are loaded for now (unset while it changes or after a failed change). */
  private scope: ViewScope | undefined;
  /** The version (Parquet hash) each loaded view was fetched at. */
  private readonly versions = new Map<string, string>();
  /** Scope changes and view loads, one at a time (each awaits the engine's worker). */
  private turn: Promise<unknown> = Promise.resolve();

  /** Creates an engine that starts duckdb-wasm with `starter` when first used. */
  constructor(private readonly starter: () => Promise<Started> = start) {}

  /** True once the engine has been asked to start. */
  get isStarted(): boolean {
    return this.started !== null;
  }

  /** Views already loaded into the engine. */
  get loadedViews(): ReadonlySet<string> {
    return this.views.loaded;
  }

  /** Starts duckdb-wasm on first call; later calls share the same connection. */
  async connection(): Promise<duckdb.AsyncDuckDBConnection> {
    return (await this.database()).conn;
  }

  /** The started engine (started now if it is not). */
  private database(): Promise<Started> {
    if (!this.started) {
      this.started = this.starter().catch((error: unknown) => {
        this.started = null;
        throw error;
      });
    }
    return this.started;
  }

  /**
   * Ends the engine's worker (a stopped query that would not end): its views are gone, so they
   * are fetched (and recorded by the gateway) again; the next call starts a new worker.
   */
  private discard(started: Promise<Started>): void {
    if (this.started !== started) return;
    this.started = null;
    this.views.clear();
    this.versions.clear();
    void started.then((s) => s.db.terminate()).catch(() => undefined);
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

  /**
   * Runs SQL and converts the first MAX_DISPLAY_ROWS rows to display strings; rows past them are
   * only counted (to a ceiling), never held. `signal` stops the query: DuckDB is asked to cancel
   * it, and if it has not ended within STOP_GRACE_MS the worker is ended instead. Queries take
   * turns with view loads, so a stopped query has ended before the next run loads anything.
   */
  query(sql: string, signal?: AbortSignal): Promise<QueryResult> {
    return this.inTurn(async () => {
      if (signal?.aborted) throw new QueryStoppedError();
      const started = this.database();
      const { conn } = await started;
      // Stopped while the engine started (its first use can take seconds): nothing is sent.
      if (signal?.aborted) throw new QueryStoppedError();
      const reading = readResult(conn, sql, signal);
      if (!signal) return reading;
      return new Promise<QueryResult>((resolve, reject) => {
        let grace: ReturnType<typeof setTimeout> | undefined;
        const stop = (): void => {
          conn.cancelSent().catch(() => false);
          grace = setTimeout(() => {
            this.discard(started);
            reject(new QueryStoppedError(RESTARTED));
          }, STOP_GRACE_MS);
        };
        signal.addEventListener('abort', stop, { once: true });
        reading.then(resolve, reject).finally(() => {
          clearTimeout(grace);
          signal.removeEventListener('abort', stop);
        });
      });
    });
  }
}

/** What a stop that had to end the engine's worker also did. */
const RESTARTED = 'the SQL engine was restarted, so views are loaded again on the next run';

/** Streams a statement's result: the first MAX_DISPLAY_ROWS rows kept, the rest counted. */
async function readResult(
  conn: duckdb.AsyncDuckDBConnection,
  sql: string,
  signal: AbortSignal | undefined,
): Promise<QueryResult> {
  const began = performance.now();
  try {
    const sent = await conn.send(sql, true);
    // duckdb-wasm answers nothing when its worker was ended meanwhile.
    if (!sent) throw new QueryStoppedError(RESTARTED);
    return await readStreamedResult(await sent.open(), {
      keep: MAX_DISPLAY_ROWS,
      stopped: () => signal?.aborted === true,
      began,
    });
  } catch (error) {
    if (error instanceof QueryStoppedError) throw error;
    if (signal?.aborted) throw new QueryStoppedError();
    throw sqlError(error, true);
  }
}

async function start(): Promise<Started> {
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
    return { db, conn };
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
      // A failure while the result streamed: DuckDB wraps the original error; its kind is shown.
      const streamed = unwrapStreamedError(parsed.exception_message);
      kind =
        streamed?.kind ??
        (typeof parsed.exception_type === 'string' ? parsed.exception_type : undefined);
      message = (kind ? `${kind} error: ` : '') + (streamed?.message ?? parsed.exception_message);
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
