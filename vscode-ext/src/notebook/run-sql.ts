/**
 * What running one Privet SQL cell means, free of any VS Code API so it is tested against a real
 * gateway: masked and synthetic views are fetched as Arrow IPC (inside the experiment) into the
 * local duckdb-wasm and queried there; DP views go to the gateway, first as a free dry run and
 * only on "Run and Spend" for real. Every output passes core's checkOutput (with the small-cell
 * threshold and image setting of the gateway's policy) before it is returned;
 * a flagged one is shown only when a reviewer approved exactly its content (POST /reviews/status);
 * otherwise it is replaced by a placeholder and the original is only kept for a review request.
 */
import {
  checkOutput,
  releaseContentText,
  viewUsedOf,
  type NotebookOutput,
  type ViewSummary,
} from '@privet/core';
import type { DpDryRunWithBudget, DpRelease } from '@privet/core/protocol';
import { GatewayError, type GatewayClient } from '../client/gateway.js';
import { downloadProgress, type QueryResult } from '@privet/core/client/index';
import {
  SqlError,
  stoppedBeforeQueryError,
  stoppedDpError,
  type ViewScope,
} from '../sql/sql-error.js';
import {
  dpBudgetFields,
  dpQueryText,
  parseDpOptions,
  type DpOptionProblem,
} from '../sql/dp-options.js';
import { Approvals } from './approvals.js';
import { displaySettings, type DisplayRules } from '@privet/core';
import { HeldOutputs } from './held.js';
import { DRY_RUN_TIME_LIMIT_MS, dryRunTimedOut } from '@privet/core/client/time-limits';
import { dryRunOutput } from './dry-run-output.js';
import { errorOutput, placeholderOutput, releaseOutput, tableOutput } from './outputs.js';

/** What a cell run produced. */
export type CellRunResult =
  | { kind: 'rows'; outputs: NotebookOutput[] }
  | { kind: 'withheld'; outputs: NotebookOutput[]; heldId: string }
  | { kind: 'dryRun'; outputs: NotebookOutput[]; dryRun: DpDryRunWithBudget; epsilon: string }
  | { kind: 'release'; outputs: NotebookOutput[]; release: DpRelease }
  | { kind: 'error'; outputs: NotebookOutput[] };

/** What a cell run needs of a local engine: SqlEngine, or WorkerSqlEngine (off the host thread). */
export interface CellEngine {
  /** Makes `client` and `experiment` the owners of the views loaded from now on. */
  enterScope(client: object, experiment: string): Promise<void>;
  /** Table names a statement refers to. */
  tablesIn(sql: string): Promise<string[]>;
  /** True when `name` is loaded, at `version`, for the current scope. */
  hasView(name: string, version: string): boolean;
  /** Loads a view's Arrow IPC stream, if `scope` is still the current scope. */
  loadView(name: string, ipc: Uint8Array, version: string, scope: ViewScope): Promise<void>;
  /** Runs SQL locally. */
  query(sql: string): Promise<QueryResult>;
}

/** Runs Privet SQL cells for one user in one experiment. */
export class SqlCellRunner {
  /** The content text (`releaseContentText`) of each release the gateway sent this runner, by id. */
  private readonly releases = new Map<string, string>();
  /**
   * Hears each unexpected failure (neither a gateway nor a SQL error) a run turned into an error
   * output, whose fix points at the "Privet" output channel: the controller logs it there.
   */
  onUnexpectedError: ((error: unknown) => void) | undefined;

  /** Creates a runner over a gateway client, a local engine and the current experiment. */
  constructor(
    readonly client: GatewayClient,
    private readonly engine: CellEngine,
    readonly experiment: string,
    /** Where withheld originals are kept for "Request Review". */
    readonly held: HeldOutputs = new HeldOutputs(),
    /** Which flagged contents reviewers approved. */
    readonly approvals: Approvals = new Approvals(),
    /** The review settings of the gateway's policy (undefined: core's defaults). */
    readonly rules?: DisplayRules,
    /** How long a DP dry run may wait for the gateway (tests shorten it). */
    readonly dryRunLimitMs: number = DRY_RUN_TIME_LIMIT_MS,
  ) {}

