/**
 * The notebook's SQL engine off the extension host's thread: a SqlEngine inside a Node worker
 * thread (engine-worker.ts), so a long query leaves VS Code responsive and can be stopped.
 * Stopping terminates the worker; the next call starts a fresh one. Who fetched each view (the
 * client object and experiment) stays here, on the host: the worker only loads and drops tables.
 */
import { Worker } from 'node:worker_threads';
import { LoadedViews } from '@privet/core/client/index';
import type { QueryResult } from '@privet/core/client/index';
import { SqlError, type ViewScope } from './sql-error.js';

/** What the host asks the engine worker to do. */
export type EngineCall =
  | { op: 'drop'; name: string }
  | { op: 'load'; name: string; ipc: Uint8Array }
  | { op: 'tablesIn'; sql: string }
  | { op: 'query'; sql: string };

/** A call as sent to the worker; `id` pairs it with its reply. */
export type EngineRequest = EngineCall & { id: number };

/** What a call answers: a query's result, a statement's table names, or nothing. */
export type EngineValue = QueryResult | string[] | null;

/** A failure sent back as data (a SqlError's fields, or a plain error's message). */
export type EngineErrorData =
  | { type: 'SqlError'; message: string; kind: string; offset?: number; fix?: string }
  | { type: 'Error'; message: string };

/** The worker's reply to one request. */
export type EngineReply =
  { id: number; ok: true; value: EngineValue } | { id: number; ok: false; error: EngineErrorData };

/** What the worker is started with (workerData). */
export interface EngineWorkerData {
  readonly wasmDir: string;
}

/** Where the worker entry is and how Node starts it (tests run the .ts entry through tsx). */
export interface EngineWorkerOptions {
  /** dist/sql-worker.cjs in the extension; the engine-worker.ts source in tests. */
  readonly script: string | URL;
  /** Node options of the worker thread, e.g. `['--conditions=privet-source', '--import', 'tsx']`. */
  readonly execArgv?: readonly string[];
}

/** The error of a call stopped by interrupt() (Stop in the notebook). */
export function stoppedError(): SqlError {
  return new SqlError(
    'the query was stopped (Stop in the notebook); loaded views are fetched again on the next run',
    'Interrupt',
    undefined,
    'add a LIMIT or an aggregate to make the query smaller, then run the cell again',
  );
}

/** Rebuilds a failure sent as data as the same SqlError or Error. */
export function fromErrorData(data: EngineErrorData): Error {
  if (data.type === 'SqlError') return new SqlError(data.message, data.kind, data.offset, data.fix);
  return new Error(data.message);
}

interface Pending {
  resolve(value: EngineValue): void;
  reject(error: Error): void;
}

/** A SqlEngine in a worker thread, with the cell runner's async methods and interrupt(). */
export class WorkerSqlEngine {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private views = new LoadedViews();
  /** The scope views are loaded for now (unset while it changes, or after a restart). */
  private scope: ViewScope | undefined;
  private versions = new Map<string, string>();
  private disposed = false;

  /** `wasmDir` holds the duckdb-wasm files; `options` say how to start the worker. */
  constructor(
    private readonly wasmDir: string,
    private readonly options: EngineWorkerOptions,
  ) {}

  /** Views (tables) loaded into the current worker so far. */
  get loadedViews(): ReadonlySet<string> {
    return this.views.loaded;
  }

  /** Like SqlEngine.enterScope: views of another sign-in or experiment are dropped first. */
  async enterScope(client: object, experiment: string): Promise<void> {
    this.scope = undefined;
    await this.views.enter(client, experiment, (name) => this.call({ op: 'drop', name }));
    this.scope = { client, experiment };
  }

  /** True when `name` is loaded, at `version`, for the current scope (in the current worker). */
  hasView(name: string, version: string): boolean {
    return this.views.loaded.has(name) && this.versions.get(name) === version;
  }

