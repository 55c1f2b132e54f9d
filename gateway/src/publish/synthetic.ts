/**
 * Builds one synthetic view into a staging folder: reads the declared columns of the raw source
 * through the gateway's DuckDB (sorted, so the input order is deterministic), synthesizes in a
 * worker thread, appends the values to a staging table and writes Parquet (sorted), the Arrow IPC
 * stream, the fidelity report (JSON + SVG) and the manifest. The seed is the policy's (secret) or
 * derived from the master key, the view declaration and the source hash, so a rebuild from the
 * same inputs is identical and any change draws fresh noise. Budget is handled by the caller.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Policy, SourceColumn, SyntheticView, ViewManifest } from '@privet/core';
import { declared } from '@privet/core/policy/lookup';
import { parseRational } from '@privet/core/dp/rational';
import { quoteIdent, sqlString } from '@privet/core/mask/index';
import { fidelitySvg } from '@privet/core/synth/fidelity-svg';
import type { FidelityReport } from '@privet/core/synth/fidelity-types';
import { seedHash } from '@privet/core/synth/seeded-random';
import type { RawValues } from '@privet/core/synth/view';
import { runQuiet } from '../store/errors.js';
import { runSynthInWorker, type WorkerProgress } from '../synth/run-worker.js';
import type { MeasurementText, SynthJobResult } from '../synth/worker-protocol.js';
import { parquetToArrowStream } from './arrow.js';
import type { SyntheticColumn } from './synthetic-columns.js';

/** Mechanism text recorded in every synthetic manifest. */
export const SYNTH_MECHANISM =
  'privet-aim-jt (ρ-zCDP): DP domain thresholding, 1-way marginals, exponential-mechanism selection ' +
  'of a tree of conditionals and of extra pair marginals, discrete Gaussian measurements; ' +
  'junction-tree model fitted to all marginals and sampled';

/** The `privacy` block of a synthetic view's manifest. */
export interface SyntheticPrivacy {
  [key: string]: unknown;
  mechanism: string;
  epsilon: number;
  delta: number;
  rho: { total: string; spent: string };
  measurements: (MeasurementText & { share: number })[];
  structure: SynthJobResult['structure'];
  seedHash: string;
  seedFrom: 'policy' | 'derived';
  inputsHash: string;
  /** The source's privacy unit: one row per unit was read. */
  privacyUnit: string;
  /**
   * Per column, the digests of the source declaration it was synthesized from (declarationDigests):
   * a view whose declarations have changed since is stale (absent in manifests written before).
   */
  sourceDeclarations: Record<string, DeclarationDigests>;
  /**
   * The publication charge that paid for these rows. `refunded`: the reservation this publish took
   * and gave back, its Parquet being byte-identical to the release `reservation` paid for
   * (identical-release.ts).
   */
  budget: { kind: 'publication'; source: string; reservation: string; refunded?: string };
  fidelityVisibleToAnalysts: boolean;
}

/** Inputs of stageSyntheticView. */
export interface StageSyntheticInput {
  c: DuckDBConnection;
  name: string;
  view: SyntheticView;
  /** The policy the view is declared in (its source's column declarations go into the manifest). */
  policy: Policy;
  columns: SyntheticColumn[];
  sourceTable: string;
  /** The source's privacy-unit column: synthesis reads one row per unit. */
  unitColumn: string;
  sourceHash: string;
  policyHash: string;
  /** synthesisInputsHash of the view (recorded so unchanged views are not rebuilt). */
  inputsHash: string;
  masterKey: Uint8Array;
  /** Staging folder (inside the views folder, reachable by DuckDB). */
  dir: string;
  reservation: string;
  onProgress?: WorkerProgress;
  /** Called once, before the synthesis draws its first random number (see runSynthInWorker). */
  onNoise?: () => void;
  clock?: () => Date;
}

