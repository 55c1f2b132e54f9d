// Why: the raw-value leak check must answer "does this string equal a raw identifier value?"
// without the values ever leaving the gateway. The gateway reads the identifier columns once from
// the locked-down raw engine, keeps only HMAC-SHA-256 tags (first 64 bits, sorted for binary
// search: ~8 bytes per value, a false match about 1 in 10^13 per candidate) under a key derived
// from the master key with HKDF, and closes the engine. Nothing is written to disk. An HMAC costs
// microseconds and an output has thousands of candidates, so a Bloom filter under a random
// per-build seed (key-filter.ts) answers most misses first; only its hits are confirmed by tag.
import { hkdfSync } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Policy } from '@privet/core';
import { isIndexedIdentifier } from '@privet/core/policy/lookup';
import { quoteIdent } from '@privet/core/mask/index';
import { openSourceEngine } from '../store/index.js';
import { LeakIndex } from './leak-index.js';
import { candidateWords, MAX_WORDS } from '@privet/core/review/leak-candidates';
import { rawValueKeys } from './normalize.js';

export { LeakIndex } from './leak-index.js';

/** HKDF info string of the leak-index key. */
export const LEAK_KEY_INFO = 'privet-leak-index|v1';

/** Derives the 32-byte leak-index key from the master key. */
export function deriveLeakKey(master: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', master, new Uint8Array(0), LEAK_KEY_INFO, 32));
}

/** Every identifier column of the policy (isIndexedIdentifier), with its source (what the index reads). */
function identifierColumns(policy: Policy): { source: string; column: string }[] {
  return Object.entries(policy.sources).flatMap(([source, s]) =>
    Object.keys(s.columns)
      .filter((column) => isIndexedIdentifier(s, column))
      .map((column) => ({ source, column })),
  );
}

/** The sources the index reads, each once. */
function identifierSources(policy: Policy): string[] {
  return [...new Set(identifierColumns(policy).map((c) => c.source))];
}

/**
 * A cheap version stamp of the raw files behind the index (path, size, modification time): when
 * it changes, the raw data may have changed and the index must be rebuilt before it answers.
 */
export function identifierSourcesStamp(policy: Policy, policyDir: string): string {
  return identifierSources(policy)
    .map((name) => {
      const path = resolve(policyDir, policy.sources[name]!.path);
      try {
        const st = statSync(path);
        return `${path}|${st.size}|${st.mtimeMs}`;
      } catch {
        return `${path}|missing`;
      }
    })
    .join('\n');
}

/** Builds the leak index from the raw values of every identifier column of the policy (isIndexedIdentifier). */
export async function buildLeakIndex(
  policy: Policy,
  policyDir: string,
  masterKey: Uint8Array,
): Promise<LeakIndex> {
  const key = deriveLeakKey(masterKey);
  const stamp = identifierSourcesStamp(policy, policyDir);
  const columns = identifierColumns(policy);
  const keys: string[] = [];
  let maxWords = MAX_WORDS;
  if (columns.length > 0) {
    const engine = await openSourceEngine(policy, policyDir, {
      sourceNames: identifierSources(policy),
    });
    try {
      for (const { source, column } of columns) {
        const table = engine.sources[source]!.table;
        const col = quoteIdent(column);
        const reader = await engine.connection.runAndReadAll(
          `SELECT DISTINCT CAST(${col} AS VARCHAR) FROM ${table} WHERE ${col} IS NOT NULL`,
        );
        for (const value of reader.getColumnsJS()[0] ?? []) {
          const text = String(value);
          keys.push(...rawValueKeys(text));
          maxWords = Math.max(maxWords, candidateWords(text).split(' ').length);
        }
      }
    } finally {
      engine.close();
    }
  }
  return LeakIndex.fromKeys(key, keys, stamp, maxWords);
}
