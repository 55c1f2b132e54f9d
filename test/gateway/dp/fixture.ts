/**
 * A small DP-query fixture: a policy with dp views over two CSV sources written to a temp dir,
 * loaded into the real locked-down source engine. Data are deterministic (no randomness).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parsePolicy, type Policy } from '@privet/core';
import { openSourceEngine, type SourceEngine } from '../../../gateway/src/store/index.js';
import { planDpQuery, type DpQueryPlan } from '../../../gateway/src/dp/execute.js';
import type { BudgetRequest } from '@privet/core/dpsql/price';

/** The fixture policy (YAML). */
export const POLICY_YAML = `
version: 1
name: dp-test
sources:
  people:
    path: people.csv
    format: csv
    privacy_unit: pid
    columns:
      pid: { type: integer, identifier: true }
      name: { type: string, identifier: true }
      sex: { type: string, categories: [F, M] }
      city: { type: string }
      age: { type: integer, bounds: [0, 100] }
      income: { type: number, bounds: [0, 1000] }
      score: { type: number }
      member: { type: boolean }
  events:
    path: events.parquet
    format: parquet
    privacy_unit: pid
    columns:
      pid: { type: integer, identifier: true }
      kind: { type: string }
      amount: { type: number, bounds: [0, 100] }
views:
  people_dp:
    tier: dp
    source: people
    columns: [pid, sex, city, age, income, score, member]
    contribution: { max_rows_per_unit: 1, max_groups_per_unit: 1 }
  events_dp:
    tier: dp
    source: events
    columns: [pid, kind, amount]
    contribution: { max_rows_per_unit: 5, max_groups_per_unit: 2 }
    public_keys:
      kind: [buy, view, refund]
  people_masked:
    tier: masked
    source: people
    columns:
      pid: { op: token }
      sex: { op: keep }
users:
  ana: { name: Ana, roles: [analyst] }
  sue: { name: Sue, roles: [steward] }
budgets:
  - { source: people, epsilon: '10', delta: '1e-6', scope: experiment }
  - { source: events, epsilon: '10', delta: '1e-6', scope: experiment }
retention: { derived_artefacts_days: 1, audit_log_days: 1 }
export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }
`;

/** Number of people rows. */
export const PEOPLE_ROWS = 600;
const CITIES = ['Lyon', 'Oslo', 'Pune', 'Lima', 'Kyiv', 'Rome'];
const KINDS = ['buy', 'view', 'refund'];

/** The deterministic people rows. */
export function peopleRows(): {
  pid: number;
  sex: string;
  city: string;
  age: number;
  income: number;
  score: number;
  member: boolean;
}[] {
  return Array.from({ length: PEOPLE_ROWS }, (_, i) => ({
    pid: i + 1,
    sex: i % 3 === 0 ? 'M' : 'F',
    city: i === PEOPLE_ROWS - 1 ? 'Nuuk' : (CITIES[(i * 7) % CITIES.length] as string), // Nuuk: one person
    age: 18 + ((i * 13) % 70),
    income: Math.round(((i * 37) % 1000) * 1.25 * 100) / 100, // some values above 1000 (clamped)
    score: (i % 10) / 10,
    member: i % 4 === 0,
  }));
}

/** Event rows: people 2–200 have 1–4 events each; person 1 ("heavy") gets `heavyRows` amount-100 events. */
export function eventRows(heavyRows: number): { pid: number; kind: string; amount: number }[] {
  const out: { pid: number; kind: string; amount: number }[] = [];
  for (let i = 0; i < heavyRows; i++)
    out.push({ pid: 1, kind: KINDS[i % 3] as string, amount: 100 });
  for (let p = 2; p <= 200; p++) {
    for (let j = 0; j < 1 + (p % 4); j++)
      out.push({ pid: p, kind: KINDS[(p + j) % 3] as string, amount: (p * 3 + j * 11) % 120 });
  }
  return out;
}

/** A loaded engine over the fixture data plus a separate parser connection. */
export interface DpFixture {
  policy: Policy;
  engine: SourceEngine;
  parser: DuckDBConnection;
  dir: string;
  plan(sql: string, budget?: BudgetRequest): Promise<DpQueryPlan>;
  close(): void;
}

/** How a fixture's data differ from the default: the heavy unit's rows, ages left empty or out of range. */
export interface DpFixtureOptions {
  /** Rows of person 1 in events (default 3). */
  heavyRows?: number;
  /** People 1…N have no age (NULL). */
  nullAges?: number;
  /** The last person's age (e.g. above the declared bounds [0, 100]). */
  lastAge?: number;
}

/** Writes the fixture CSVs and opens the real source engine over them. */
export async function openDpFixture(options: DpFixtureOptions = {}): Promise<DpFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'privet-dp-'));
  const people = peopleRows().map((p) => ({
    ...p,
    age:
      p.pid <= (options.nullAges ?? 0)
        ? ''
        : p.pid === PEOPLE_ROWS && options.lastAge !== undefined
          ? options.lastAge
          : p.age,
  }));
  writeFileSync(
    join(dir, 'people.csv'),
    'pid,name,sex,city,age,income,score,member\n' +
      people
        .map(
          (p) =>
            `${p.pid},Person ${p.pid},${p.sex},${p.city},${p.age},${p.income},${p.score},${p.member}`,
        )
        .join('\n') +
      '\n',
  );
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const parser = await instance.connect();
  // The events file (with the heavy unit's rows generated inside DuckDB, fast even for 10^6).
  const light = eventRows(0);
  writeFileSync(
    join(dir, 'events-light.csv'),
    'pid,kind,amount\n' + light.map((e) => `${e.pid},${e.kind},${e.amount}`).join('\n') + '\n',
  );
  const heavy = options.heavyRows ?? 3;
  await parser.run(
    `COPY (SELECT CAST(pid AS BIGINT) AS pid, CAST(kind AS VARCHAR) AS kind, CAST(amount AS DOUBLE) AS amount FROM read_csv('${join(dir, 'events-light.csv')}', header = true, all_varchar = true)
      UNION ALL SELECT CAST(1 AS BIGINT), ['buy', 'view', 'refund'][CAST(i % 3 AS INTEGER) + 1], CAST(100 AS DOUBLE) FROM range(${heavy}) r(i))
      TO '${join(dir, 'events.parquet')}' (FORMAT parquet)`,
  );
  const policy = parsePolicy(POLICY_YAML, 'dp-test.yaml');
  const engine = await openSourceEngine(policy, dir);
  return {
    policy,
    engine,
    parser,
    dir,
    plan: (sql, budget = { epsilon: 1, delta: '1e-6' }) =>
      planDpQuery(sql, { policy, parser, budget }),
    close() {
      engine.close();
      parser.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
