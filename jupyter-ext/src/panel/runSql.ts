/**
 * Runs analyst SQL in the browser: finds the views a statement refers to (DuckDB's parser), loads
 * the ones not loaded yet from the gateway as Arrow IPC, then executes. Only published masked and
 * synthetic views can be loaded; dp views have no rows on the browser side by design.
 */
import { QueryStoppedError, downloadProgress, stopReasonOf } from '@privet/core/client/index';
import type { ViewSummary } from '@privet/core/protocol';
import type { GatewayClient } from '../client.js';
import type { QueryResult, SqlEngine } from '../engine.js';
import { whyUnusable, type Experiment } from '../experiment.js';
import { nextAsk } from './ask-order.js';
import { hasLoadableRows } from '@privet/core/client/view-query';

/** Progress messages shown while a query runs. */
export type Progress = (status: string) => void;

/**
 * Given the gateway's list of views when it differs from the one the run was given, with the
 * nextAsk() number of the request that listed them.
 */
export type FreshViews = (views: readonly ViewSummary[], asked: number) => void;

/**
 * Loads the views `sql` needs into the engine, then runs it; `signal` stops either (Stop, Esc).
 * When the run asked the gateway for its views and they differ from `views` (a view published,
 * re-published or withdrawn since), `onFreshViews` gets the new list, so the panel can show it.
 */
export async function runSql(
  engine: SqlEngine,
  client: GatewayClient,
  views: readonly ViewSummary[],
  experiment: Experiment | null,
  sql: string,
  progress: Progress,
  signal?: AbortSignal,
  onFreshViews?: FreshViews,
): Promise<QueryResult> {
  if (sql.trim() === '') throw new Error('the query is empty. Fix: type a SELECT statement.');
  if (!engine.isStarted) progress('Starting the in-browser SQL engine (first use)…');
  // Views loaded for another sign-in or experiment go before anything can read them.
  const scope = { client, experiment: experiment?.id ?? '' };
  await engine.enterScope(scope.client, scope.experiment);
  const tables = new Set((await engine.tablesIn(sql)).map((t) => t.toLowerCase()));
  const asked = nextAsk();
  const listed = await currentViews(client, views, tables, engine.loadedViews, signal);
  if (listed !== views && !sameViewVersions(listed, views)) onFreshViews?.(listed, asked);
  for (const name of tables) {
    if (engine.loadedViews.has(name) && !listed.some((v) => v.name === name)) {
      throw new Error(
        `"${name}" is no longer offered to you by the gateway (withdrawn or renamed since it was loaded). ` +
          'Fix: query the views listed in the panel (Refresh views to update the list).',
      );
    }
  }
  for (const view of listed) {
    if (!tables.has(view.name)) continue;
    const why = whyUnusable(experiment, view.name);
    if (why !== null || !experiment) {
      throw new Error(
        `"${view.name}" cannot be used: ${why}. Fix: pick an approved experiment that requested it.`,
      );
    }
    // A view re-published since it was loaded is fetched again (its Parquet hash changed).
    const version = viewVersion(view);
    if (engine.hasView(view.name, version)) continue;
    if (!hasLoadableRows(view)) {
      throw new Error(
        `"${view.name}" is a ${view.tier === 'dp' ? 'dp' : 'unpublished'} view and has no rows in the browser. ` +
          'Fix: query a masked or synthetic view (dp views answer aggregate queries on the gateway).',
      );
    }
    progress(`Loading ${view.name} from the gateway…`);
    const shown = downloadProgress(view.name, progress);
    const ipc = await client.viewArrow(view.name, experiment.id, {
      progress: shown,
      ...(signal ? { signal } : {}),
    });
    // Stopped while it downloaded: nothing is loaded.
    throwIfStopped(signal);
    await engine.loadView(view.name, ipc, version, scope);
  }
  progress('Running…');
  return engine.query(sql, signal);
}

/**
 * The gateway's current list of views when the statement names a view, so a view re-published
 * (or withdrawn) since the panel listed its views is seen at once; the panel's list (`shown`)
 * when it names none, or when the gateway cannot be asked (views already loaded still answer).
 */
async function currentViews(
  client: GatewayClient,
  shown: readonly ViewSummary[],
  tables: ReadonlySet<string>,
  loaded: ReadonlySet<string>,
  signal: AbortSignal | undefined,
): Promise<readonly ViewSummary[]> {
  const namesView = [...tables].some((t) => loaded.has(t) || shown.some((v) => v.name === t));
  if (!namesView) return shown;
  try {
    return (await client.listViews()).views;
  } catch {
    throwIfStopped(signal);
    return shown;
  }
}

/** Throws why `signal` stopped the run, if it did (the panel aborts with a QueryStoppedError). */
function throwIfStopped(signal: AbortSignal | undefined): void {
  const stopped = stopReasonOf(signal, () => new QueryStoppedError());
  if (stopped) throw stopped;
}

/**
 * True when two lists name the same views, in the same order, at the same published version and
 * publication time (what the cards show of a publication and what decides a reload of its rows).
 */
export function sameViewVersions(a: readonly ViewSummary[], b: readonly ViewSummary[]): boolean {
  return a.length === b.length && a.every((view, i) => versionKey(view) === versionKey(b[i]));
}

/** A view's name, published version and publication time, as one comparable string. */
function versionKey(view: ViewSummary | undefined): string {
  return view ? JSON.stringify([view.name, viewVersion(view), view.manifest?.publishedAt]) : '';
}

/** The published version of a view: its Parquet file's hash (publication time as a fallback). */
function viewVersion(view: ViewSummary): string {
  return view.manifest?.parquetHash ?? view.manifest?.publishedAt ?? '';
}
