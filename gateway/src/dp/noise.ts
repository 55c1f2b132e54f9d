/**
 * Adds exact integer noise to the exact per-group aggregates and builds the released rows.
 * Public key domains are enumerated in full (empty groups get noise too, so absence reveals
 * nothing); other keys pass DP partition selection first. Every histogram bin is noised,
 * including empty ones. Noise comes only from the core samplers and the injected RandomSource.
 */
import { sampleDiscreteLaplace } from '@privet/core/dp/discrete-laplace';
import { DiscreteGaussianSampler } from '@privet/core/dp/discrete-gaussian';
import { Rational } from '@privet/core/dp/rational';
import type { RandomSource } from '@privet/core/dp/random';
import type { PlanGroupKey } from '@privet/core/dpsql/plan';
import type { DpPricedPlan } from '@privet/core/dpsql/price';
import { aggregateCell, type NoisyValue } from '@privet/core/dpsql/release';
import type { DpKeyValue, DpReleaseRow } from '@privet/core/dpsql/types';

type Sampler = () => bigint;

function samplerFor(priced: DpPricedPlan, scale: Rational, rng: RandomSource): Sampler {
  if (priced.mechanism === 'discrete_laplace') return () => sampleDiscreteLaplace(scale, rng);
  const g = new DiscreteGaussianSampler(scale);
  return () => g.sample(rng);
}

function toBig(value: unknown): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new Error('aggregate value is not an integer');
}

function histogram(value: unknown, bins: number): bigint[] {
  const out = new Array<bigint>(bins).fill(0n);
  if (!Array.isArray(value)) return out;
  for (const entry of value as { key?: unknown; value?: unknown }[]) {
    const bin = Number(entry.key);
    if (Number.isInteger(bin) && bin >= 0 && bin < bins) out[bin] = toBig(entry.value);
  }
  return out;
}

/** The released value of a key (bins become their label; private keys are typed from JSON). */
function keyValue(key: PlanGroupKey, raw: unknown): DpKeyValue {
  if (raw === null || raw === undefined) return null;
  if (key.bin) {
    const index = BigInt(String(raw));
    return key.bin.multiply ? Rational.of(index).mul(key.bin.width).toNumber() : Number(index);
  }
  switch (key.column.type) {
    case 'integer':
    case 'number':
      return Number(raw);
    case 'boolean':
      return raw === true || raw === 'true';
    default:
      return String(raw);
  }
}

/** One key part as compared: NULL apart from every text (as SQL groups it), else its text. */
function keyText(raw: unknown): string | null {
  return raw === null || raw === undefined ? null : String(raw);
}

/**
 * A group's identity from its key parts, without collisions: were two SQL groups mapped to one
 * entry, whether one is released would depend on the other's mere presence, which no noise hides.
 */
function groupId(parts: readonly unknown[]): string {
  return JSON.stringify(parts.map(keyText));
}

/**
 * A public key's values as the SQL returns them (`k{i}`): a binned key's bin indices (its public
 * keys are the bins' labels), any other key's declared values.
 */
function publicRawValues(key: PlanGroupKey): (string | number | boolean)[] {
  if (!key.bin) return key.publicKeys ?? [];
  const first = key.bin.bounds[0].div(key.bin.width).floor();
  return (key.publicKeys ?? []).map((_, i) => Number(first + BigInt(i)));
}

function crossProduct(keys: PlanGroupKey[]): (string | number | boolean)[][] {
  let out: (string | number | boolean)[][] = [[]];
  for (const key of keys) {
    const values = publicRawValues(key);
    out = out.flatMap((prefix) => values.map((v) => [...prefix, v]));
  }
  return out;
}

/** Noises exact aggregate rows (as returned by DuckDB) into released rows. */
export function addNoise(
  priced: DpPricedPlan,
  exact: Record<string, unknown>[],
  rng: RandomSource,
): DpReleaseRow[] {
  const plan = priced.logical;
  const samplers = priced.measurements.map((m) => samplerFor(priced, m.scale, rng));
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of exact) byKey.set(groupId(plan.keys.map((_, i) => row[`k${i}`])), row);
  let groups: { raw: unknown[]; row: Record<string, unknown> | undefined }[];
  if (plan.keys.every((k) => k.publicKeys)) {
    groups = crossProduct(plan.keys).map((raw) => ({
      raw,
      row: byKey.get(groupId(raw)),
    }));
  } else {
    const sel = priced.selection;
    if (!sel) throw new Error('private keys without a selection plan');
    const pick = samplerFor({ ...priced, mechanism: 'discrete_laplace' }, sel.scale, rng);
    // Rows whose public-key parts are outside the declared sets are never released.
    const allowed = plan.keys.map((k) =>
      k.publicKeys ? new Set(publicRawValues(k).map(keyText)) : undefined,
    );
    groups = [...byKey.entries()]
      .filter(([, row]) => allowed.every((set, i) => !set || set.has(keyText(row[`k${i}`]))))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .filter(([, row]) => toBig(row['sel']) + pick() >= sel.threshold)
      .map(([, row]) => ({ raw: plan.keys.map((_, i) => row[`k${i}`]), row }));
  }
  return groups.map(({ raw, row }) => {
    const noisy: NoisyValue[] = priced.measurements.map((m, i) => {
      const sample = samplers[i] as Sampler;
      const value = row?.[`m${i}`];
      if (m.part === 'histogram') {
        return histogram(value, priced.encodings[m.aggregate]?.bins ?? 1).map((v) => v + sample());
      }
      return toBig(value) + sample();
    });
    const keys: Record<string, DpKeyValue> = {};
    plan.keys.forEach((key, i) => (keys[key.name] = keyValue(key, raw[i])));
    const values: DpReleaseRow['values'] = {};
    plan.aggregates.forEach((agg, a) => {
      const idx = priced.measurements
        .map((m, i) => (m.aggregate === a ? i : -1))
        .filter((i) => i >= 0);
      values[agg.name] = aggregateCell(
        priced,
        a,
        idx.map((i) => noisy[i] as NoisyValue),
        idx.map((i) => priced.measurements[i] as (typeof priced.measurements)[number]),
      );
    });
    return { keys, values };
  });
}