/** What staging produced. */
export interface StagedSynthetic {
  manifest: ViewManifest;
  fidelity: FidelityReport;
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Canonical JSON: object keys sorted at every level. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Hash of everything a synthetic view is built from besides the data: its declaration and the
 * source's declarations of its columns (bounds, categories, types). Binds charges and derived seeds.
 */
export function synthesisInputsHash(policy: Policy, name: string, view: SyntheticView): string {
  const source = policy.sources[view.source];
  // The privacy unit decides which rows are read (one per unit), and every declared column of the
  // source goes into that choice: a change of either is a change of inputs (rebuilt, charged).
  return sha256(
    canonical({
      v: 2,
      name,
      view,
      privacyUnit: source?.privacy_unit ?? null,
      sourceColumns: source?.columns ?? null,
    }),
  );
}

/**
 * The parts of a source column's declaration that shape its synthesis (its domain: type, bounds,
 * categories, years; an identifier is refused), each with the words a stale message names it by.
 * Every part but the description: a part added to the schema must be added here, or this fails to
 * compile.
 */
export const DECLARATION_PARTS = {
  type: 'declared type',
  identifier: 'identifier flag',
  bounds: 'declared bounds',
  categories: 'declared categories',
  years: 'declared years',
} as const satisfies Record<Exclude<keyof SourceColumn, 'description'>, string>;

/** A part of a source column's declaration that shapes its synthesis. */
export type DeclarationPart = keyof typeof DECLARATION_PARTS;

/** Per declaration part, the SHA-256 of its canonical JSON (null when absent). */
export type DeclarationDigests = Record<DeclarationPart, string>;

/**
 * The digests of a column's declaration, one per part, so a stale view can say which part changed
 * without the manifest holding (or a message echoing) declared values. Unkeyed: these parts are
 * public by declaration (public domain, bounds, years), so there is nothing to hide a guess from.
 * An undeclared column has every part absent.
 */
export function declarationDigests(decl: SourceColumn | undefined): DeclarationDigests {
  // `identifier: false` declares what leaving it out does.
  const value = (part: DeclarationPart) =>
    part === 'identifier' ? decl?.identifier === true : (decl?.[part] ?? null);
  const digest = (part: DeclarationPart) => sha256(canonical({ v: 1, part, value: value(part) }));
  return {
    type: digest('type'),
    identifier: digest('identifier'),
    bounds: digest('bounds'),
    categories: digest('categories'),
    years: digest('years'),
  };
}

/** The declaration digests of every column of a synthetic view, as its source declares it now. */
export function sourceDeclarations(
  policy: Policy,
  view: SyntheticView,
): Record<string, DeclarationDigests> {
  const columns = declared(policy.sources, view.source)?.columns ?? {};
  return Object.fromEntries(
    view.columns.map((name) => [name, declarationDigests(declared(columns, name))]),
  );
}

/**
 * The noise key of a view: HMAC(master key, view, inputs hash, source version), with the policy's
 * seed mixed in when it names one. Never the policy seed alone: a seed chosen by a person can be
 * guessed (the manifest shows a hash of the key), and a key that outlived a data change would
 * reuse the same noise on the new data, which differencing two releases would cancel out.
 */
export function viewSeed(
  name: string,
  view: SyntheticView,
  inputsHash: string,
  sourceHash: string,
  masterKey: Uint8Array,
): { seed: string; from: 'policy' | 'derived' } {
  const label =
    view.seed === undefined
      ? `privet/synth/view-seed/v1\u0000${name}`
      : `privet/synth/view-seed/v2-policy\u0000${view.seed.length}:${view.seed}\u0000${name}`;
  const mac = createHmac('sha256', masterKey)
    .update(`${label}\u0000${inputsHash}\u0000${sourceHash}`)
    .digest('hex');
  return { seed: mac, from: view.seed === undefined ? 'derived' : 'policy' };
}

/**
 * SQL keeping one row of `table` per privacy unit: the row whose salted hash of all its values is
 * least. The row is hashed as a struct spelled out from `rowColumns` by name, never through a
 * table alias: a column named like the alias would stand in for it, and the salt would then no
 * longer mix in the row (the choice would fall back to DuckDB's order among equal hashes). The
 * struct's text is the alias's (`{'a': 1, …}`), so sources without such a column keep their rows.
 */
function unitRowsSql(
  table: string,
  unitColumn: string,
  salt: string,
  rowColumns: readonly string[],
): string {
  const unit = quoteIdent(unitColumn);
  const row = `{${rowColumns.map((col) => `${sqlString(col)}: ${quoteIdent(col)}`).join(', ')}}`;
  return (
    `SELECT * FROM ${table} WHERE ${unit} IS NOT NULL ` +
    `QUALIFY row_number() OVER (PARTITION BY ${unit} ORDER BY md5(${sqlString(salt)} || CAST(${row} AS VARCHAR))) = 1`
  );
}

/**
 * Reads the columns to synthesize, one row per privacy unit: the synthesizer's guarantees hold for
 * neighbouring tables that differ in one row, so a unit owning several rows is cut to one, chosen
 * by a salted hash of that unit's own rows (a stable choice: it depends on nothing else). Rows
 * without a unit are dropped, as in DP queries.
 */
export async function readRaw(
  c: DuckDBConnection,
  name: string,
  table: string,
  unitColumn: string,
  salt: string,
  columns: SyntheticColumn[],
): Promise<RawValues[]> {
  const select = columns.map((col, i) => `${col.readSql} AS c${i}`).join(', ');
  // The loaded source table holds exactly the source's declared columns, in declared order.
  const described = await runQuiet(
    c,
    `SELECT column_name FROM (DESCRIBE ${table})`,
    `reading the columns of the source of synthetic view "${name}"`,
    'check that the source file matches the columns declared in the policy',
  );
  const rowColumns = (described.getColumnsJS()[0] ?? []).map(String);
  const perUnit = unitRowsSql(table, unitColumn, salt, rowColumns);
  const reader = await runQuiet(
    c,
    `SELECT ${select} FROM (${perUnit}) ORDER BY ALL`,
    `reading the source of synthetic view "${name}"`,
    'check that the source file matches the column types declared in the policy',
  );
  const cols = reader.getColumnsJS();
  return columns.map((_, i) =>
    (cols[i] ?? []).map((v) =>
      v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
        ? v
        : Number(v),
    ),
  );
}

async function writeStagingTable(
  c: DuckDBConnection,
  table: string,
  columns: SyntheticColumn[],
  result: SynthJobResult,
): Promise<void> {
  const defs = columns.map((col, i) => `c${i} ${col.stagingType}`).join(', ');
  await c.run(`CREATE OR REPLACE TABLE ${quoteIdent(table)} (${defs})`);
  const appender = await c.createAppender(table);
  for (let r = 0; r < result.rows; r++) {
    columns.forEach((col, i) => {
      const v = result.values[i]![r];
      if (v === null || v === undefined) appender.appendNull();
      else if (col.stagingType === 'VARCHAR') appender.appendVarchar(String(v));
      else if (col.stagingType === 'BOOLEAN') appender.appendBoolean(v === true);
      else if (col.stagingType === 'INTEGER') appender.appendInteger(Number(v));
      else appender.appendDouble(Number(v));
    });
    appender.endRow();
  }
  appender.closeSync();
}

/** A measurement's share of the total ρ (exact division, then a double for display). */
function share(rho: string, total: string): number {
  return parseRational(rho).div(parseRational(total)).toNumber();
}

/** Synthesizes one view into `input.dir`; returns its manifest and fidelity report. */
export async function stageSyntheticView(input: StageSyntheticInput): Promise<StagedSynthetic> {
  const { c, name, view, columns } = input;
  const clock = input.clock ?? (() => new Date());
  const { seed, from } = viewSeed(name, view, input.inputsHash, input.sourceHash, input.masterKey);
  const salt = sha256(`privet/synth/unit-row/v1\u0000${seed}`);
  const raw = await readRaw(c, name, input.sourceTable, input.unitColumn, salt, columns);
  const createdAt = clock().toISOString();
  const result = await runSynthInWorker(
    {
      view: name,
      columns: columns.map((col) => col.column),
      raw,
      epsilon: view.epsilon,
      delta: view.delta,
      seed,
      ...(view.rows !== undefined ? { rows: view.rows } : {}),
      ...(view.target !== undefined ? { target: view.target } : {}),
      createdAt,
    },
    input.onProgress,
    input.onNoise,
  );
  const staging = `__privet_synth_${name}`;
  const parquet = join(input.dir, 'data.parquet');
  try {
    await writeStagingTable(c, staging, columns, result);
    const select = columns
      .map((col, i) => `${col.publishSql(`c${i}`)} AS ${quoteIdent(col.column.spec.name)}`)
      .join(', ');
    await runQuiet(
      c,
      `COPY (SELECT ${select} FROM ${quoteIdent(staging)} ORDER BY ALL) TO ${sqlString(parquet)} (FORMAT parquet, COMPRESSION zstd)`,
      `writing synthetic view "${name}" to Parquet`,
      'check free disk space and permissions of the state folder',
    );
  } finally {
    await c.run(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`);
  }
  writeFileSync(join(input.dir, 'data.arrows'), await parquetToArrowStream(c, parquet));
  writeFileSync(join(input.dir, 'fidelity.json'), JSON.stringify(result.fidelity, null, 2) + '\n');
  writeFileSync(join(input.dir, 'fidelity.svg'), fidelitySvg(result.fidelity));
  const privacy: SyntheticPrivacy = {
    mechanism: SYNTH_MECHANISM,
    epsilon: view.epsilon,
    delta: view.delta,
    rho: { total: result.rhoTotal, spent: result.rhoSpent },
    measurements: result.measurements.map((m) => ({ ...m, share: share(m.rho, result.rhoTotal) })),
    structure: result.structure,
    seedHash: await seedHash(seed),
    seedFrom: from,
    inputsHash: input.inputsHash,
    privacyUnit: input.unitColumn,
    sourceDeclarations: sourceDeclarations(input.policy, view),
    budget: { kind: 'publication', source: view.source, reservation: input.reservation },
    fidelityVisibleToAnalysts: view.fidelity_for_analysts === true,
  };
  const manifest: ViewManifest = {
    view: name,
    tier: 'synthetic',
    source: view.source,
    sourceHash: input.sourceHash,
    policyHash: input.policyHash,
    parquetHash: sha256(readFileSync(parquet)),
    publishedAt: createdAt,
    rows: result.rows,
    rowsSuppressed: 0,
    columns: columns.map((col) => ({
      name: col.column.spec.name,
      type: col.publishedType,
      operator: col.operator,
    })),
    privacy,
    ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
  };
  writeFileSync(join(input.dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return { manifest, fidelity: result.fidelity };
}
