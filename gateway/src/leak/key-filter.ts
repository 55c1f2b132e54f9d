// Why hand-written: the leak index needs a Bloom filter whose hash seed is secret and drawn per
// build (so the filter says nothing outside this process), over strings, in a few lines; npm's
// Bloom filter packages hash with fixed or caller-visible seeds and bring hashing dependencies.
// MurmurHash3's 32-bit mixing is public-domain and well studied; it only has to spread keys, the
// HMAC tag behind the filter is what decides a match.
import { randomBytes } from 'node:crypto';

/** Filter bits per key: with two probes, about 1.4% of misses pass to the HMAC. */
const BITS_PER_KEY = 16;

/** MurmurHash3 (x86, 32-bit) of a string's UTF-16 code units under `seed`. */
function murmur32(text: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) {
    let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  h ^= text.length;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A KeyFilter as plain data (its bits, mask and secret seeds), for a worker thread. */
export interface KeyFilterSnapshot {
  bits: Uint32Array;
  mask: number;
  seeds: [number, number];
}

/** A Bloom filter of lookup keys (two probes) under random seeds: false hits, never false misses. */
export class KeyFilter {
  private constructor(
    private readonly bits: Uint32Array,
    private readonly mask: number,
    private readonly seeds: readonly [number, number],
  ) {}

  /** A filter holding `keys`, sized for them (at least 1,024 bits). */
  static of(keys: readonly string[]): KeyFilter {
    let size = 1024;
    while (size < keys.length * BITS_PER_KEY && size < 2 ** 31) size *= 2;
    const seed = randomBytes(8);
    const filter = new KeyFilter(new Uint32Array(size / 32), size - 1, [
      seed.readUInt32LE(0),
      seed.readUInt32LE(4),
    ]);
    for (const k of keys) filter.add(k);
    return filter;
  }

  /** The filter rebuilt from a snapshot. */
  static fromSnapshot(s: KeyFilterSnapshot): KeyFilter {
    return new KeyFilter(s.bits, s.mask, s.seeds);
  }

  /** This filter as plain data for a worker thread. */
  snapshot(): KeyFilterSnapshot {
    return { bits: this.bits, mask: this.mask, seeds: [this.seeds[0], this.seeds[1]] };
  }

  /** False only when `key` was certainly not added. */
  mightHold(key: string): boolean {
    return this.seeds.every((seed) => {
      const bit = murmur32(key, seed) & this.mask;
      return (this.bits[bit >>> 5]! & (1 << (bit & 31))) !== 0;
    });
  }

  private add(key: string): void {
    for (const seed of this.seeds) {
      const bit = murmur32(key, seed) & this.mask;
      this.bits[bit >>> 5]! |= 1 << (bit & 31);
    }
  }
}
