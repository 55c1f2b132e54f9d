// Why: one pure function turns a synthetic view's raw columns into synthetic columns, owning the
// whole budget: domain discovery for columns without public categories, the fit, sampling and
// decoding back to values inside each bin. The gateway runs it in a worker thread; tests and
// benchmarks call it directly. Dates are synthesized at year granularity (a DP-discovered or
// public set of years) and sampled back to a uniform day of the year, like numeric bins. A null
// stays null: its code (encode.ts) decodes to null in every column type, never to a value.
import type { RandomSource } from '../dp/random.js';
import type { Rational } from '../dp/rational.js';
import type { Measurement } from './budget.js';
import {
  decodeColumn,
  encodeCategorical,
  encodeNumeric,
  numericBounds,
  NULL_LABEL,
  OTHER_LABEL,
  planBudget,
  type ColumnSpec,
  type EncodedColumn,
} from './encode.js';
import { estimateBounds } from './bounds.js';
import { SynthError } from './errors.js';
import type { FittedSynthesizer, ProgressCallback } from './options.js';
import { synthesize } from './synthesize.js';
import type { DiscreteTable } from './table.js';
import type { ViewWarning } from '../protocol.js';
import { domainWarnings } from './view-warnings.js';
import { rawIsOtherLabel, reportTables } from './report-tables.js';

/** How a synthetic column is published: its value type after decoding. */
export type ViewOutput = 'string' | 'integer' | 'number' | 'boolean' | 'date';

/** One column of a synthetic view: how to encode it and what type to publish. */
export interface ViewColumn {
  spec: ColumnSpec;
  output: ViewOutput;
  /** Synthesized as only this many leading characters (a string column the view prefixes). */
  prefix?: number;
}

/** Raw values of one column (dates as days since 1970-01-01, strings/numbers as read). */
export type RawValues = readonly (string | number | boolean | null)[];

/** Decoded synthetic values of one column (dates as days since 1970-01-01; null = no value). */
export type SyntheticValues = (string | number | boolean | null)[];

/** Options of `synthesizeView`. */
export interface SynthesizeViewOptions {
  epsilon: number;
  delta: number;
  rng: RandomSource;
  rows?: number;
  onProgress?: ProgressCallback;
}