  /**
   * Runs one cell: local query over masked/synthetic views, or a DP dry run. When `signal` aborts
   * (Stop in the notebook) a view download ends at once, nothing is loaded or run after it, and
   * the cell fails saying it was stopped. `progress` hears how far each view download is.
   */
  async run(
    sql: string,
    signal?: AbortSignal,
    progress?: (text: string) => void,
  ): Promise<CellRunResult> {
    try {
      // Views loaded for another sign-in or experiment go before anything can read them.
      await this.engine.enterScope(this.client, this.experiment);
      const views = await this.viewMap();
      const tables = await this.engine.tablesIn(sql);
      throwIfStopped(signal);
      // Awaited here, so a failed (or stopped) query becomes an error output like any other.
      if (tables.length === 0) return await this.local(sql, []);
      // DuckDB names are case-insensitive, quoted or not (`"People_Masked"` is people_masked), and
      // the gateway lowercases them too: look views up by the lowercased name.
      const unknown = tables.filter((t) => !views.has(t.toLowerCase()));
      if (unknown.length > 0) {
        return errorResult(
          'UnknownView',
          `the cell names ${unknown.map((t) => `"${t}"`).join(', ')}, which is not an approved view`,
          `query the views listed in the Privet sidebar (${[...views.keys()].join(', ')})`,
        );
      }
      const used = [...new Set(tables.map((t) => views.get(t.toLowerCase())!))];
      const dp = used.filter((v) => v.tier === 'dp');
      if (dp.length > 0 && dp.length < used.length) {
        return errorResult(
          'MixedTiers',
          'the cell mixes a dp view with row-level views',
          'query dp views in their own cell (they run on the gateway)',
        );
      }
      if (dp.length > 0) return await this.dryRun(sql, signal);
      const scope = { client: this.client, experiment: this.experiment };
      for (const view of used) {
        // A view re-published since it was loaded is fetched again (its Parquet hash changed).
        const version = viewVersion(view);
        if (!this.engine.hasView(view.name, version)) {
          const ipc = await this.download(view.name, signal, progress);
          // A download that ended as the user stopped the run is not loaded.
          throwIfStopped(signal);
          await this.engine.loadView(view.name, ipc, version, scope);
        }
      }
      throwIfStopped(signal);
      return await this.local(sql, used);
    } catch (error) {
      return this.failed(error);
    }
  }

  /**
   * A view's Arrow IPC stream from the gateway. `signal` ends the download; a stop fails at once
   * with the stopped error even if the client does not honour the signal (its bytes are dropped).
   */
  private async download(
    name: string,
    signal: AbortSignal | undefined,
    report: ((text: string) => void) | undefined,
  ): Promise<Uint8Array> {
    const progress = report ? { progress: downloadProgress(name, report) } : {};
    if (!signal) return this.client.viewArrow(name, this.experiment, progress);
    throwIfStopped(signal);
    try {
      const download = this.client.viewArrow(name, this.experiment, { signal, ...progress });
      return await untilStopped(download, signal);
    } catch (error) {
      throw signal.aborted ? stoppedBeforeQueryError() : error;
    }
  }

  /**
   * Spends budget on a DP query after its dry run (`planHash`: the plan it priced, which the gateway
   * holds the run to); the release passes checkOutput too. `signal` (Stop in the notebook) stops
   * waiting: the gateway then refunds a run it had not answered.
   */
  async runAndSpend(sql: string, signal?: AbortSignal, planHash?: string): Promise<CellRunResult> {
    try {
      const body = this.dpBody(sql);
      if ('refused' in body) return body.refused;
      const result = await this.sendDp(
        { ...body, dryRun: false, ...(planHash ? { planHash } : {}) },
        signal,
      );
      if (result.dryRun) throw new Error('the gateway answered a dry run to a real query');
      this.releases.set(result.release.releaseId, releaseContentText(result.release));
      const output = releaseOutput(result.release);
      const gated = await this.gate(output, sql, []);
      if (gated) return gated;
      return { kind: 'release', outputs: [output], release: result.release };
    } catch (error) {
      return this.failed(error);
    }
  }

  /** A failure as an error output; an unexpected one is told to onUnexpectedError (for the log). */
  private failed(error: unknown): CellRunResult {
    if (!(error instanceof GatewayError) && !(error instanceof SqlError))
      this.onUnexpectedError?.(error);
    return failure(error);
  }

  private async dryRun(sql: string, signal: AbortSignal | undefined): Promise<CellRunResult> {
    const body = this.dpBody(sql);
    if ('refused' in body) return body.refused;
    // A dry run only prices the query: it waits less than a run (core's DRY_RUN_TIME_LIMIT_MS).
    const limit = AbortSignal.timeout(this.dryRunLimitMs);
    let result: Awaited<ReturnType<GatewayClient['dpQuery']>>;
    try {
      result = await this.sendDp(
        { ...body, dryRun: true },
        signal ? AbortSignal.any([signal, limit]) : limit,
      );
    } catch (error) {
      throw limit.aborted && !signal?.aborted ? dryRunTimedOut(this.dryRunLimitMs) : error;
    }
    if (!result.dryRun) throw new Error('the gateway spent budget on a dry run');
    const dryRun = result as DpDryRunWithBudget;
    return {
      kind: 'dryRun',
      outputs: [dryRunOutput(dryRun)],
      dryRun,
      epsilon: String(body.epsilon ?? ''),
    };
  }

