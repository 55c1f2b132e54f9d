// Why apart from index-build.ts: the index's lookups run in the output-check worker too
// (output-worker.ts), which must not load the raw data engine; it gets the index as a snapshot
// of typed arrays (structured clone within this process; never written anywhere).
import { createHmac } from 'node:crypto';
import { KeyFilter, type KeyFilterSnapshot } from './key-filter.js';
import { MAX_WORDS } from '@privet/core/review/leak-candidates';
import { leakKeys } from './normalize.js';

/** The first 64 bits of HMAC-SHA-256(key, text). */
function tag(key: Uint8Array, text: string): bigint {
  return createHmac('sha256', key).update(text, 'utf8').digest().readBigUInt64BE(0);
}

/** A LeakIndex as plain data, for a worker thread of this process (holds the key: never persist). */
export interface LeakIndexSnapshot {
  key: Uint8Array;
  tags: BigUint64Array;
  filter: KeyFilterSnapshot;
  stamp: string;
  maxWords: number;
}

/** A keyed, in-memory index of raw identifier values. */
export class LeakIndex {
  private constructor(
    private readonly key: Uint8Array,
    private readonly tags: BigUint64Array,
    private readonly filter: KeyFilter,
    /** `identifierSourcesStamp` of the raw files when the index was read. */
    readonly stamp: string,
    /** Words of the longest indexed value (at least MAX_WORDS): how long a candidate run may be. */
    readonly maxWords: number,
  ) {}

  /**
   * The index of these lookup keys (already normalized by `leakKeys`) under the HMAC `key`;
   * `maxWords`: words of the longest raw value (candidate runs are drawn that long).
   */
  static fromKeys(
    key: Uint8Array,
    keys: readonly string[],
    stamp: string,
    maxWords = MAX_WORDS,
  ): LeakIndex {
    const tags = BigUint64Array.from(new Set(keys.map((k) => tag(key, k)))).sort();
    return new LeakIndex(key, tags, KeyFilter.of(keys), stamp, Math.max(MAX_WORDS, maxWords));
  }

  /** The index rebuilt from a snapshot (in the output-check worker). */
  static fromSnapshot(s: LeakIndexSnapshot): LeakIndex {
    return new LeakIndex(s.key, s.tags, KeyFilter.fromSnapshot(s.filter), s.stamp, s.maxWords);
  }

  /** This index as plain data for a worker thread. */
  snapshot(): LeakIndexSnapshot {
    return {
      key: this.key,
      tags: this.tags,
      filter: this.filter.snapshot(),
      stamp: this.stamp,
      maxWords: this.maxWords,
    };
  }

  /** How many distinct keys are indexed. */
  get size(): number {
    return this.tags.length;
  }

  /** True when the candidate equals (after normalization) an indexed raw identifier value. */
  matches(candidate: string): boolean {
    return leakKeys(candidate).some((k) => this.filter.mightHold(k) && this.has(tag(this.key, k)));
  }

  private has(t: bigint): boolean {
    let lo = 0;
    let hi = this.tags.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.tags[mid]!;
      if (v === t) return true;
      if (v < t) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
