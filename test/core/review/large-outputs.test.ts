/**
 * Large outputs are read to the end or held: a 150,000-row table is checked row by row (it threw a
 * RangeError before, spreading its rows as function arguments); every table is read, not the first
 * 50 (HTML) or 100 (JSON, text); and where a reader stops at a cap that bounds its memory (HTML
 * table cells, JSON values, text lines), the output is held with a `malformed` finding saying what
 * was not checked, instead of passing unread.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, StreamChecker, type NotebookOutput } from '@privet/core/review/index';

const ROWS = 150_000;

const display = (mime: string, value: unknown): NotebookOutput => ({
  output_type: 'display_data',
  data: { [mime]: value },
  metadata: {},
});

/** Counts per region; the last row's count is `last`. */
function regionCounts(last: number): { region: string; n: number }[] {
  return Array.from({ length: ROWS }, (_, i) => ({
    region: `region ${i}`,
    n: i === ROWS - 1 ? last : 100 + (i % 7),
  }));
}

/** The same rows as a dataresource, a Markdown table and a printed (aligned text) table. */
function renderings(rows: { region: string; n: number }[]): [string, NotebookOutput][] {
  return [
    [
      'JSON',
      display('application/vnd.dataresource+json', {
        schema: { fields: [{ name: 'region' }, { name: 'n' }] },
        data: rows,
      }),
    ],
    [
      'Markdown',
      display(
        'text/markdown',
        '| region | n |\n|---|---|\n' + rows.map((r) => `| ${r.region} | ${r.n} |`).join('\n'),
      ),
    ],
    [
      'text',
      {
        output_type: 'stream',
        name: 'stdout',
        text:
          '            region    n\n' +
          rows.map((r, i) => `${String(i).padStart(6)}  ${r.region}  ${r.n}`).join('\n'),
      },
    ],
  ];
}

/** Distinct rules of the findings that hold the output. */
function holdingRulesOf(output: NotebookOutput): string[] {
  const { findings } = checkOutput(output, { mode: 'display' });
  return [...new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.rule))].sort();
}

/** The messages of the `malformed` findings. */
function malformedMessages(output: NotebookOutput): string[] {
  return checkOutput(output, { mode: 'display' })
    .findings.filter((f) => f.rule === 'malformed')
    .map((f) => f.message);
}

describe('large tables are read to the last row', () => {
  for (const [name, output] of renderings(regionCounts(3)))
    test(`${name}: a small count in row ${ROWS} is found`, () => {
      assert.deepEqual(holdingRulesOf(output), ['small-cell']);
    });
  for (const [name, output] of renderings(regionCounts(250)))
    test(`${name}: ${ROWS} rows of large counts pass`, () => {
      assert.equal(checkOutput(output, { mode: 'display' }).verdict, 'pass');
    });
});

describe('every table is read, however many', () => {
  const small = (k: number, n: number): string =>
    `group  n\nx${k}  ${n}\ny${k}  260\n\nsome words\n`;
  const htmlSmall = (n: number): string =>
    `<table><tr><th>group</th><th>n</th></tr><tr><td>x</td><td>${n}</td></tr><tr><td>y</td><td>260</td></tr></table>`;
  /** 300 tables of large counts, then one with a small count. */
  const many = <T>(table: (k: number, n: number) => T): T[] => [
    ...Array.from({ length: 300 }, (_, k) => table(k, 250)),
    table(300, 3),
  ];

  test('text: a small count in table 301 is found, also when streamed', () => {
    const text = many(small).join('\n');
    assert.deepEqual(holdingRulesOf({ output_type: 'stream', name: 'stdout', text }), [
      'small-cell',
    ]);
    const streamed = new StreamChecker({}, 65_536).push(text);
    assert.deepEqual([...new Set(streamed.findings.map((f) => f.rule))], ['small-cell']);
  });

  test('text tables are checked as they are read, in the order of the findings before', () => {
    // What the line cap left unread comes first, then the HTML table, then the text tables.
    const html = `<table><tr><th>group</th><th>n</th></tr><tr><td>x</td><td>250</td></tr><tr><td>y</td><td>4</td></tr></table>`;
    const steps = Array.from({ length: 200_000 }, (_, i) => `step ${i} done`).join('\n');
    const text = [html, many(small).join('\n'), steps].join('\n');
    const found = checkOutput({ output_type: 'stream', name: 'stdout', text }).findings;
    assert.deepEqual(
      found.map((f) => [f.rule, 'row' in f.location ? f.location.row : -1]),
      [
        ['malformed', -1],
        ['small-cell', 1],
        ['small-cell', 0],
      ],
    );
  });

  test('HTML: a small count in table 301 is found', () => {
    const html = many((_, n) => htmlSmall(n)).join('<p>next</p>');
    assert.deepEqual(holdingRulesOf(display('text/html', html)), ['small-cell']);
  });

  test('JSON: a small count in table 301 is found', () => {
    const parts = many((k, n) => ({
      table: [
        { group: `x${k}`, n },
        { group: `y${k}`, n: 260 },
      ],
    }));
    assert.deepEqual(holdingRulesOf(display('application/json', { parts })), ['small-cell']);
  });
});

describe('what a cap leaves unread holds the output', () => {
  const htmlTable = (rows: number): string =>
    '<table><thead><tr><th>region</th><th>n</th></tr></thead><tbody>' +
    Array.from({ length: rows }, (_, i) => `<tr><td>region ${i}</td><td>250</td></tr>`).join('') +
    '</tbody></table>';

  test('an HTML table over 200,000 cells', () => {
    const [message] = malformedMessages(display('text/html', htmlTable(ROWS)));
    assert.match(message ?? '', /200,000 cells of an HTML table were not checked/);
    assert.match(message ?? '', /df\.head\(100\)/);
    assert.doesNotMatch(message ?? '', /region \d/, 'no data value in the message');
    // Under the cap, the same table passes.
    assert.equal(checkOutput(display('text/html', htmlTable(1000))).verdict, 'pass');
  });

  test('a JSON output over 2,000,000 values, with an address after them', () => {
    const value = {
      values: Array.from({ length: 2_000_100 }, (_, i) => i % 1000),
      note: 'a@b.org',
    };
    assert.match(
      malformedMessages(display('application/json', value)).join(),
      /values after the first 2,000,000 of a JSON output/,
    );
  });

  test('a text over 200,000 lines', () => {
    const text = Array.from({ length: 200_001 }, (_, i) => `step ${i} done`).join('\n');
    assert.match(
      malformedMessages({ output_type: 'stream', name: 'stdout', text }).join(),
      /tables after line 200,000 of a text/,
    );
    const exact = Array.from({ length: 200_000 }, (_, i) => `step ${i} done`).join('\n');
    assert.deepEqual(malformedMessages({ output_type: 'stream', name: 'stdout', text: exact }), []);
  });
});
