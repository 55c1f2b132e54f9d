import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { PublishProgress } from '../../../gateway/src/publish/index.js';
import { progressReporter } from '../../../gateway/src/publish/progress-bar.js';

const EVENTS: PublishProgress[] = [
  { view: 'v', step: 'reserve' },
  { view: 'v', step: 'synthesize', stage: 'one-way', fraction: 0 },
  { view: 'v', step: 'synthesize', stage: 'one-way', fraction: 0.5 },
  { view: 'v', step: 'synthesize', stage: 'one-way', fraction: 1 },
  { view: 'v', step: 'synthesize', stage: 'sample', fraction: 1 },
  { view: 'v', step: 'staged', rows: 10 },
  { view: 'v', step: 'swapped', rows: 10 },
];

function capture(isTTY: boolean) {
  const out: string[] = [];
  const r = progressReporter({ isTTY, write: (s: string) => out.push(s) });
  for (const e of EVENTS) r.onProgress(e);
  r.done();
  return out.join('');
}

describe('publish progress output', () => {
  test('a terminal gets one redrawn bar line, ending at 100 % and a newline', () => {
    const text = capture(true);
    assert.ok(!text.slice(0, -1).includes('\n'), 'redrawn in place with \\r');
    assert.match(text, /\r {2}\[#{15}\.{15}\] {2}50% v: one-way/);
    assert.match(text, /\[#{30}\] 100% v: swapped \(10 rows\)\s*\n$/);
  });

  test('logs get plain lines, one per step or stage, without control characters', () => {
    const lines = capture(false).trimEnd().split('\n');
    assert.deepEqual(lines, [
      '  v: reserve',
      '  v: one-way',
      '  v: sample',
      '  v: staged (10 rows)',
      '  v: swapped (10 rows)',
    ]);
  });
});
