/**
 * The SVG text reader was made faster (fewer objects per group and tag); what it reads must not
 * change. Its rows and labels on a fixed corpus of generated SVGs (svg-corpus.ts) were recorded
 * with the reader as it was before (fixtures/svg-text-corpus.json) and are compared here, case by
 * case. To record again after a change that is meant to change what is read:
 * `RECORD_SVG_CORPUS=1 node scripts/run-tests.mjs test/core/review/svg-text-speed-equal.test.ts`.
 * Recorded again when the grid reading was added (svg-text-grid.test.ts): 36 cases gained it after
 * an empty line, their reading as written and their labels as before.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  firstLength,
  translation,
  translationX,
  translationY,
} from '@privet/core/review/svg-transform';
import { svgText, type SvgLabel } from '@privet/core/review/svg-text';
import { prng, randomText } from './random-text.js';
import { CORPUS_SIZE, svgCase } from './svg-corpus.js';

const FIXTURE = new URL('./fixtures/svg-text-corpus.json', import.meta.url);

/** What the reader read from one case, with a short hash of the case's markup. */
interface Recorded {
  markup: string;
  rows: string | null;
  labels: [number, number, number][];
}

const hash = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 12);
const compact = (labels: readonly SvgLabel[]): [number, number, number][] =>
  labels.map((l) => [l.row, l.column, l.value]);

/** Reads case `k` with the reader as it is now. */
function read(k: number): Recorded {
  const { markup, whole } = svgCase(k);
  const drawn = svgText(markup, whole);
  return {
    markup: hash(`${whole ? 'svg' : 'html'}:${markup}`),
    rows: drawn?.rows ?? null,
    labels: compact(drawn?.labels ?? []),
  };
}

const now = Array.from({ length: CORPUS_SIZE }, (_, k) => read(k));
if (process.env.RECORD_SVG_CORPUS === '1')
  writeFileSync(FIXTURE, `[\n${now.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`);
const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Recorded[];

describe('the SVG text reader reads what it read before it was made faster', () => {
  test('the corpus is the one recorded, and reads something worth comparing', () => {
    assert.equal(recorded.length, CORPUS_SIZE);
    for (let k = 0; k < CORPUS_SIZE; k++)
      assert.equal(now[k]?.markup, recorded[k]?.markup, `case ${k}: the generator changed`);
    // The corpus exercises rows of several tokens, labels, and cases that draw nothing.
    assert.ok(now.filter((r) => r.rows?.includes('  ') === true).length > 20);
    assert.ok(now.filter((r) => r.labels.length > 0).length > 40);
    assert.ok(now.some((r) => r.rows === null));
  });

  test('rows and labels are as recorded, case by case', () => {
    for (let k = 0; k < CORPUS_SIZE; k++) assert.deepEqual(now[k], recorded[k], `case ${k}`);
  });
});

/** Transform lists as written: usual, spaced, listed, odd, broken, with Unicode spaces. */
const TRANSFORM_PIECES = [
  'translate(10,20)',
  'translate(5)',
  'translate(3 4)',
  'translate( 1e1 , -2.5 )',
  'translate(0,-0)',
  'translate(.5,5.)',
  'translate(1,2,3)',
  'translate()',
  'translate(1px,2)',
  'translate(,2)',
  'translate(2,)',
  'translate(1,,2)',
  'translate(1\u00a02)',
  'Translate(1,2)',
  'scale(1)',
  'scale(1,1)',
  'scale(2)',
  'scale()',
  'rotate(0)',
  'rotate(-0 30 40)',
  'rotate(0,1)',
  'rotate(-45)',
  'skewX(0)',
  'skewY(1)',
  'matrix(1,0,0,1,4,20)',
  'matrix(1 0 0 1 4 -2e1)',
  'matrix(2,0,0,1,0,0)',
  'matrix(1,0,0,1,4)',
  'foo(1)',
  '(1)',
  'translate(0,1',
  'translate((1),2)',
  ' ',
  ',',
  '\t',
  '\u2003',
  '1',
  '',
];

describe('transforms read in place read as translation() reads them', () => {
  test('the y and x of every generated transform list, also inside a longer string', () => {
    const rnd = prng(77);
    for (let k = 0; k < 5000; k++) {
      const t = randomText(rnd, TRANSFORM_PIECES, 4);
      const inside = `<g transform="${t}">`;
      for (const [axis, read] of [
        ['y', translationY],
        ['x', translationX],
      ] as const) {
        const expected = translation(t)?.[axis];
        const got = read(t, 0, t.length);
        const same = got === expected || (Number.isNaN(got) && Number.isNaN(expected));
        assert.ok(same, `${k} (${axis}): ${t}`);
        assert.equal(read(inside, 14, 14 + t.length), got, `${k} (${axis}, inside): ${t}`);
      }
    }
  });

  test('a plain number is read as Number() reads it', () => {
    const rnd = prng(78);
    const digits = ['0', '1', '5', '9', '.', 'e', 'E', '-', '+', '12', '000', '7e-3'];
    for (let k = 0; k < 5000; k++) {
      const t = randomText(rnd, digits, 20);
      const plain = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t);
      if (plain) assert.ok(Object.is(firstLength(t), Number(t)), t);
      else if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?px$/.test(t.trim()))
        assert.equal(firstLength(t), undefined, t);
    }
  });
});
