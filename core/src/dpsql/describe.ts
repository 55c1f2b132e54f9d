/**
 * What a dry run shows and a release carries besides values: the columns with their mechanisms,
 * noise scales and expected errors, clamping and truncation warnings, and the plan hash.
 */
import { Rational } from '../dp/rational.js';
import { isqrt } from '../dp/discrete-gaussian.js';
import { decimalText, type DpPricedPlan } from './price.js';
import type { DpDryRunResponse, DpNoiseComponent, DpReleaseColumn } from './types.js';
import { sha256Hex } from '../hex.js';

function sigmaText(sigma2: Rational): string {
  // σ = √σ² shown to 6 significant digits (display only).
  const scaled = isqrt(sigma2.mul(10n ** 12n).floor());
  return Rational.of(scaled, 10n ** 6n).toDisplayString();
}

/** Columns of a priced plan in select-list order. */
export function describeColumns(priced: DpPricedPlan): DpReleaseColumn[] {
  const plan = priced.logical;
  return plan.outputs.map((out) => {
    if (out.kind === 'key') {
      const key = plan.keys[out.index];
      if (!key) throw new Error('plan output refers to a missing key');
      return {
        name: key.name,
        role: 'key',
        kind: key.bin ? 'bin' : 'column',
        column: key.column.column,
        keys: key.publicKeys ? 'public' : 'selected',
        ...(key.bin
          ? {
              bounds: [decimalText(key.bin.bounds[0]), decimalText(key.bin.bounds[1])] as [
                string,
                string,
              ],
            }
          : {}),
      };
    }
    const agg = plan.aggregates[out.index];
    const enc = priced.encodings[out.index];
    if (!agg || !enc) throw new Error('plan output refers to a missing aggregate');
    const noise: DpNoiseComponent[] = priced.measurements
      .filter((m) => m.aggregate === out.index)
      .map((m) => {
        const f =
          m.part === 'count' || m.part === 'distinct_units' || m.part === 'histogram'
            ? 1n
            : m.part === 'centred_sum_sq'
              ? enc.fixedPoint * enc.fixedPoint
              : enc.fixedPoint;
        const scale =
          priced.mechanism === 'discrete_laplace'
            ? decimalText(m.scale.div(f))
            : sigmaText(m.scale.div(f * f));
        return { part: m.part, scale, halfWidth: m.halfWidth / Number(f), coverage: m.coverage };
      });
    const direct = ['count', 'count_column', 'count_distinct_unit', 'sum'].includes(agg.kind);
    return {
      name: agg.name,
      role: 'aggregate',
      kind:
        agg.kind === 'quantile'
          ? `quantile(${(agg.p ?? Rational.of(1n, 2n)).toDisplayString()})`
          : agg.kind,
      ...(agg.column ? { column: agg.column.column } : {}),
      ...(agg.bounds
        ? { bounds: [decimalText(agg.bounds[0]), decimalText(agg.bounds[1])] as [string, string] }
        : {}),
      noise,
      ...(direct && noise[0] ? { halfWidth: noise[0].halfWidth } : {}),
    };
  });
}

/** Warnings a dry run can give without data: clamping bias and contribution truncation. */
export function planWarnings(priced: DpPricedPlan): string[] {
  const plan = priced.logical;
  const out = [...plan.warnings];
  const seen = new Set<string>();
  for (const agg of plan.aggregates) {
    if (!agg.bounds || !agg.column || seen.has(agg.column.column)) continue;
    seen.add(agg.column.column);
    out.push(
      `${agg.column.column} is clamped to [${decimalText(agg.bounds[0])}, ${decimalText(agg.bounds[1])}] (policy bounds): values outside move to the nearest bound, which biases SUM/AVG/VAR toward it when such values are common`,
    );
  }
  for (const key of plan.keys) {
    if (key.bin || key.clampTo)
      out.push(
        `${key.column.column} is clamped to its bounds before grouping: out-of-range values fall into the edge groups, and rows where it is NULL are in no group`,
      );
  }
  out.push(
    `each privacy unit contributes at most ${plan.maxRowsPerUnit} row(s) in at most ${plan.maxGroupsPerUnit} group(s); extra rows are dropped (deterministically), which lowers COUNT/SUM when units exceed the limit`,
  );
  if (priced.selection) {
    out.push(
      `groups are released only when their noisy count of people reaches ${priced.selection.threshold}; small groups are suppressed`,
    );
  }
  return out;
}

/** Canonical JSON of a priced plan (Rationals and BigInts as text) for hashing. */
export function canonicalPlan(priced: DpPricedPlan): string {
  return JSON.stringify(priced, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Rational) return value.toString();
    return value;
  });
}

/** SHA-256 hex of the canonical plan (Web Crypto, available in browsers and Node ≥ 19). */
export async function planHash(priced: DpPricedPlan): Promise<string> {
  return sha256Hex(canonicalPlan(priced));
}

/** The dry-run response of a priced plan. */
export async function dryRunResponse(priced: DpPricedPlan): Promise<DpDryRunResponse> {
  const allPublic = priced.logical.keys.every((k) => k.publicKeys);
  const groups = priced.logical.keys.reduce((n, k) => n * (k.publicKeys?.length ?? 1), 1);
  return {
    dryRun: true,
    planHash: await planHash(priced),
    mechanism: priced.mechanism,
    alpha: priced.alpha,
    cost: priced.cost,
    columns: describeColumns(priced),
    ...(priced.selection
      ? {
          partitionSelection: {
            threshold: priced.selection.threshold.toString(),
            singleUnitReleaseProbability: priced.selection.singleUnitProbability,
          },
        }
      : {}),
    ...(allPublic ? { groups } : {}),
    warnings: planWarnings(priced),
  };
}
