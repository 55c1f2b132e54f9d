/**
 * A text MIME type takes a string or a list of strings. JupyterLab's renderers draw any other
 * value with String(value) — the items of a nested list, "[object Object]" — so a value of another
 * shape is blocked as `malformed`, never passed on its string items alone. JSON MIME types keep
 * their objects. Each case passed before the check tested the shape.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkNotebook,
  checkOutput,
  checkOutputAfter,
  type NotebookOutput,
  type ReviewResult,
} from '@privet/core/review/index';

const SECRET = 'SSN 078-05-1120, diagnosis HIV: 1 patient in Lyon';
const SMALL_TABLE =
  '<table><tr><th>city</th><th>count</th></tr><tr><td>Lyon</td><td>1</td></tr><tr><td>Oslo</td><td>40</td></tr></table>';

const display = (mime: string, value: unknown): NotebookOutput =>
  ({ output_type: 'display_data', data: { [mime]: value }, metadata: {} }) as NotebookOutput;

/** The blocking `malformed` finding of a result, if any. */
const malformedBlock = (r: ReviewResult) =>
  r.findings.find((f) => f.rule === 'malformed' && f.severity === 'block');

describe('text MIME values that are not text are blocked as malformed', () => {
  const cases: [string, NotebookOutput][] = [
    [
      'text/plain: a list with an object',
      display('text/plain', ['mean income 41234.5', { hidden: SECRET }]),
    ],
    ['text/plain: a list with a nested list', display('text/plain', ['mean 4.5\n', [SECRET]])],
    ['text/plain: an object', display('text/plain', { hidden: SECRET })],
    ['text/plain: a number', display('text/plain', 42)],
    ['text/plain: null', display('text/plain', null)],
    ['text/html: a nested list of small cells', display('text/html', ['<p>ok</p>', [SMALL_TABLE]])],
    [
      'text/markdown: a list with an object',
      display('text/markdown', ['# Totals\n', { t: SECRET }]),
    ],
    [
      'image/svg+xml: a nested list',
      display('image/svg+xml', ['<svg>', ['<text>x</text>'], '</svg>']),
    ],
    ['text/latex: a nested list', display('text/latex', ['$x$', [SECRET]])],
    ['image/png: an object', display('image/png', { b64: 'iVBORw0KGgo=' })],
    ['application/x-custom: a list with a number', display('application/x-custom', ['a', 1])],
  ];
  for (const [name, output] of cases) {
    test(name, () => {
      const r = checkOutput(output, { mode: 'display' });
      assert.equal(r.verdict, 'block', name);
      assert.ok(malformedBlock(r), `${name}: a blocking malformed finding`);
      // The message names the shape, never the content.
      for (const f of r.findings) assert.ok(!f.message.includes('078-05-1120'), f.message);
    });
  }

  test('what a misshapen value holds is still read for the other rules', () => {
    const r = checkOutput(display('text/plain', ['mean income 41234.5', { hidden: SECRET }]));
    // SECRET's "1 patient in Lyon" is a count stated in text, read as in text/plain.
    assert.deepEqual([...new Set(r.findings.map((f) => f.rule))].sort(), [
      'malformed',
      'small-cell',
      'ssn',
    ]);
  });

  test('streams and tracebacks whose items are not text are blocked too', () => {
    const stream = {
      output_type: 'stream',
      name: 'stdout',
      text: ['rows: 120\n', [SECRET]],
    } as unknown as NotebookOutput;
    const error = {
      output_type: 'error',
      ename: 'ValueError',
      evalue: 'bad',
      traceback: ['Traceback:', { frame: SECRET }],
    } as unknown as NotebookOutput;
    const errorValue = {
      output_type: 'error',
      ename: 'ValueError',
      evalue: [SECRET],
      traceback: [],
    } as unknown as NotebookOutput;
    for (const o of [stream, error, errorValue]) {
      assert.equal(checkOutput(o).verdict, 'block', JSON.stringify(o).slice(0, 40));
      assert.ok(malformedBlock(checkOutput(o)));
    }
    // A stream part checked after earlier parts, and a whole notebook, hold it as well.
    assert.ok(malformedBlock(checkOutputAfter(stream, 'earlier part\n')));
    const nb = checkNotebook({ cells: [{ cell_type: 'code', outputs: [stream] }] });
    assert.equal(nb.verdict, 'block');
    assert.ok(malformedBlock(nb.outputs[0]!.result));
  });
});

describe('well-formed outputs are unchanged', () => {
  test('strings and lists of strings are read as text', () => {
    assert.equal(checkOutput(display('text/plain', ['mean income ', '41234.5'])).verdict, 'pass');
    assert.equal(checkOutput(display('text/html', ['<p>mean ', '41234.5</p>'])).verdict, 'pass');
    assert.equal(
      checkOutput({ output_type: 'stream', name: 'stdout', text: ['a\n', 'b\n'] }).verdict,
      'pass',
    );
    assert.equal(
      checkOutput({ output_type: 'error', ename: 'E', evalue: 'v', traceback: ['t'] }).verdict,
      'pass',
    );
    // The list of strings still joins before the rules read it: an address split over lines is found.
    assert.equal(
      checkOutput(display('text/plain', ['jane.roe@', 'example.org'])).findings[0]?.rule,
      'email',
    );
  });

  test('JSON MIME types keep their objects', () => {
    const json = checkOutput(display('application/json', { mean: 41234.5, groups: ['a', 'b'] }));
    assert.equal(json.verdict, 'pass');
    const plotly = checkOutput(
      display('application/vnd.plotly.v1+json', {
        data: [{ type: 'bar', x: ['A', 'B'], y: [40, 3] }],
      }),
    );
    assert.ok(!plotly.findings.some((f) => f.rule === 'malformed'));
    assert.ok(plotly.findings.some((f) => f.rule === 'small-cell'));
    const nested = checkOutput(display('application/json', ['a', { b: [1, 2] }]));
    assert.equal(nested.verdict, 'pass');
  });
});

describe('MIME bundle keys that are not MIME types', () => {
  test('"__proto__" and "constructor" (kept by JSON.parse) are blocked as malformed', () => {
    for (const key of ['__proto__', 'constructor']) {
      const output = JSON.parse(
        `{"output_type":"display_data","metadata":{},"data":{"text/plain":"mean 4.5","${key}":"n = 120"}}`,
      ) as NotebookOutput;
      assert.ok(Object.keys((output as { data: object }).data).includes(key));
      const r = checkOutput(output);
      assert.equal(r.verdict, 'block', key);
      assert.equal(malformedBlock(r)?.mime, key);
    }
  });
});
