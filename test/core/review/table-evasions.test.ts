/**
 * Two proven bypasses of the table rules, their variants and the benign outputs that look like
 * them. F6: a table nested in a cell ended the outer table at its `</table>`, so the rows after it
 * were never read. F8: plotly.py ≥ 6 writes numpy arrays as typed arrays (`{dtype, bdata}`), which
 * plotly.js draws but the review did not decode, so `px.bar(value_counts())` escaped the small-cell
 * rule. Nested tables are read as tables of their own; typed arrays are decoded before the table
 * rules and the identifier scan, and one that does not decode holds the output.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';
import { htmlTables } from '@privet/core/review/html-table';
import { cellText } from '@privet/core/review/html-tags';
import { assertLinear } from './linear-growth.js';
import { prng } from './random-text.js';

const display = (mime: string, value: unknown): NotebookOutput => ({
  output_type: 'display_data',
  data: { [mime]: value },
  metadata: {},
});
const html = (s: string): NotebookOutput => display('text/html', s);

/** Rule ids of the findings that hold the output (not info), one per finding, in order. */
const holding = (o: NotebookOutput): string[] =>
  checkOutput(o)
    .findings.filter((f) => f.severity !== 'info')
    .map((f) => f.rule);

/** The small-cell findings' rule ids (other rules, such as `script`, left out). */
const smallCellRules = (o: NotebookOutput): string[] =>
  holding(o).filter((rule) => rule === 'small-cell');

/** Where small-cell findings point: [row, column] per finding. */
const smallCellsAt = (o: NotebookOutput): [number, number][] =>
  checkOutput(o)
    .findings.filter((f) => f.rule === 'small-cell')
    .map((f) => ('row' in f.location ? [f.location.row, f.location.column] : [-1, -1]));

/**
 * Every row of every table htmlTables reads (labels and cells together, padded to the table's
 * width: a row shorter than the label columns has fewer labels), table by table.
 */
const rowsOf = (s: string): string[][][] =>
  htmlTables(s, 'text/html').map((t) =>
    t.rowLabels.map((labels, r) => [
      ...labels,
      ...Array<string>(t.labelColumns.length - labels.length).fill(''),
      ...(t.cells[r] ?? []),
    ]),
  );