  /** POST /dp/query; a stop (`signal`) fails it with what the stop cost. */
  private async sendDp(
    body: Parameters<GatewayClient['dpQuery']>[0],
    signal: AbortSignal | undefined,
  ): ReturnType<GatewayClient['dpQuery']> {
    try {
      return await this.client.dpQuery(body, signal ? { signal } : {});
    } catch (error) {
      throw signal?.aborted ? stoppedDpError(body.dryRun !== true) : error;
    }
  }

  /** The POST /dp/query body of a cell, or its refusal when a `-- privet:` option is malformed. */
  private dpBody(
    sql: string,
  ):
    | { experiment: string; sql: string; epsilon?: string; delta?: string; accuracy?: string }
    | { refused: CellRunResult } {
    const { options, problems } = parseDpOptions(sql);
    if (problems.length > 0) return { refused: optionsRefusal(problems) };
    return { experiment: this.experiment, sql: dpQueryText(sql), ...dpBudgetFields(options) };
  }

  private async local(sql: string, used: ViewSummary[]): Promise<CellRunResult> {
    const output = tableOutput(await this.engine.query(sql));
    const gated = await this.gate(output, sql, used);
    if (gated) return gated;
    return { kind: 'rows', outputs: [output] };
  }

  /**
   * checkOutput in display mode, with the gateway's policy rules; a flagged or blocked output not
   * approved becomes a placeholder.
   */
  private async gate(
    output: NotebookOutput,
    sql: string,
    used: ViewSummary[],
  ): Promise<CellRunResult | undefined> {
    const review = checkOutput(output, {
      viewsUsed: used.map(viewUsedOf),
      knownRelease: (id, content) => this.releases.get(id) === content,
      mode: 'display',
      policy: displaySettings(this.rules),
    });
    if (review.verdict === 'pass') return undefined;
    // A SQL cell's result is one display output: no stream parts before it.
    if (await this.approvals.isApproved(this.client, this.experiment, output, '')) return undefined;
    const heldId = this.held.hold({
      output,
      review,
      cellSource: sql,
      viewsUsed: used.map((v) => v.name),
    });
    return { kind: 'withheld', outputs: [placeholderOutput(review, heldId)], heldId };
  }

  /** The views as the gateway lists them now (each run: views are published and re-published). */
  private async viewMap(): Promise<Map<string, ViewSummary>> {
    const { views } = await this.client.listViews();
    return new Map(views.map((v) => [v.name.toLowerCase(), v]));
  }
}

/** Fails with the stopped error once `signal` (Stop in the notebook) has aborted. */
function throwIfStopped(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw stoppedBeforeQueryError();
}

/** `work`'s outcome, or the stopped error as soon as `signal` aborts (`work` is not waited for). */
function untilStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = (): void => reject(stoppedBeforeQueryError());
    signal.addEventListener('abort', stop, { once: true });
    // Settles (and so handles) `work` either way; a late outcome after a stop goes nowhere.
    void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/** The published version of a view: its Parquet file's hash (publication time as a fallback). */
function viewVersion(view: ViewSummary): string {
  return view.manifest?.parquetHash ?? view.manifest?.publishedAt ?? '';
}

/** A cell whose `-- privet:` options are malformed: refused before the gateway prices it. */
function optionsRefusal(problems: DpOptionProblem[]): CellRunResult {
  return errorResult(
    'DpOptionError',
    `the cell's -- privet: line is malformed: ${problems.map((p) => p.message).join('; ')}`,
    [...new Set(problems.map((p) => p.fix))].join('; '),
  );
}

function errorResult(name: string, message: string, fix: string): CellRunResult {
  return { kind: 'error', outputs: [errorOutput(name, message, fix)] };
}

/** Any failure as an error output that says what happened and how to fix it. */
function failure(error: unknown): CellRunResult {
  if (error instanceof GatewayError)
    return errorResult(`Privet ${error.code}`, error.message, error.fix);
  if (error instanceof SqlError) {
    return errorResult(
      `${error.kind} error`,
      error.message,
      error.fix ??
        'check the SQL; only approved views can be queried (file, network and extension access are off)',
    );
  }
  return errorResult(
    'PrivetError',
    error instanceof Error ? error.message : String(error),
    'run the cell again; if it fails again, the details are in the "Privet" output channel (View: Output, then "Privet")',
  );
}
