/**
 * SQL analysis for the language server, by DuckDB's own parser and binder (duckdb-wasm holding
 * empty tables shaped like the approved views; no hand-written parser) and the gateway's DP dry
 * run (the engine's own refusal reasons). Finds: syntax errors, unknown views, raw sources named,
 * views the selected experiment did not request or not published yet, unknown or policy-dropped
 * columns, refused functions (file/network access), malformed `-- privet:` options, refused DP
 * queries, DP queries the budget cannot pay (above the per-query limit or more than is left), and
 * notes a DP query checked only here because no experiment is selected.
 */
import type { DpDryRunWithBudget, ViewSummary } from '@privet/core/protocol';
import { budgetShortfall } from '@privet/core/client/budget-shortfall';
import { isQueryable } from '@privet/core/client/view-query';
import { allowsDataAccess } from '@privet/core/record/lifecycle';
import type { LifecycleState } from '@privet/core/record/types';
import { GatewayError, type Experiment, type GatewayClient } from '../client/gateway.js';
import { dpBudgetFields, dpQueryText, parseDpOptions } from '../sql/dp-options.js';
import { SqlError, type SqlEngine } from '../sql/engine.js';

/** One problem in a SQL text, by 0-based offsets. */
export interface SqlProblem {
  start: number;
  end: number;
  severity: 'error' | 'warning' | 'information';
  code: string;
  message: string;
}

/** What the analysis found, plus the dry run of a DP query (for hovers). */
export interface SqlAnalysis {
  problems: SqlProblem[];
  dryRun?: DpDryRunWithBudget;
  /** The views the SQL names, by their policy names (lowercase, each once). */
  tables: string[];
}