  /**
   * Like SqlEngine.loadView, if `scope` is still the current scope when the load ends. The bytes
   * of `ipc` are moved to the worker when they fill their buffer: `ipc` is unusable afterwards.
   */
  async loadView(name: string, ipc: Uint8Array, version: string, scope: ViewScope): Promise<void> {
    const views = this.views;
    const current = (): boolean =>
      this.views === views &&
      this.scope?.client === scope.client &&
      this.scope.experiment === scope.experiment;
    const late = (): Error =>
      new Error(
        `"${name}" arrived after the sign-in or experiment changed, so it was not loaded. ` +
          'Fix: run the cell again.',
      );
    if (!current()) throw late();
    // Noted before it is sent, so a scope change meanwhile drops it after the load (in order).
    this.versions.delete(name);
    views.add(name);
    await this.call({ op: 'load', name, ipc });
    if (!current()) throw late();
    this.versions.set(name, version);
  }

  /** Table names a statement refers to (DuckDB's parser, in the worker). */
  async tablesIn(sql: string): Promise<string[]> {
    return (await this.call({ op: 'tablesIn', sql })) as string[];
  }

  /** Runs SQL in the worker; the result is SqlEngine.query's (rows already as display strings). */
  async query(sql: string): Promise<QueryResult> {
    return (await this.call({ op: 'query', sql })) as QueryResult;
  }

  /**
   * Stops the running statement by terminating the worker: its calls reject with the stopped
   * error, every loaded view is forgotten, and the next call starts a fresh worker. False when
   * nothing was running.
   */
  interrupt(): boolean {
    if (this.pending.size === 0) return false;
    this.stop(stoppedError());
    return true;
  }

  /** Terminates the worker; later calls fail. */
  dispose(): void {
    this.disposed = true;
    this.stop(
      new Error(
        'the Privet SQL engine was closed (the extension is shutting down). ' +
          'Fix: reload the window, then run the cell again.',
      ),
    );
  }

  /** Ends the current worker, failing its calls with `error`, and forgets what it had loaded. */
  private stop(error: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    this.reset(error);
    if (worker) void worker.terminate();
  }

  private reset(error: Error): void {
    this.views = new LoadedViews();
    this.versions = new Map();
    this.scope = undefined;
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(error);
  }

  /** Sends one request (starting the worker if needed) and waits for its reply. */
  private call(request: EngineCall): Promise<EngineValue> {
    if (this.disposed) {
      return Promise.reject(
        new Error(
          'the Privet SQL engine was closed. Fix: reload the window, then run the cell again.',
        ),
      );
    }
    const worker = this.started();
    const id = ++this.nextId;
    const message: EngineRequest = { ...request, id };
    return new Promise<EngineValue>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      const ipc = message.op === 'load' ? message.ipc : undefined;
      // Arrow bytes that fill their own buffer are moved, not copied (the worker owns them then).
      const movable =
        ipc !== undefined &&
        ipc.buffer instanceof ArrayBuffer &&
        ipc.byteOffset === 0 &&
        ipc.byteLength === ipc.buffer.byteLength;
      try {
        worker.postMessage(message, movable ? [ipc.buffer as ArrayBuffer] : []);
      } catch {
        worker.postMessage(message);
      }
    });
  }

  /** The running worker, started (with its listeners) on first use and after a stop or crash. */
  private started(): Worker {
    if (this.worker) return this.worker;
    const data: EngineWorkerData = { wasmDir: this.wasmDir };
    const worker = new Worker(this.options.script, {
      workerData: data,
      execArgv: [...(this.options.execArgv ?? [])],
    });
    worker.unref();
    this.worker = worker;
    let failure = '';
    worker.on('message', (reply: EngineReply) => {
      if (this.worker !== worker) return;
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) call.resolve(reply.value);
      else call.reject(fromErrorData(reply.error));
    });
    worker.on('error', (error: Error & { code?: unknown }) => {
      // Only the kind of failure: a message from inside the engine could quote row values.
      failure = typeof error.code === 'string' ? error.code : error.name;
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.reset(crashError(code, failure));
    });
    return worker;
  }
}

/** The error of calls pending when the worker exited on its own (e.g. out of memory). */
function crashError(code: number, failure: string): SqlError {
  return new SqlError(
    `the Privet SQL engine stopped unexpectedly (exit code ${code}${failure ? `, ${failure}` : ''}), ` +
      'for example out of memory; loaded views are fetched again on the next run',
    'Engine',
    undefined,
    'run the cell again; if it stops again, add a LIMIT or an aggregate to make the query smaller',
  );
}
