import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { priceDpPlan } from '@privet/core/dpsql/price';
import { describeColumns } from '@privet/core/dpsql/describe';
import { avgAge, count, plan } from '../core/dpsql/plans.js';
import {
  dryRunHtml,
  dryRunOutput,
  dryRunText,
} from '../../vscode-ext/src/notebook/dry-run-output.js';
import { unaffordable } from '../../vscode-ext/src/notebook/outputs.js';

/** The dry run the gateway would answer for `priced`, with these budget lines. */
function dryRunOf<B>(priced: ReturnType<typeof priceDpPlan>, budget: B[]) {
  return {
    dryRun: true as const,
    planHash: 'h',
    mechanism: priced.mechanism,
    alpha: 0.05,
    cost: priced.cost,
    columns: describeColumns(priced),
    warnings: [],
    budget,
  };
}

describe('the hosts show it', () => {
  test('VS Code’s dry-run output gives an AVG’s ± per group size, not "depends on the data"', () => {
    const priced = priceDpPlan(plan([count(), avgAge()]), { epsilon: 1 });
    const text = dryRunText(dryRunOf(priced, []));
    assert.match(text, /a \(avg\): ± [\d.,]+ over 100 rows · .* over 10,000 rows at 95%/);
    assert.doesNotMatch(text, /depends on the data/);
  });
});

describe('a dry run the budget cannot pay', () => {
  /** A dry run costing ε 0.5, δ 1e-6 on `people`, with `left` remaining there. */
  function dryRun(
    left: { epsilon: string; delta: string },
    affordable: boolean,
    perQuery?: { epsilon?: string; delta?: string },
  ) {
    const amount = (exact: string) => ({ exact, text: exact, value: Number(exact) });
    const priced = priceDpPlan(plan([count()]), { epsilon: 0.5 });
    return dryRunOf(priced, [
      {
        source: 'people',
        remainingBefore: { epsilon: amount(left.epsilon), delta: amount(left.delta) },
        cost: { epsilon: '0.5', delta: '0.000001' },
        ...(perQuery ? { perQuery } : {}),
        affordable,
      },
    ]);
  }

  test("names the policy's per-query limit, apart from what is left, with its own fix", () => {
    const overLimit = dryRun({ epsilon: '1', delta: '0.001' }, false, { epsilon: '1/4' });
    assert.equal(
      unaffordable(overLimit)?.message,
      'the query needs ε=0.5 on people (at most 0.25 per query)',
    );
    assert.match(unaffordable(overLimit)!.fix, /^ask for less ε in this query .*epsilon=0\.1/);
    assert.doesNotMatch(dryRunText(overLimit), /Run and Spend/i);
    assert.match(
      dryRunText(overLimit),
      /budget people: ε 1 left → 0\.5 after, at most ε 0\.25 per query \(NOT affordable/,
    );
    // Above the δ limit and short of ε: both said, ε's fix first.
    const both = dryRun({ epsilon: '0.25', delta: '0.001' }, false, { delta: '1e-7' });
    assert.equal(
      unaffordable(both)?.message,
      'the query needs δ=0.000001 on people (at most ≈1.00e-7 per query); ε=0.5 on people (0.25 left)',
    );
    assert.match(
      unaffordable(both)!.fix,
      /^ask for less ε \(a wider error\).*; or for δ: use a pure-DP .* the policy limits the δ one query/,
    );
    // Within the limit: the limit alone never makes a query unaffordable in the text.
    assert.equal(
      unaffordable(dryRun({ epsilon: '1', delta: '0.001' }, true, { epsilon: '1' })),
      undefined,
    );
  });

  test('offers Run and Spend only when every budget can pay', () => {
    const fine = dryRun({ epsilon: '1', delta: '0.001' }, true);
    assert.equal(unaffordable(fine), undefined);
    assert.match(dryRunText(fine), /Run "Privet: Run and Spend"/);
  });

  test('names what is short (ε or δ) and the fix, and offers no Run and Spend', () => {
    const noEpsilon = dryRun({ epsilon: '0.25', delta: '0.001' }, false);
    assert.deepEqual(
      unaffordable(noEpsilon)?.message,
      'the query needs ε=0.5 on people (0.25 left)',
    );
    assert.match(unaffordable(noEpsilon)!.fix, /ask for less ε/);
    assert.doesNotMatch(dryRunText(noEpsilon), /Run and Spend/i);
    const noDelta = dryRun({ epsilon: '1', delta: '0' }, false);
    assert.deepEqual(
      unaffordable(noDelta)?.message,
      'the query needs δ=0.000001 on people (0 left)',
    );
    assert.match(unaffordable(noDelta)!.fix, /smaller δ/);
    assert.doesNotMatch(
      unaffordable(noDelta)!.fix,
      /epsilon=0\.1/,
      'no ε advice when only δ is short',
    );
    // Both short: both named, both fixes.
    const neither = dryRun({ epsilon: '0.25', delta: '0' }, false);
    assert.equal(
      unaffordable(neither)?.message,
      'the query needs ε=0.5 on people (0.25 left); δ=0.000001 on people (0 left)',
    );
    assert.match(unaffordable(neither)!.fix, /ask for less ε.*smaller δ/);
  });
});

/** The character references escapeHtml writes, and what they stand for. */
const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&amp;': '&',
};

describe('the dry run as HTML', () => {
  /** The text of `html` as a reader sees it: tags gone, references decoded, one line per block. */
  function readable(html: string): string {
    return html
      .replace(/<\/(?:p|li)>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&(?:lt|gt|quot|#39|amp);/g, (ref) => ENTITIES[ref] ?? ref);
  }

  test('says what the text says, in blocks that wrap (a long note is not cut off), escaped', () => {
    const priced = priceDpPlan(plan([count()]), { epsilon: 0.25 });
    const dry = {
      ...dryRunOf(priced, []),
      warnings: ['each privacy unit contributes at most 1 row(s) <in> at most 1 group(s) & more'],
    };
    const html = dryRunHtml(dry);
    assert.doesNotMatch(html, /<pre|white-space/, 'nothing keeps a line from wrapping');
    assert.doesNotMatch(html, /<in>|& more/, 'text is escaped');
    const text = dryRunText(dry);
    for (const line of text.split('\n')) {
      const words = line.replace(/^\s*(?:note: )?/, '');
      assert.ok(readable(html).includes(words), `the HTML says: ${words}`);
    }
    const output = dryRunOutput(dry);
    assert.equal(output.data['text/plain'], text);
    assert.equal(output.data['text/html'], html);
  });
});