describe('F6: tables nested in a cell', () => {
  const HEAD = '<table><thead><tr><th>region</th><th>count</th></tr></thead><tbody>';
  const row = (region: string, count: string): string =>
    `<tr><td>${region}</td><td>${count}</td></tr>`;
  // The audit's input (core-bypasses.test.ts, F6).
  const F6 =
    '<table><thead><tr><th>region</th><th>count</th></tr></thead><tbody><tr><td>South</td><td>250<table></table></td></tr><tr><td>North</td><td>3</td></tr><tr><td>East</td><td>2</td></tr></tbody></table>';

  test("the audit's input is held as the same table without the inner table is", () => {
    const plain = F6.replace('<table></table>', '');
    assert.deepEqual(holding(html(plain)), ['small-cell', 'small-cell']);
    assert.deepEqual(holding(html(F6)), ['small-cell', 'small-cell']);
    assert.deepEqual(smallCellsAt(html(F6)), smallCellsAt(html(plain)));
  });

  test('an inner table after the small rows, and one in a label cell', () => {
    const after =
      HEAD +
      row('North', '3') +
      row('South', '250<table></table>') +
      row('East', '2') +
      '</tbody></table>';
    assert.deepEqual(smallCellsAt(html(after)), [
      [0, 0],
      [2, 0],
    ]);
    const inLabel =
      HEAD +
      row('South<table><tr><td>x</td></tr></table>', '250') +
      row('North', '3') +
      '</tbody></table>';
    assert.deepEqual(smallCellsAt(html(inLabel)), [[1, 0]]);
  });

  test('the inner table is read as a table of its own, never mixed into the outer rows', () => {
    const inner = '<table><tr><th>group</th><th>n</th></tr><tr><td>a</td><td>700</td></tr></table>';
    const doc = HEAD + row('South', `250${inner}`) + row('North', '3') + '</tbody></table>';
    assert.deepEqual(rowsOf(doc), [
      [
        ['South', '250'],
        ['North', '3'],
      ],
      [['a', '700']],
    ]);
    // Its own small counts are held too.
    const small = inner.replace('700', '4');
    assert.deepEqual(holding(html(HEAD + row('South', `250${small}`) + '</tbody></table>')), [
      'small-cell',
    ]);
  });

  test('two levels of nesting, with small rows after each level', () => {
    const innermost = '<table><tr><td>z</td></tr></table>';
    const inner = `<table><tr><th>group</th><th>n</th></tr><tr><td>a</td><td>5${innermost}</td></tr><tr><td>b</td><td>90</td></tr><tr><td>c</td><td>4</td></tr></table>`;
    const doc = HEAD + row('South', `250${inner}`) + row('North', '3') + '</tbody></table>';
    assert.deepEqual(rowsOf(doc), [
      [
        ['South', '250'],
        ['North', '3'],
      ],
      [
        ['a', '5'],
        ['b', '90'],
        ['c', '4'],
      ],
      [['z']],
    ]);
    // (Findings are keyed by row and column within a part: the inner table's rows 0 and 2, the
    // outer table's row 1.)
    assert.deepEqual(smallCellsAt(html(doc)), [
      [1, 0],
      [0, 0],
      [2, 0],
    ]);
  });

  test('an unclosed inner table takes the rows after it (as a browser does): they are held', () => {
    // A browser ignores the `</td></tr>` (the inner table is their scope) and draws North and
    // East inside the inner table, in the count column of South's row.
    const doc =
      HEAD + row('South', '250<table>') + row('North', '3') + row('East', '2') + '</tbody></table>';
    assert.deepEqual(rowsOf(doc), [
      [['South', '250']],
      [
        ['North', '3'],
        ['East', '2'],
      ],
    ]);
    assert.deepEqual(holding(html(doc)), ['small-cell', 'small-cell']);
    // Unclosed at the end of the document as well.
    assert.deepEqual(holding(html(HEAD + row('South', '250<table>') + row('North', '3'))), [
      'small-cell',
    ]);
  });

  test('a table opened directly in a table, and stray rows after the last </table>', () => {
    const direct =
      HEAD + row('South', '250') + '<table></table>' + row('North', '3') + '</tbody></table>';
    assert.deepEqual(holding(html(direct)), ['small-cell']);
    const stray = HEAD + row('South', '250') + '</tbody></table>' + row('North', '3');
    assert.deepEqual(holding(html(stray)), ['small-cell']);
  });

  test('a </table> a browser does not read as a tag ends nothing', () => {
    for (const decoy of [
      '<span title="</table>"></span>',
      "<span title='x></table>'></span>",
      '<span title=x></table>',
      '<!-- </table> -->',
      '<!-- x --!><b></b>',
      '<!x </table>',
      '<style>td::after{content:"</table>"}</style>',
      '<script>"</table>"</script>',
      '<svg><style></table></style></svg>',
    ]) {
      const doc =
        HEAD +
        row('South', `250${decoy}`) +
        row('North', '3') +
        row('East', '2') +
        '</tbody></table>';
      assert.equal(rowsOf(doc)[0]?.length, 3, decoy);
      assert.deepEqual(smallCellRules(html(doc)), ['small-cell', 'small-cell'], decoy);
    }
    // A textarea draws its content: in a label cell, where text is expected.
    const textarea =
      HEAD +
      row('South<textarea></table></textarea>', '250') +
      row('North', '3') +
      '</tbody></table>';
    assert.deepEqual(holding(html(textarea)), ['small-cell']);
    // A table cell tag with a quoted '>' or '<' in an attribute.
    const attrs =
      HEAD + '<tr><td title="a>b">North</td><td data-x="</table>">3</td></tr></tbody></table>';
    assert.deepEqual(holding(html(attrs)), ['small-cell']);
  });

  test('a cell reads as drawn: attributes, comments and scripts add no text to it', () => {
    for (const cell of ["3<i title='>'></i>", '3<!-- 7 -->', '3<script>x=1</script>', '<b>3</b>']) {
      const doc = HEAD + row('South', '250') + row('North', cell) + '</tbody></table>';
      assert.deepEqual(
        rowsOf(doc),
        [
          [
            ['South', '250'],
            ['North', '3'],
          ],
        ],
        cell,
      );
      assert.deepEqual(smallCellRules(html(doc)), ['small-cell'], cell);
    }
  });

  test('tags in any case, and only whole tag names', () => {
    const mixed = F6.replace(/<table>/g, '<Table>').replace(/<\/table>/g, '</TaBlE>');
    assert.deepEqual(holding(html(mixed)), ['small-cell', 'small-cell']);
    // `<table-x>` is another element: it neither opens nor closes a table.
    const custom =
      HEAD + row('South', '250<table-x></table-x>') + row('North', '3') + '</tbody></table>';
    assert.deepEqual(rowsOf(custom).length, 1);
    assert.deepEqual(holding(html(custom)), ['small-cell']);
  });

  test('benign look-alikes pass: nested layout tables with large counts', () => {
    const layout =
      '<table><tr><td><table><thead><tr><th>region</th><th>count</th></tr></thead><tbody>' +
      row('North', '310') +
      row('South', '250') +
      '</tbody></table></td><td><table><thead><tr><th>sex</th><th>count</th></tr></thead><tbody>' +
      row('F', '290') +
      row('M', '270') +
      '</tbody></table></td></tr></table>';
    assert.equal(checkOutput(html(layout)).verdict, 'pass');
    assert.equal(rowsOf(layout).length, 3);
    const inCell =
      HEAD +
      row('South', '250<table><tr><td>note</td></tr></table>') +
      row('North', '300') +
      '</tbody></table>';
    assert.equal(checkOutput(html(inCell)).verdict, 'pass');
  });

  test('random well-formed nesting: each table reads exactly its own rows and cell text', () => {
    const rnd = prng(606);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    // Cell text, and markup that draws no tag a table reads (decoys included).
    const words = ['North', '3', '250', 'a b', '1,200', '<b>x</b>', '&amp;', ' '];
    // Markup and what it draws: attributes, comments and styles draw nothing; a textarea its text.
    const decor: [string, string][] = [
      ['<span title="</table><td>">', '<span>'],
      ['</span>', '</span>'],
      ['<!-- </td></table> -->', ''],
      ['<br>', '<br>'],
      ['<style>td{}</style>', '<style></style>'],
      ["<i class='a>b'>", '<i>'],
      ['</i>', '</i>'],
      ['<textarea></tr></textarea>', '<textarea>&lt;/tr></textarea>'],
    ];
    const cased = (t: string): string => (rnd() < 0.3 ? t.toUpperCase() : t);
    interface Built {
      markup: string;
      tables: string[][][]; // this table, then the tables nested in it, in document order
    }
    const build = (depth: number): Built => {
      const own: string[][] = [];
      const nested: string[][][] = [];
      let markup = `<${cased('table')}${rnd() < 0.3 ? ' class="t>1"' : ''}>`;
      const rows = 1 + Math.floor(rnd() * 3);
      for (let r = 0; r < rows; r++) {
        markup += `<${cased('tr')}>`;
        const cells: string[] = [];
        const width = 1 + Math.floor(rnd() * 3);
        for (let c = 0; c < width; c++) {
          markup += `<${cased('td')}>`;
          // The cell as drawn: the same text, markup drawing nothing dropped, a nested table as a
          // line break (a block).
          let drawn = '';
          for (let k = Math.floor(rnd() * 4); k > 0; k--) {
            if (depth < 3 && rnd() < 0.25) {
              const inner = build(depth + 1);
              markup += inner.markup;
              drawn += '<br>';
              nested.push(...inner.tables);
            } else if (rnd() < 0.7) {
              const w = pick(words);
              markup += w;
              drawn += w;
            } else {
              const [written, drawnAs] = pick(decor);
              markup += written;
              drawn += drawnAs;
            }
          }
          markup += rnd() < 0.5 ? `</${cased('td')}>` : '';
          cells.push(cellText(drawn, 0, drawn.length));
        }
        own.push(cells);
        markup += rnd() < 0.5 ? `</${cased('tr')}>` : '';
      }
      markup += `</${cased('table')}>`;
      return { markup, tables: [own, ...nested] };
    };
    let nestedSeen = 0;
    for (let k = 0; k < 3000; k++) {
      const parts = [build(0), build(0)];
      const doc = parts.map((p) => p.markup).join('<p>between</p>');
      const want = parts.flatMap((p) => p.tables);
      nestedSeen += want.length - 2;
      // htmlTables pads each table's rows to its widest row.
      const padded = want.map((rows) => {
        const width = Math.max(...rows.map((r) => r.length));
        return rows.map((r) => [...r, ...Array<string>(width - r.length).fill('')]);
      });
      assert.deepEqual(rowsOf(doc), padded, doc);
    }
    assert.ok(nestedSeen > 1000, `exercised: ${nestedSeen} nested tables`);
  });

  describe('bounded on hostile input', () => {
    const cases: [string, (n: number) => string][] = [
      ['deep nesting', (n) => '<table><tr><td>1'.repeat(n)],
      ['deep nesting, closed', (n) => '<table><tr><td>'.repeat(n) + '</table>'.repeat(n)],
      [
        'many nested tables under a wide header',
        (n) =>
          `<table><tr>${'<th>count</th>'.repeat(2000)}</tr>${'<tr><td><caption>c</caption><table><tr><td>5</td></tr></table>'.repeat(n)}</table>`,
      ],
      [
        'unterminated constructs',
        (n) => '<table><tr><td>3<!-- <td title="x'.repeat(n) + '<script>',
      ],
      [
        'stray rows after a table',
        (n) => `<table><tr><td>1</td></tr></table>${'</table><tr><td>2'.repeat(n)}`,
      ],
    ];
    for (const [name, make] of cases)
      test(`linear: ${name}`, () => {
        assertLinear(make, (s) => checkOutput(html(s)), 2_500, name);
      });

    test('nesting past 256 levels is held; spans are capped', () => {
      const deep = html('<table><tr><td>'.repeat(300) + '<b>250</b>');
      assert.match(
        checkOutput(deep)
          .findings.map((f) => f.message)
          .join('\n'),
        /tables nested more than 256 deep/,
      );
      const wide = `<table>${'<tr><td colspan="1000">7</td></tr>'.repeat(5000)}</table>`;
      const t0 = performance.now();
      const found = checkOutput(html(wide)).findings;
      assert.ok(performance.now() - t0 < 5000);
      assert.ok(found.some((f) => f.rule === 'malformed' && /spans expanded/.test(f.message)));
    });
  });
});

