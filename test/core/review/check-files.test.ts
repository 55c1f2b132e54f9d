import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkFiles,
  exitCodeFor,
  formatFileVerdicts,
} from '../../../gateway/src/review/check-files.js';

describe('gateway checkFiles (privet review check)', () => {
  test('reads notebooks and JSON output arrays, one verdict per output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'privet-review-'));
    try {
      const nb = join(dir, 'a.ipynb');
      writeFileSync(
        nb,
        JSON.stringify({
          nbformat: 4,
          nbformat_minor: 5,
          metadata: {},
          cells: [
            {
              cell_type: 'code',
              source: 'df.mean()',
              metadata: {},
              outputs: [
                {
                  output_type: 'execute_result',
                  execution_count: 1,
                  metadata: {},
                  data: { 'text/plain': 'age    44.1\ndtype: float64' },
                },
              ],
            },
            {
              cell_type: 'code',
              source: 'print(x)',
              metadata: {},
              outputs: [
                {
                  output_type: 'stream',
                  name: 'stdout',
                  text: ['owner: jane.', 'roe@example.org\n'],
                },
              ],
            },
            {
              cell_type: 'code',
              source: 'plot',
              metadata: {},
              outputs: [
                {
                  output_type: 'display_data',
                  metadata: {},
                  data: { 'image/png': 'iVBORw0KGgo=' },
                },
              ],
            },
          ],
        }),
      );
      const arr = join(dir, 'outputs.json');
      writeFileSync(
        arr,
        JSON.stringify([
          {
            output_type: 'execute_result',
            data: { 'text/plain': 'sex\nF     12\nM    195\nName: count, dtype: int64' },
          },
        ]),
      );
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, '{oops');
      const v = await checkFiles([nb, arr, bad, join(dir, 'missing.ipynb')]);
      assert.deepEqual(
        v.map((x) => [x.cell, x.output, x.verdict]),
        [
          [0, 0, 'pass'],
          [1, 0, 'block'],
          [2, 0, 'flag'],
          [-1, 0, 'pass'],
          [-1, -1, 'block'],
          [-1, -1, 'block'],
        ],
      );
      assert.equal(exitCodeFor(v), 1);
      assert.equal(exitCodeFor(v.filter((x) => x.verdict === 'pass')), 0);
      // The policy's threshold applies: 12 < 20 is a small cell.
      const strict = await checkFiles([arr], { small_cell_threshold: 20 });
      assert.equal(strict[0]?.verdict, 'flag');
      const text = formatFileVerdicts(v);
      assert.match(text, /a\.ipynb: cell 1 output 0: block: email/);
      assert.ok(!text.includes('jane.roe'));
      assert.match(text, /2\/6 outputs pass/);
      assert.match(text, /bad\.json is not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
