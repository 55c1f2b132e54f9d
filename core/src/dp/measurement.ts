// Why: OpenDP's shape keeps privacy reasoning local and checkable. A transformation is a
// deterministic function with a *stability map* (input distance → output distance); a measurement
// is a randomized function with a *privacy map* (input distance → privacy loss). Steps compose only
// through `chain`, which checks that domains and metrics fit. Only measurements release values:
// a transformation's function is kept in a module-private WeakMap, so no caller can run one and
// release its (un-noised) output.
import { compose, type PrivacyLoss, type PrivacyMeasure } from './accounting.js';
import { DpError } from './errors.js';
import { Rational, ZERO } from './rational.js';
import { defaultRandomSource, type RandomSource } from './random.js';

/** The set of values a step accepts or produces. */
export type Domain =
  | { readonly kind: 'unit-rows' }
  | { readonly kind: 'rows'; readonly maxRowsPerUnit: bigint }
  | { readonly kind: 'integer' }
  | { readonly kind: 'integer-vector'; readonly length: number };

/** How distance between neighbouring inputs/outputs is measured. */
export type Metric = 'unit-distance' | 'absolute-distance' | 'l1-distance' | 'l2-distance';

/** One raw value of a row (nulls and non-finite numbers count as 0 in sums). */
export type RowValue = number | bigint | string | null;

/** A row tagged with its privacy unit (person, household…). */
export interface UnitRow {
  readonly unit: string | number | bigint;
  readonly value: RowValue;
}

const functions = new WeakMap<object, (input: never) => unknown>();

/** A deterministic step with a stability map; it cannot be run directly, only chained. */
export class Transformation<I, O> {
  constructor(
    /** Accepted inputs. */
    readonly inputDomain: Domain,
    /** Distance between neighbouring inputs. */
    readonly inputMetric: Metric,
    /** Produced outputs. */
    readonly outputDomain: Domain,
    /** Distance between outputs. */
    readonly outputMetric: Metric,
    fn: (input: I) => O,
    /** Maps an input distance bound to an output distance bound. */
    readonly stabilityMap: (dIn: Rational) => Rational,
  ) {
    functions.set(this, fn as (input: never) => unknown);
  }
}

function runTransformation<I, O>(t: Transformation<I, O>, input: I): O {
  const fn = functions.get(t) as ((input: I) => O) | undefined;
  if (!fn)
    throw new DpError(
      'measurement.unknown-step',
      'Unknown transformation',
      'build steps with the make* functions',
    );
  return fn(input);
}

/** A randomized step with a privacy map: the only thing that releases values. */
export class Measurement<I, O> {
  constructor(
    /** Accepted inputs. */
    readonly inputDomain: Domain,
    /** Distance between neighbouring inputs. */
    readonly inputMetric: Metric,
    /** The measure its privacy map reports in. */
    readonly outputMeasure: PrivacyMeasure,
    private readonly fn: (input: I, rng: RandomSource) => O,
    /** Maps an input distance bound to the privacy loss. */
    readonly privacyMap: (dIn: Rational) => PrivacyLoss,
  ) {}

  /** Runs the mechanism and releases its (noisy) output. */
  invoke(input: I, rng: RandomSource = defaultRandomSource()): O {
    return this.fn(input, rng);
  }
}

function describeDomain(d: Domain): string {
  if (d.kind === 'rows') return `rows with ≤ ${d.maxRowsPerUnit} per unit`;
  if (d.kind === 'integer-vector') return `integer vector of length ${d.length}`;
  return d.kind;
}

function domainsEqual(a: Domain, b: Domain): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'rows' && b.kind === 'rows') return a.maxRowsPerUnit === b.maxRowsPerUnit;
  if (a.kind === 'integer-vector' && b.kind === 'integer-vector') return a.length === b.length;
  return true;
}

function checkFit(outDomain: Domain, outMetric: Metric, inDomain: Domain, inMetric: Metric): void {
  if (!domainsEqual(outDomain, inDomain)) {
    throw new DpError(
      'measurement.domain-mismatch',
      `Cannot chain: the first step produces ${describeDomain(outDomain)} but the next accepts ${describeDomain(inDomain)}`,
      'insert a transformation that converts between them',
    );
  }
  if (outMetric !== inMetric) {
    throw new DpError(
      'measurement.metric-mismatch',
      `Cannot chain: the first step measures distance as ${outMetric} but the next expects ${inMetric}`,
      'use the variant of the next step for that metric',
    );
  }
}

/** Chains a transformation into a measurement (checks domain and metric fit); the result releases. */
export function chain<I, M, O>(t: Transformation<I, M>, m: Measurement<M, O>): Measurement<I, O> {
  checkFit(t.outputDomain, t.outputMetric, m.inputDomain, m.inputMetric);
  return new Measurement(
    t.inputDomain,
    t.inputMetric,
    m.outputMeasure,
    (input, rng) => m.invoke(runTransformation(t, input), rng),
    (dIn) => m.privacyMap(t.stabilityMap(dIn)),
  );
}

/** Chains two transformations (checks fit); stability maps compose. */
export function chainTransformations<A, B, C>(
  first: Transformation<A, B>,
  second: Transformation<B, C>,
): Transformation<A, C> {
  checkFit(first.outputDomain, first.outputMetric, second.inputDomain, second.inputMetric);
  return new Transformation(
    first.inputDomain,
    first.inputMetric,
    second.outputDomain,
    second.outputMetric,
    (input: A) => runTransformation(second, runTransformation(first, input)),
    (dIn) => second.stabilityMap(first.stabilityMap(dIn)),
  );
}

/** Runs several measurements on the same input; the privacy loss is their sequential composition. */
export function composeMeasurements<I, O>(
  parts: readonly Measurement<I, O>[],
): Measurement<I, O[]> {
  const first = parts[0];
  if (!first)
    throw new DpError('measurement.empty', 'Nothing to compose', 'pass at least one measurement');
  for (const p of parts) {
    checkFit(first.inputDomain, first.inputMetric, p.inputDomain, p.inputMetric);
    if (p.outputMeasure !== first.outputMeasure) {
      throw new DpError(
        'measurement.mixed-measures',
        `Cannot compose a ${first.outputMeasure} measurement with a ${p.outputMeasure} one`,
        'use one mechanism family per composition (Laplace → pure, Gaussian → zCDP)',
      );
    }
  }
  return new Measurement(
    first.inputDomain,
    first.inputMetric,
    first.outputMeasure,
    (input, rng) => parts.map((p) => p.invoke(input, rng)),
    (dIn) => parts.map((p) => p.privacyMap(dIn)).reduce((a, b) => compose(a, b)),
  );
}

/** Applies a data-independent function to a measurement's output (post-processing is free). */
export function postprocess<I, O, P>(
  m: Measurement<I, O>,
  f: (released: O) => P,
): Measurement<I, P> {
  return new Measurement(
    m.inputDomain,
    m.inputMetric,
    m.outputMeasure,
    (input, rng) => f(m.invoke(input, rng)),
    m.privacyMap,
  );
}

/** Checks a distance bound is a non-negative rational (shared by maps). */
export function checkDistance(dIn: Rational): Rational {
  if (dIn.lt(ZERO)) {
    throw new DpError(
      'measurement.bad-distance',
      `Distance ${dIn.toString()} is negative`,
      'pass a distance ≥ 0',
    );
  }
  return Rational.from(dIn);
}
