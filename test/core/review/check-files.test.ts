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

/** A notebook of code cells with these outputs. */
const codeCells = (outputs: unknown[][]) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: outputs.map((o) => ({ cell_type: 'code', source: 'x', metadata: {}, outputs: o })),
});

describe('privet review check with the raw-value lookup', () => {
  test('blocks outputs holding a raw value, streams read whole; arrays too; never names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'privet-review-raw-'));
    const raw = new Set(['Ada Lindqvist3']);
    const lookup = (cs: readonly string[]): boolean => cs.some((c) => raw.has(c));
    try {
      const stream = (text: string) => ({ output_type: 'stream', name: 'stdout', text });
      const nb = join(dir, 'names.ipynb');
      writeFileSync(
        nb,
        JSON.stringify(
          codeCells([
            [stream('top: Ada Lind'), stream('qvist3\n'), stream('n 12\n')],
            [stream('Ada Lovelace 12\n')],
          ]),
        ),
      );
      const arr = join(dir, 'outputs.json');
      writeFileSync(
        arr,
        JSON.stringify([
          { output_type: 'display_data', data: { 'text/html': '<td>Ada Lindqvist3</td>' } },
        ]),
      );
      const verdicts = await checkFiles([nb, arr], undefined, { rawValueLeak: lookup });
      assert.deepEqual(
        verdicts.map((v) => `${v.cell}:${v.output}:${v.verdict}`),
        ['0:0:block', '0:1:block', '0:2:block', '1:0:pass', '-1:0:block'],
      );
      assert.ok(verdicts[0]!.findings.some((f) => f.rule === 'raw-value'));
      assert.doesNotMatch(formatFileVerdicts(verdicts), /Lindqvist/);
      const without = await checkFiles([nb], undefined);
      assert.ok(
        without.every((v) => v.verdict === 'pass'),
        'no lookup: the rule cannot run',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
