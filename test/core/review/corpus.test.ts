/**
 * The labelled corpus (test/fixtures/review/corpus.json, made by generate.ts): recall on leaks and
 * false-positive rate on benign outputs, printed and held to the targets (≥ 99% / ≤ 1%).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  checkOutput,
  StreamChecker,
  type NotebookOutput,
  type ReviewContext,
} from '@privet/core/review/index';
import { buildCorpus } from '../../fixtures/review/generate.js';
import type { CorpusItem } from '../../fixtures/review/gen-util.js';

const corpus = JSON.parse(
  readFileSync(new URL('../../fixtures/review/corpus.json', import.meta.url), 'utf8'),
) as CorpusItem[];

function contextOf(item: CorpusItem): ReviewContext {
  const ctx = { ...(item.context ?? {}) } as Record<string, unknown>;
  const ids = ctx.knownReleaseIds;
  delete ctx.knownReleaseIds;
  if (Array.isArray(ids)) {
    const known = new Set(ids);
    ctx.knownRelease = (id: string) => known.has(id);
  }
  return ctx as ReviewContext;
}

describe('labelled review corpus', () => {
  test('corpus.json is what generate.ts produces (deterministic)', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(buildCorpus())), corpus);
  });

  test('size and coverage: ≥ 300 items, every rule, every MIME wrapper, evasions', () => {
    assert.ok(corpus.length >= 300, `${corpus.length} items`);
    const rules = new Set(corpus.map((i) => i.rule).filter(Boolean));
    for (const r of [
      'email',
      'phone',
      'payment-card',
      'iban',
      'ssn',
      'ip-address',
      'date-of-birth',
      'small-cell',
      'row-level',
      'dominance',
      'dp-provenance',
      'image',
    ])
      assert.ok(rules.has(r), r);
    const tags = new Set(corpus.flatMap((i) => i.tags));
    for (const t of [
      'evasion:zeroWidth',
      'evasion:homoglyph',
      'evasion:fullwidth',
      'evasion:entity',
      'evasion:split',
      'mime:htmlAttr',
      'mime:plotly',
      'mime:error',
      'benign:log',
      'benign:model-summary',
      'benign:dp',
    ])
      assert.ok(tags.has(t), t);
  });

  test('recall ≥ 99% and false positives ≤ 1%', () => {
    let leaks = 0;
    let caught = 0;
    let exact = 0;
    let benign = 0;
    let falsePos = 0;
    const misses: string[] = [];
    const perRule = new Map<string, [number, number]>();
    for (const item of corpus) {
      const r = checkOutput(item.output as unknown as NotebookOutput, contextOf(item));
      if (item.expect === 'pass') {
        benign++;
        if (r.verdict !== 'pass') {
          falsePos++;
          misses.push(`FP ${item.id}: ${r.findings.map((f) => f.rule).join(',')}`);
        }
        continue;
      }
      leaks++;
      const stat = perRule.get(item.rule ?? '?') ?? [0, 0];
      stat[1]++;
      if (r.verdict !== 'pass') {
        caught++;
        stat[0]++;
        if (r.verdict === item.expect) exact++;
      } else misses.push(`MISS ${item.id}`);
      perRule.set(item.rule ?? '?', stat);
    }
    const recall = caught / leaks;
    const fpr = falsePos / benign;
    console.log(
      `review corpus: ${leaks} leaks, recall ${(recall * 100).toFixed(2)}% (verdict exact ${((exact / leaks) * 100).toFixed(1)}%); ${benign} benign, false positives ${(fpr * 100).toFixed(2)}%`,
    );
    console.log(`per rule: ${[...perRule].map(([k, [c, n]]) => `${k} ${c}/${n}`).join(', ')}`);
    if (misses.length > 0) console.log(misses.slice(0, 20).join('\n'));
    assert.ok(recall >= 0.99, `recall ${recall}`);
    assert.ok(fpr <= 0.01, `false-positive rate ${fpr}`);
  });

  test('stream items split across writes are caught by StreamChecker', () => {
    const split = corpus.filter((i) => i.chunks !== undefined);
    assert.ok(split.length >= 10);
    for (const item of split) {
      const sc = new StreamChecker(contextOf(item));
      for (const c of item.chunks ?? []) sc.push(c);
      assert.notEqual(sc.verdict(), 'pass', item.id);
      // The finding spans the boundary between the writes: it really needed the join.
      const cut = (item.chunks ?? [])[0]?.length ?? 0;
      assert.ok(
        sc.findings.some(
          (f) => 'start' in f.location && f.location.start < cut && f.location.end > cut,
        ),
        `${item.id} spans the cut`,
      );
    }
  });
});