describe('F8: plotly typed arrays', () => {
  const PLOTLY = 'application/vnd.plotly.v1+json';
  const figure = (traces: unknown[], extra: Record<string, unknown> = {}): NotebookOutput =>
    display(PLOTLY, { data: traces, layout: { yaxis: { title: { text: 'count' } } }, ...extra });
  /** base64 of a typed array's bytes (little-endian on every machine these tests run on). */
  const b64 = (a: ArrayBufferView): string =>
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  const spec = (dtype: string, a: ArrayBufferView, shape?: string): Record<string, string> =>
    shape === undefined ? { dtype, bdata: b64(a) } : { dtype, bdata: b64(a), shape };
  const bar = (y: unknown): NotebookOutput =>
    figure([{ type: 'bar', x: ['North', 'South', 'East'], y }]);

  test("the audit's input is held as the same plain list is", () => {
    assert.equal(b64(new Int16Array([3, 250, 2])), 'AwD6AAIA');
    const list = bar([3, 250, 2]);
    const encoded = bar({ dtype: 'i2', bdata: 'AwD6AAIA' });
    assert.deepEqual(holding(list), ['small-cell', 'small-cell']);
    assert.deepEqual(holding(encoded), ['small-cell', 'small-cell']);
    assert.deepEqual(smallCellsAt(encoded), smallCellsAt(list));
  });

  test('every dtype plotly.js decodes (short and long names)', () => {
    const small = [3, 250, 2];
    const large = [300, 250, 200];
    const arrays: [string, (xs: number[]) => ArrayBufferView][] = [
      ['i1', (xs) => new Int8Array(xs.map((x) => Math.min(x, 127)))],
      ['u1', (xs) => new Uint8Array(xs.map((x) => Math.min(x, 255)))],
      ['u1c', (xs) => new Uint8ClampedArray(xs)],
      ['i2', (xs) => new Int16Array(xs)],
      ['u2', (xs) => new Uint16Array(xs)],
      ['i4', (xs) => new Int32Array(xs)],
      ['u4', (xs) => new Uint32Array(xs)],
      ['f4', (xs) => new Float32Array(xs)],
      ['f8', (xs) => new Float64Array(xs)],
      ['int16', (xs) => new Int16Array(xs)],
      ['uint8c', (xs) => new Uint8ClampedArray(xs)],
      ['float64', (xs) => new Float64Array(xs)],
    ];
    for (const [dtype, make] of arrays) {
      assert.deepEqual(holding(bar(spec(dtype, make(small)))), ['small-cell', 'small-cell'], dtype);
      // i1 and u1 cannot hold 300: their large values are 127 / 250 / 200 and the like.
      assert.equal(checkOutput(bar(spec(dtype, make(large)))).verdict, 'pass', dtype);
    }
    // Negative and fractional values decode as numbers too (a count must be whole and positive).
    assert.equal(checkOutput(bar(spec('f8', new Float64Array([2.5, 250.5, -3])))).verdict, 'pass');
  });

  test('bdata on x, y, z, labels and values, as the table reader reads them', () => {
    const counts = new Int32Array([3, 250, 2]);
    const h = figure([
      { type: 'bar', orientation: 'h', y: ['North', 'South', 'East'], x: spec('i4', counts) },
    ]);
    assert.deepEqual(holding(h), ['small-cell', 'small-cell']);
    const pie = figure([
      { type: 'pie', labels: ['North', 'South', 'East'], values: spec('i4', counts) },
    ]);
    assert.deepEqual(holding(pie), ['small-cell', 'small-cell']);
    // Numeric category labels as a typed array too (plotly.py encodes any numpy column).
    const years = figure([
      { type: 'bar', x: spec('i2', new Int16Array([2021, 2022, 2023])), y: spec('i4', counts) },
    ]);
    assert.deepEqual(holding(years), ['small-cell', 'small-cell']);
    // A heatmap crosstab: z as a 2-D typed array with numpy's shape "rows, columns".
    const z = spec('u2', new Uint16Array([3, 250, 200, 2, 300, 400]), '2, 3');
    const heat = figure([{ type: 'heatmap', x: ['a', 'b', 'c'], y: ['F', 'M'], z }]);
    const heatList = figure([
      {
        type: 'heatmap',
        x: ['a', 'b', 'c'],
        y: ['F', 'M'],
        z: [
          [3, 250, 200],
          [2, 300, 400],
        ],
      },
    ]);
    assert.deepEqual(smallCellsAt(heat), [
      [0, 0],
      [1, 0],
    ]);
    assert.deepEqual(smallCellsAt(heat), smallCellsAt(heatList));
    const zLarge = spec('u2', new Uint16Array([300, 250, 200, 210, 300, 400]), '2,3');
    assert.equal(
      checkOutput(figure([{ type: 'heatmap', x: ['a', 'b', 'c'], y: ['F', 'M'], z: zLarge }]))
        .verdict,
      'pass',
    );
    // An animation frame that only updates y.
    const frames = figure([{ type: 'bar', x: ['North', 'South', 'East'], y: [300, 250, 200] }], {
      frames: [{ name: '2024', data: [{ y: spec('i4', counts) }] }],
    });
    assert.deepEqual(holding(frames), ['small-cell', 'small-cell']);
  });

  test('bdata on text and customdata: the identifier scan reads the decoded numbers', () => {
    const card = 4111111111111111; // a test card number (Luhn-valid), exact in float64
    for (const key of ['customdata', 'text']) {
      const trace = {
        type: 'bar',
        x: ['a', 'b'],
        y: [300, 200],
        [key]: spec('f8', new Float64Array([card, 1])),
      };
      // `text` is drawn on the bars: its 1 is a count drawn as a label (plot-text.ts), held too.
      const held = key === 'text' ? ['payment-card', 'small-cell'] : ['payment-card'];
      assert.deepEqual(holding(figure([trace])), held, key);
      const list = { ...trace, [key]: [card, 1] };
      assert.deepEqual(holding(figure([list])), held, `${key} as a list`);
    }
  });

  test('a typed array that does not decode holds the output', () => {
    const ok = b64(new Int16Array([3, 250, 2]));
    const bad: [string, unknown][] = [
      ['not base64', { dtype: 'i2', bdata: 'AwD6AA!A' }],
      ['base64url', { dtype: 'i2', bdata: ok.replace(/\+/g, '-') + '-_' }],
      ['whitespace', { dtype: 'i2', bdata: `AwD6 AAIA` }],
      ['bad padding', { dtype: 'i2', bdata: 'AwD6AAI=A' }],
      ['4k+1 characters', { dtype: 'i1', bdata: 'AwD6A' }],
      ['not a whole number of items', { dtype: 'i4', bdata: ok }],
      ['unknown dtype', { dtype: 'i8', bdata: ok }],
      ['dtype from the prototype', { dtype: 'constructor', bdata: ok }],
      ['no dtype', { bdata: ok }],
      ['dtype not a string', { dtype: 2, bdata: ok }],
      ['bdata not a string', { dtype: 'i2', bdata: [3, 250, 2] }],
      ['shape not numbers', { dtype: 'i2', bdata: ok, shape: '3,x' }],
      ['shape of another length', { dtype: 'i2', bdata: ok, shape: '2, 2' }],
      ['shape of four dimensions', { dtype: 'i2', bdata: ok, shape: '1,1,1,3' }],
      ['shape as a list', { dtype: 'i2', bdata: ok, shape: [3] }],
      ['zero in a shape', { dtype: 'i2', bdata: ok, shape: '0,3' }],
    ];
    for (const [what, y] of bad) {
      const found = checkOutput(bar(y)).findings;
      assert.ok(
        found.some((f) => f.rule === 'malformed' && /plotly typed array/.test(f.message)),
        what,
      );
      assert.notEqual(checkOutput(bar(y)).verdict, 'pass', what);
    }
    // Anywhere in the figure, not only where tables are read.
    const inLayout = display(PLOTLY, {
      data: [{ type: 'bar', x: ['a'], y: [300] }],
      layout: { xaxis: { tickvals: { dtype: 'x', bdata: ok } } },
    });
    assert.ok(checkOutput(inLayout).findings.some((f) => f.rule === 'malformed'));
  });

  test('typed arrays are decoded within a budget, and the output past it is held', () => {
    const big = new Int8Array(2_000_001).fill(100);
    const t0 = performance.now();
    const found = checkOutput(bar({ dtype: 'i1', bdata: b64(big) })).findings;
    assert.ok(performance.now() - t0 < 10_000);
    assert.ok(found.some((f) => f.rule === 'malformed' && /2,000,000/.test(f.message)));
    // The finding names what was not read, never a value.
    for (const f of found) assert.doesNotMatch(f.message, /ZGRk/);
  });

  test('benign look-alikes pass: typed arrays of large values, scatter coordinates', () => {
    const large = bar(spec('i2', new Int16Array([300, 250, 200])));
    assert.equal(checkOutput(large).verdict, 'pass');
    const scatter = figure([
      {
        type: 'scatter',
        mode: 'markers',
        x: spec('f8', new Float64Array([0.5, 1.25, 2.75, 3.5])),
        y: spec('f4', new Float32Array([10.5, 11.25, 9.75, 12])),
      },
    ]);
    assert.equal(checkOutput(scatter).verdict, 'pass');
    // An empty array (plotly.py skips those, but a spec of zero items is well-formed).
    assert.equal(checkOutput(bar({ dtype: 'i2', bdata: '' })).verdict, 'pass');
    // Typed arrays outside a plotly MIME type are plain JSON (nothing draws them as numbers).
    assert.equal(
      checkOutput(display('application/json', { y: { dtype: 'q', bdata: '!' } })).verdict,
      'pass',
    );
  });
});

describe('a count column with one cell written otherwise', () => {
  test('its other counts are still checked ("250*", "n/a" exempt only themselves)', () => {
    const table = (cells: string[]) =>
      `<table><thead><tr><th>region</th><th>count</th></tr></thead><tbody>${cells
        .map((c, i) => `<tr><td>r${i}</td><td>${c}</td></tr>`)
        .join('')}</tbody></table>`;
    const small = (cells: string[]) =>
      checkOutput(display('text/html', table(cells))).findings.filter(
        (f) => f.rule === 'small-cell',
      ).length;
    assert.equal(small(['250', '3', '2']), 2);
    assert.equal(small(['250*', '3', '2']), 2);
    assert.equal(small(['n/a', '3', '2']), 2);
    assert.equal(small(['250', '300', 'x']), 0);
  });
});
