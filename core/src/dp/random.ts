// Why: every DP guarantee rests on the noise being drawn from exactly the distribution the proof
// assumes. So randomness comes only from a CSPRNG (`globalThis.crypto.getRandomValues`, or a
// source the caller injects), integers are drawn by rejection (no modulo bias), and Bernoulli
// trials compare integers — no floating point anywhere. Rejection loops terminate with
// probability 1; each is also capped (failure odds < 2^-100 for a working CSPRNG) so a broken
// source fails closed with an error instead of hanging.
import { DpError } from './errors.js';
import type { Rational } from './rational.js';

/** A source of uniformly random 32-bit words. The only randomness the DP engine uses. */
export interface RandomSource {
  /** A uniform integer in [0, 2^32). */
  nextUint32(): number;
}

/** Words fetched per `getRandomValues` call (the Web Crypto limit is 65,536 bytes). */
const BLOCK_WORDS = 4096;

/** Draws from `globalThis.crypto.getRandomValues` in buffered blocks (browsers, Node ≥ 19, workers). */
export class CryptoRandomSource implements RandomSource {
  private readonly buffer = new Uint32Array(BLOCK_WORDS);
  private index = BLOCK_WORDS;

  constructor() {
    if (typeof globalThis.crypto?.getRandomValues !== 'function') {
      throw new DpError(
        'random.no-csprng',
        'globalThis.crypto.getRandomValues is not available in this runtime',
        'run on Node 20+ or a modern browser, or inject a RandomSource backed by a CSPRNG',
      );
    }
  }

  /** A uniform integer in [0, 2^32) from the CSPRNG. */
  nextUint32(): number {
    if (this.index >= BLOCK_WORDS) {
      globalThis.crypto.getRandomValues(this.buffer);
      this.index = 0;
    }
    const word = this.buffer[this.index] as number;
    // Wipe what we hand out so a later memory dump cannot replay the noise of past releases.
    this.buffer[this.index++] = 0;
    return word;
  }
}

let shared: CryptoRandomSource | undefined;

/** The process-wide CSPRNG-backed source, created on first use. */
export function defaultRandomSource(): RandomSource {
  shared ??= new CryptoRandomSource();
  return shared;
}

/** Upper bound on rejection-loop iterations; reaching it means the random source is broken. */
export const MAX_REJECTIONS = 10_000;

/** Throws the "random source looks broken" error (used by every capped rejection loop). */
export function runaway(where: string): never {
  throw new DpError(
    'random.runaway',
    `${where} rejected ${MAX_REJECTIONS} draws in a row, which a working CSPRNG essentially never does`,
    'check the injected RandomSource returns uniform 32-bit words',
  );
}

const TWO_32 = 4294967296;

/** A uniform integer in [0, n) for a safe integer 1 ≤ n ≤ 2^53, exact by rejection. */
export function uniformBelowNumber(n: number, rng: RandomSource = defaultRandomSource()): number {
  if (!(Number.isInteger(n) && n >= 1 && n <= 2 ** 53)) {
    throw new DpError(
      'random.bad-range',
      `uniformBelowNumber(${n}) needs an integer 1 ≤ n ≤ 2^53`,
      'pass a positive safe integer',
    );
  }
  if (n <= TWO_32) {
    // Accept words below the largest multiple of n that fits in 2^32: each residue equally likely.
    const limit = TWO_32 - (TWO_32 % n);
    for (let i = 0; i < MAX_REJECTIONS; i++) {
      const w = rng.nextUint32();
      if (w < limit) return w % n;
    }
    return runaway('uniformBelowNumber');
  }
  // 2^32 < n ≤ 2^53: draw just enough bits (≤ 53, exact in a double) and reject values ≥ n.
  let highMask = 2; // smallest power of two with n ≤ highMask · 2^32 (exact integer comparisons)
  while (highMask * TWO_32 < n) highMask *= 2;
  for (let i = 0; i < MAX_REJECTIONS; i++) {
    const hi = rng.nextUint32() % highMask; // highMask divides 2^32: unbiased
    const v = hi * TWO_32 + rng.nextUint32();
    if (v < n) return v;
  }
  return runaway('uniformBelowNumber');
}

/** A uniform BigInt in [0, n) for n ≥ 1, exact by rejection; uses the fast path when n ≤ 2^53. */
export function uniformBelow(n: bigint, rng: RandomSource = defaultRandomSource()): bigint {
  if (n < 1n) {
    throw new DpError('random.bad-range', 'uniformBelow(n) needs n ≥ 1', 'pass a positive bound');
  }
  if (n <= 9007199254740992n) return BigInt(uniformBelowNumber(Number(n), rng));
  const bits = (n - 1n).toString(2).length;
  const words = Math.ceil(bits / 32);
  const topMask = (1n << BigInt(bits - 32 * (words - 1))) - 1n;
  for (let i = 0; i < MAX_REJECTIONS; i++) {
    let v = BigInt(rng.nextUint32()) & topMask;
    for (let w = 1; w < words; w++) v = (v << 32n) | BigInt(rng.nextUint32());
    if (v < n) return v;
  }
  return runaway('uniformBelow');
}

/** True with probability exactly p = num/den ∈ [0, 1] (one uniform draw compared with num). */
export function bernoulliRational(p: Rational, rng: RandomSource = defaultRandomSource()): boolean {
  if (p.isNegative() || p.num > p.den) {
    throw new DpError(
      'random.bad-probability',
      `Probability ${p.toString()} is outside [0, 1]`,
      'pass a probability between 0 and 1',
    );
  }
  return bernoulliFraction(p.num, p.den, rng);
}

/** True with probability exactly n/d for integers 0 ≤ n ≤ d, d ≥ 1 (no validation; internal fast path). */
export function bernoulliFraction(n: bigint, d: bigint, rng: RandomSource): boolean {
  if (n === 0n) return false;
  if (n >= d) return true;
  return uniformBelow(d, rng) < n;
}