/** What `synthesizeView` returns: values to publish, encoded tables for metrics, accounting. */
export interface ViewSynthesis {
  values: SyntheticValues[];
  /**
   * Real rows encoded with the released domains, for the fidelity report (never published): a
   * value the domain cannot hold is coded "(not released)", apart from "(other)" (report-tables.ts).
   */
  realCodes: DiscreteTable;
  /** The synthetic rows' codes, in the same domains as `realCodes`. */
  syntheticCodes: DiscreteTable;
  /** Label of every code per column (categories, discovered values, or bin ranges). */
  labels: string[][];
  measurements: Measurement[];
  rhoTotal: Rational;
  rhoSpent: Rational;
  structure: FittedSynthesizer['structure'];
  /** Columns the published values cannot serve (e.g. no value survived DP discovery). */
  warnings: ViewWarning[];
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of January 1 of `year` (UTC). */
function yearStart(year: number): number {
  return Date.UTC(year, 0, 1) / DAY_MS;
}

/** The year of a day count, as text (the categorical label of a date). */
function yearOf(days: number | string | boolean | null): string | null {
  if (typeof days !== 'number' || !Number.isFinite(days)) return null;
  return String(new Date(days * DAY_MS).getUTCFullYear());
}

/** The year of a date column's label ("1984"), or null for anything that is not a year. */
function labelYear(label: string): number | null {
  return /^-?\d+$/.test(label) ? Number(label) : null;
}

/** The report labels of a numeric column's codes: each bin's range, then its null code. */
function binLabels(spec: Extract<ColumnSpec, { kind: 'numeric' }>): string[] {
  const [lo, hi] = numericBounds(spec);
  const w = (hi - lo) / spec.bins;
  const fmt = (x: number) => String(Math.round(x * 1000) / 1000);
  return [
    ...Array.from(
      { length: spec.bins },
      (_, b) => `[${fmt(lo + b * w)}, ${fmt(lo + (b + 1) * w)})`,
    ),
    NULL_LABEL,
  ];
}

function decodeValues(
  c: ViewColumn,
  encoded: EncodedColumn,
  codes: Int32Array,
  rng: RandomSource,
): SyntheticValues {
  if (c.spec.kind === 'numeric') return decodeColumn(encoded, codes, rng);
  const labels = encoded.labels ?? [];
  const out: SyntheticValues = new Array<string | number | boolean | null>(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const label = labels[codes[i]!] ?? OTHER_LABEL;
    if (codes[i] === encoded.nullCode) {
      out[i] = null;
    } else if (label === OTHER_LABEL) {
      out[i] = c.output === 'string' ? OTHER_LABEL : null;
    } else if (c.output === 'date') {
      // Only a year decodes to a date: never Number('') = 0, which Date.UTC reads as 1900.
      const year = labelYear(label);
      if (year === null) {
        out[i] = null;
        continue;
      }
      const start = yearStart(year);
      const days = yearStart(year + 1) - start;
      out[i] = start + Math.floor((rng.nextUint32() / 4294967296) * days);
    } else if (c.output === 'boolean') {
      out[i] = label === 'true' ? true : label === 'false' ? false : null;
    } else if (c.output === 'integer' || c.output === 'number') {
      const x = label.trim() === '' ? NaN : Number(label);
      out[i] = Number.isFinite(x) ? x : null;
    } else {
      out[i] = label;
    }
  }
  return out;
}

/**
 * Synthesizes a view within (ε, δ): categorical columns without public categories get DP domain
 * discovery (its ρ and δ₀ are charged to the same ledger), numeric columns without declared
 * bounds get DP-estimated bounds (ρ on the same ledger), then fit, sample and decode.
 */
export function synthesizeView(
  columns: readonly ViewColumn[],
  raw: readonly RawValues[],
  options: SynthesizeViewOptions,
): ViewSynthesis {
  if (columns.length === 0 || raw.length !== columns.length) {
    throw new SynthError(
      'view.shape',
      `The view has ${columns.length} column declarations but ${raw.length} raw columns`,
      'pass one raw column per declared column',
    );
  }
  const rows = raw[0]!.length;
  const discovered = columns.filter((c) => c.spec.kind === 'categorical' && !c.spec.categories);
  const unbounded = columns.filter((c) => c.spec.kind === 'numeric' && !c.spec.bounds);
  const plan = planBudget(options.epsilon, options.delta, {
    discoveries: discovered.length,
    bounds: unbounded.length,
  });
  const encoded = columns.map((c, i) => {
    const values = c.output === 'date' ? raw[i]!.map(yearOf) : raw[i]!;
    if (values.length !== rows) {
      throw new SynthError(
        'view.ragged',
        `Column "${c.spec.name}" has ${values.length} rows, expected ${rows}`,
        'read every column from the same rows',
      );
    }
    if (c.spec.kind === 'numeric') {
      const spec =
        c.spec.bounds || !plan.bounds
          ? c.spec
          : estimateBounds(c.spec, values, {
              ledger: plan.ledger,
              rng: options.rng,
              rho: plan.bounds,
            });
      return encodeNumeric(spec, values);
    }
    return encodeCategorical(
      c.spec,
      values,
      plan.discovery
        ? {
            ledger: plan.ledger,
            rng: options.rng,
            rho: plan.discovery.rho,
            delta: plan.discovery.delta,
          }
        : undefined,
    );
  });
  const realCodes: DiscreteTable = { columns: encoded.map((e) => e.column), rows };
  const result = synthesize(realCodes, {
    epsilon: options.epsilon,
    delta: options.delta,
    rng: options.rng,
    ledger: plan.ledger,
    ...(options.rows !== undefined ? { rows: options.rows } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const values = columns.map((c, i) =>
    decodeValues(c, encoded[i]!, result.table.columns[i]!.codes, options.rng),
  );
  const report = reportTables(
    realCodes,
    result.table,
    encoded.map((e) => (e.spec.kind === 'numeric' ? binLabels(e.spec) : [...(e.labels ?? [])])),
    // A numeric column's catch-all is its null code, holding exactly the real nulls; a date
    // column's labels are years: no raw date is the text "(other)".
    (i, row) =>
      columns[i]!.spec.kind === 'numeric' ||
      (columns[i]!.output !== 'date' && rawIsOtherLabel(raw[i]![row]!)),
  );
  return {
    values,
    realCodes: report.real,
    syntheticCodes: report.synthetic,
    labels: report.labels,
    measurements: result.measurements,
    rhoTotal: result.rhoTotal,
    rhoSpent: result.rhoSpent,
    structure: result.fitted.structure,
    warnings: domainWarnings(
      columns,
      encoded,
      result.table,
      plan.discovery ?? null,
      options.epsilon,
    ),
  };
}
