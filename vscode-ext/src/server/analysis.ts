/**
 * SQL analysis for the language server, by DuckDB's own parser and binder (duckdb-wasm holding
 * empty tables shaped like the approved views; no hand-written parser) and the gateway's DP dry
 * run (the engine's own refusal reasons). Finds: syntax errors, unknown views, raw sources named,
 * unknown or policy-dropped columns, refused functions (file/network access), refused DP queries.
 */
import type { DpDryRunWithBudget, ViewSummary } from '@privet/core/protocol';
import { GatewayError, type GatewayClient } from '../client/gateway.js';
import { SqlError, type SqlEngine } from '../sql/engine.js';

/** One problem in a SQL text, by 0-based offsets. */
export interface SqlProblem {
  start: number;
  end: number;
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

/** What the analysis found, plus the dry run of a DP query (for hovers). */
export interface SqlAnalysis {
  problems: SqlProblem[];
  dryRun?: DpDryRunWithBudget;
  tables: string[];
}

/** Offset of a whole-word, case-insensitive match of `word` in `text` (or -1). */
export function findWord(text: string, word: string): number {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[^A-Za-z0-9_])(${escaped})(?![A-Za-z0-9_])`, 'i').exec(text);
  return m ? m.index + (m[1]?.length ?? 0) : -1;
}

/** Analyses SQL cells against one gateway and experiment. */
export class SqlAnalyzer {
  private views: Map<string, ViewSummary> | undefined;

  /** Creates an analyzer over a gateway client (or none when signed out) and an engine. */
  constructor(
    private readonly client: GatewayClient | undefined,
    private readonly engine: SqlEngine,
    private readonly experiment: string | undefined,
  ) {}

  /** The approved views (cached; defined as empty tables in the engine on first use). */
  async viewMap(): Promise<Map<string, ViewSummary>> {
    if (!this.views) {
      const views = this.client ? (await this.client.listViews()).views : [];
      for (const v of views) await this.engine.defineEmpty(v.name, v.columns);
      this.views = new Map(views.map((v) => [v.name, v]));
    }
    return this.views;
  }

  /** Analyses one SQL text (comment lines `-- privet: epsilon=…` set DP options). */
  async analyze(sql: string): Promise<SqlAnalysis> {
    const body = sql.trim();
    if (body === '' || body.split('\n').every((l) => /^\s*(--.*)?$/.test(l)))
      return { problems: [], tables: [] };
    const views = await this.viewMap();
    let tables: string[];
    try {
      tables = await this.engine.tablesIn(sql);
    } catch (error) {
      const p = problemFrom(error, sql, 'syntax');
      return { problems: [this.explain(p, sql, [], views)], tables: [] };
    }
    const problems: SqlProblem[] = [];
    const sources = new Set([...views.values()].map((v) => v.source));
    for (const t of tables) {
      if (views.has(t)) continue;
      const at = Math.max(0, findWord(sql, t));
      const raw = sources.has(t);
      const names = [...views.values()].filter((v) => v.source === t).map((v) => v.name);
      problems.push({
        start: at,
        end: at + t.length,
        severity: 'error',
        code: raw ? 'raw-source' : 'unknown-view',
        message: raw
          ? `"${t}" is a raw source: raw rows never leave the gateway. Fix: query an approved view of it (${names.join(', ')})`
          : `"${t}" is not an approved view. Fix: use one of ${[...views.keys()].join(', ') || '(sign in to list views)'}`,
      });
    }
    if (problems.length > 0) return { problems, tables };
    const dp = tables.filter((t) => views.get(t)?.tier === 'dp');
    if (dp.length > 0 && this.client && this.experiment) return this.dpAnalysis(sql, tables);
    try {
      await this.engine.bind(sql);
    } catch (error) {
      problems.push(this.explain(problemFrom(error, sql, 'bind'), sql, tables, views));
    }
    return { problems, tables };
  }

  private async dpAnalysis(sql: string, tables: string[]): Promise<SqlAnalysis> {
    const options = Object.fromEntries(
      [...sql.matchAll(/^\s*--\s*privet:\s*(.*)$/gim)].flatMap((m) =>
        (m[1] ?? '')
          .split(/[\s,]+/)
          .map((p) => p.split('='))
          .filter((p) => p.length === 2),
      ),
    ) as Record<string, string>;
    const query = sql
      .split('\n')
      .filter((l) => !/^\s*--/.test(l))
      .join('\n')
      .trim()
      .replace(/;\s*$/, '');
    try {
      const result = await this.client!.dpQuery({
        experiment: this.experiment!,
        sql: query,
        ...(options.accuracy
          ? { accuracy: options.accuracy }
          : { epsilon: options.epsilon ?? '0.5' }),
        ...(options.delta ? { delta: options.delta } : {}),
        dryRun: true,
      });
      return {
        problems: [],
        tables,
        ...(result.dryRun ? { dryRun: result as DpDryRunWithBudget } : {}),
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