/** Offset of a whole-word, case-insensitive match of `word` in `text` (or -1). */
export function findWord(text: string, word: string): number {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[^A-Za-z0-9_])(${escaped})(?![A-Za-z0-9_])`, 'i').exec(text);
  return m ? m.index + (m[1]?.length ?? 0) : -1;
}

/** The palette name of the command that picks an experiment (package.json contributes.commands). */
export const SELECT_EXPERIMENT_COMMAND = 'Privet: Select Experiment';

/** How long the gateway's view list and experiment record are trusted before they are read again. */
export const CATALOG_TTL_MS = 30_000;

/** The fix the gateway gives for each lifecycle state that allows no data access. */
const INACTIVE_FIX: Partial<Record<LifecycleState, string>> = {
  proposal: 'ask a steward to approve it',
  rejected: 'propose a revised experiment',
  evaluation: 'evaluate the results already released',
  dissolved: 'propose a new experiment',
};

/** Whether the selected experiment (none selected: any) requested the view. */
function requestedBy(experiment: Experiment | undefined, view: ViewSummary): boolean {
  return !experiment || experiment.views.includes(view.name);
}

/** What the gateway lists for the signed-in user: every view, and the selected experiment. */
interface Catalog {
  /** Every policy view by lowercased name (DuckDB names are case-insensitive, quoted or not). */
  views: Map<string, ViewSummary>;
  /** The selected experiment as GET /experiments lists it (undefined when not listed). */
  experiment: Experiment | undefined;
}

/** Analyses SQL cells against one gateway and experiment. */
export class SqlAnalyzer {
  private catalog: { at: number; value: Promise<Catalog> } | undefined;

  /** Creates an analyzer over a gateway client (or none when signed out) and an engine. */
  constructor(
    private readonly client: GatewayClient | undefined,
    private readonly engine: SqlEngine,
    private readonly experiment: string | undefined,
    /** How long a read of the views and the experiment is reused (a steward may publish meanwhile). */
    private readonly catalogTtlMs: number = CATALOG_TTL_MS,
  ) {}

  /** The policy's views by lowercased name (defined as empty tables in the engine when read). */
  async viewMap(): Promise<Map<string, ViewSummary>> {
    return (await this.readCatalog()).views;
  }

  /**
   * The views a query can read, for completion: published (dp views never need to be) and, when
   * an experiment is selected, among those it requested — what a Run would not refuse.
   */
  async completionViews(): Promise<ViewSummary[]> {
    const { views, experiment } = await this.readCatalog();
    return [...views.values()].filter((v) => isQueryable(v) && requestedBy(experiment, v));
  }

  /** GET /views and the selected experiment, reused for catalogTtlMs; a failed read is not kept. */
  private readCatalog(): Promise<Catalog> {
    const now = Date.now();
    if (!this.catalog || now - this.catalog.at > this.catalogTtlMs) {
      const value = this.fetchCatalog();
      const entry = { at: now, value };
      this.catalog = entry;
      value.catch(() => {
        if (this.catalog === entry) this.catalog = undefined;
      });
    }
    return this.catalog.value;
  }

  private async fetchCatalog(): Promise<Catalog> {
    if (!this.client) return { views: new Map(), experiment: undefined };
    const [{ views }, experiments] = await Promise.all([
      this.client.listViews(),
      this.experiment ? this.client.listExperiments() : undefined,
    ]);
    for (const v of views) await this.engine.defineEmpty(v.name, v.columns);
    return {
      views: new Map(views.map((v) => [v.name.toLowerCase(), v])),
      experiment: experiments?.experiments.find((e) => e.id === this.experiment),
    };
  }

  /** Analyses one SQL text (comment lines `-- privet: epsilon=…` set DP options). */
  async analyze(sql: string): Promise<SqlAnalysis> {
    const body = sql.trim();
    if (body === '' || body.split('\n').every((l) => /^\s*(--.*)?$/.test(l)))
      return { problems: [], tables: [] };
    const catalog = await this.readCatalog();
    const views = catalog.views;
    let named: string[];
    try {
      named = await this.engine.tablesIn(sql);
    } catch (error) {
      const p = problemFrom(error, sql, 'syntax');
      return { problems: [this.explain(p, sql, [], views)], tables: [] };
    }
    const problems: SqlProblem[] = [];
    // DuckDB resolves names case-insensitively, quoted or not, and the gateway lowercases them
    // (core/src/dpsql/scope.ts): `PEOPLE_DP` and `"People_Dp"` are people_dp.
    const sources = new Set([...views.values()].map((v) => v.source.toLowerCase()));
    for (const t of new Set(named)) {
      const key = t.toLowerCase();
      if (views.has(key)) continue;
      const at = Math.max(0, findWord(sql, t));
      const raw = sources.has(key);
      const names = [...views.values()]
        .filter((v) => v.source.toLowerCase() === key)
        .map((v) => v.name);
      problems.push({
        start: at,
        end: at + t.length,
        severity: 'error',
        code: raw ? 'raw-source' : 'unknown-view',
        message: raw
          ? `"${t}" is a raw source: raw rows never leave the gateway. Fix: query an approved view of it (${names.join(', ')})`
          : `"${t}" is not an approved view. Fix: use one of ${[...views.values()].map((v) => v.name).join(', ') || '(sign in to list views)'}`,
      });
    }
    // Policy view names are lowercase identifiers, so a lowercased name is the view's own name.
    const tables = [...new Set(named.map((t) => t.toLowerCase()))].filter((t) => views.has(t));
    if (problems.length > 0) return { problems, tables };
    problems.push(...this.accessProblems(sql, tables, catalog));
    const dp = tables.filter((t) => views.get(t)?.tier === 'dp');
    if (dp.length > 0) {
      const { problems: optionProblems } = parseDpOptions(sql);
      problems.push(
        ...optionProblems.map((p): SqlProblem => ({
          start: p.start,
          end: p.end,
          severity: 'error',
          code: 'dp-option',
          message: `${p.message}. Fix: ${p.fix}`,
        })),
      );
      if (problems.length > 0) return { problems, tables };
      if (this.client && this.experiment) return this.dpAnalysis(sql, tables);
      if (this.client) {
        const at = Math.max(0, findWord(sql, dp[0]!));
        problems.push({
          start: at,
          end: at + dp[0]!.length,
          severity: 'information',
          code: 'dp-not-checked',
          message: `this DP query was checked here only, not by the gateway (no experiment is selected). Fix: pick an experiment (${SELECT_EXPERIMENT_COMMAND}) to check this DP query against the gateway`,
        });
      }
    }
    try {
      await this.engine.bind(sql);
    } catch (error) {
      problems.push(this.explain(problemFrom(error, sql, 'bind'), sql, tables, views));
    }
    return { problems, tables };
  }

  /**
   * What a Run would be refused for the views named, which GET /views does not tell (it lists
   * every view, whatever the experiment): the selected experiment unknown or inactive, a view it
   * did not request, a masked or synthetic view not published yet (dp views never are).
   */
  private accessProblems(sql: string, tables: string[], catalog: Catalog): SqlProblem[] {
    const problems: SqlProblem[] = [];
    const at = (name: string): { start: number; end: number } => {
      const start = Math.max(0, findWord(sql, name));
      return { start, end: start + name.length };
    };
    const e = catalog.experiment;
    if (this.client && this.experiment && tables.length > 0) {
      if (!e) {
        problems.push({
          ...at(tables[0]!),
          severity: 'error',
          code: 'experiment-unknown',
          message: `experiment "${this.experiment}" is not among the experiments the gateway lists for you. Fix: pick one of yours (${SELECT_EXPERIMENT_COMMAND}), or ask its owner to add you`,
        });
      } else if (!allowsDataAccess(e.state)) {
        problems.push({
          ...at(tables[0]!),
          severity: 'error',
          code: 'experiment-inactive',
          message: `experiment "${e.id}" is in state ${e.state}; reading views needs an approved or running experiment. Fix: ${INACTIVE_FIX[e.state] ?? 'pick another experiment'}, or pick another (${SELECT_EXPERIMENT_COMMAND})`,
        });
      }
    }
    for (const name of tables) {
      const view = catalog.views.get(name)!;
      if (e && !requestedBy(e, view)) {
        problems.push({
          ...at(name),
          severity: 'error',
          code: 'view-not-in-experiment',
          message: `view "${view.name}" is not among the views experiment "${e.id}" requested (${e.views.join(', ')}). Fix: use one of those, or propose an experiment that requests "${view.name}"`,
        });
      }
      if (!isQueryable(view)) {
        problems.push({
          ...at(name),
          severity: 'error',
          code: 'view-not-published',
          message: `view "${view.name}" is not published yet, so it has no rows to query. Fix: ask a steward to run privet publish (or Publish Views in the Privet panel)`,
        });
      }
    }
    return problems;
  }

  private async dpAnalysis(sql: string, tables: string[]): Promise<SqlAnalysis> {
    const query = dpQueryText(sql);
    try {
      const result = await this.client!.dpQuery({
        experiment: this.experiment!,
        sql: query,
        ...dpBudgetFields(parseDpOptions(sql).options),
        dryRun: true,
      });
      const dryRun = result.dryRun ? (result as DpDryRunWithBudget) : undefined;
      // Spending would be refused (above the policy's per-query limit, or not enough left).
      const shortfall = dryRun ? budgetShortfall(dryRun) : undefined;
      const start = Math.max(0, sql.indexOf(query));
      return {
        problems: shortfall
          ? [
              {
                start,
                end: start + query.length,
                severity: 'error',
                code: 'dp-unaffordable',
                message: `Running this query would be refused: ${shortfall.message}. Fix: ${shortfall.fix}`,
              },
            ]
          : [],
        tables,
        ...(dryRun ? { dryRun } : {}),
      };
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      const start = sql.indexOf(query);
      return {
        problems: [
          {
            start: Math.max(0, start),
            end: Math.max(0, start) + query.length,
            severity: 'error',
            code: error.code === 'dp_refused' ? 'dp-refused' : `gateway-${error.code}`,
            message: `The DP engine would refuse this query: ${error.message}. Fix: ${error.fix}`,
          },
        ],
        tables,
      };
    }
  }

  /** Gives binder errors Privet's meaning: dropped columns, refused functions. */
  private explain(
    p: SqlProblem,
    sql: string,
    tables: string[],
    views: Map<string, ViewSummary>,
  ): SqlProblem {
    const column = /Referenced column "([^"]+)" not found/.exec(p.message)?.[1];
    if (column) {
      const at = findWord(sql, column);
      const known = tables.flatMap((t) => views.get(t)?.columns.map((c) => c.name) ?? []);
      const droppedBy = tables.find((t) => views.get(t)?.droppedColumns?.includes(column));
      if (droppedBy) {
        return {
          ...p,
          ...(at >= 0 ? { start: at, end: at + column.length } : {}),
          code: 'dropped-column',
          message: `column "${column}" exists in source "${views.get(droppedBy)!.source}" but the policy keeps it out of view "${droppedBy}". Fix: use one of ${known.join(', ')}, or ask a steward to change the policy`,
        };
      }
      return {
        ...p,
        ...(at >= 0 ? { start: at, end: at + column.length } : {}),
        code: 'unknown-column',
        message: `column "${column}" is not in ${tables.join(', ')}. Fix: use one of ${known.join(', ')}`,
      };
    }
    if (
      /Permission Error|disabled by configuration|Catalog Error: (Scalar|Table) Function/.test(
        p.message,
      )
    ) {
      return {
        ...p,
        code: 'refused-function',
        message: `${p.message}. Privet refuses file, network and unknown functions. Fix: query approved views only`,
      };
    }
    return p;
  }
}

function problemFrom(error: unknown, sql: string, code: string): SqlProblem {
  if (error instanceof SqlError) {
    const start = error.offset ?? 0;
    const word = /^[A-Za-z0-9_."]+/.exec(sql.slice(start))?.[0] ?? '';
    return {
      start,
      end: start + Math.max(1, word.length),
      severity: 'error',
      code,
      message: error.message,
    };
  }
  throw error;
}
