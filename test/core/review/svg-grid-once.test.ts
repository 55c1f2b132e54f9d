/**
 * The grid reading of SVG text (svg-grid.ts: rows by drawn y, cells by drawn x) is added after the
 * reading as written when it has a row that reading lacks — so a table drawn column by column meets
 * the table rules. It used to be added whole: a table the picture also writes row by row was then
 * read twice, and each of its findings reported twice (as "table 1" and "table 2 of this part").
 * The grid now leaves out the body rows of a table the reading as written reads alike (same rows,
 * labels and what the rules read of its context), so each table is reported once; a table only the
 * grid reads (other rows, other lines around it that the rules read) is kept, as before.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { checkOutput } from '@privet/core/review/index';
import { svgText } from '@privet/core/review/svg-text';
import { picture, svg } from './svg-fixture.js';

/** The findings read in the SVG's text, as "rule: message". */
const drawn = (body: string): string[] =>
  checkOutput(svg(body))
    .findings.filter((f) => f.mime === 'image/svg+xml (SVG text)')
    .map((f) => `${f.rule}: ${f.message}`);

/** The findings on table cells (not on labels drawn alone). */
const tableFindings = (body: string): string[] => drawn(body).filter((m) => /column "/.test(m));

const rowsOf = (body: string): string => svgText(picture(body), true)?.rows ?? '';

/** Texts placed by x and y: `cells[k]` drawn at row k from `y0`, written row after row. */
const rowByRow = (cells: readonly (readonly string[])[], y0: number): string =>
  cells
    .map((row, k) =>
      row.map((t, c) => `<text x="${10 + 90 * c}" y="${y0 + 20 * k}">${t}</text>`).join(''),
    )
    .join('');

/** The same, written column after column (d3 appending one column after another). */
const columnByColumn = (columns: readonly (readonly string[])[], y0: number): string =>
  columns
    .map((column, c) =>
      column.map((t, k) => `<text x="${10 + 90 * c}" y="${y0 + 20 * k}">${t}</text>`).join(''),
    )
    .join('');

const WARDS = [
  ['ward', 'n'],
  ['north', '41'],
  ['south', '2'],
  ['east', '57'],
];
const DIAGNOSES = [
  ['diagnosis', 'influenza', 'asthma', 'sarcoidosis'],
  ['count', '120', '3', '310'],
];

describe('each table an SVG shows is reported once', () => {
  test('a table written row by row, beside one drawn column by column: each found once', () => {
    for (const body of [
      rowByRow(WARDS, 20) + columnByColumn(DIAGNOSES, 200),
      columnByColumn(DIAGNOSES, 200) + rowByRow(WARDS, 20),
      // The column-wise table above the row-wise one (the grid reads it first).
      columnByColumn(DIAGNOSES, 20) + rowByRow(WARDS, 200),
    ]) {
      const found = tableFindings(body);
      assert.deepEqual(
        found.map((m) => /column "(\w+)"/.exec(m)?.[1]).sort(),
        ['count', 'n'],
        `one finding per table: ${found.join('; ')}`,
      );
      // The labels "2" and "3" are held once each, as before; nothing else.
      assert.equal(drawn(body).length, 4, drawn(body).join('; '));
      // The grid keeps the table only it reads; the written table's body is not read again.
      const rows = rowsOf(body);
      const grid = rows.slice(rows.indexOf('\n\n') + 2);
      assert.match(
        grid,
        /^diagnosis {2}count\ninfluenza {2}120\nasthma {2}3\nsarcoidosis {2}310$/m,
      );
      assert.doesNotMatch(grid, /^north {2}41$/m);
    }
  });

  test('a table drawn column by column alone is found, its grid whole', () => {
    const body = columnByColumn(DIAGNOSES, 20);
    const rows = rowsOf(body);
    assert.ok(
      rows.endsWith('\n\ndiagnosis  count\ninfluenza  120\nasthma  3\nsarcoidosis  310'),
      rows,
    );
    assert.equal(tableFindings(body).length, 1);
  });

  test('rows all written, but read as a table only in the grid: still found', () => {
    // Each row is written whole, but a note is written after each (drawn far below, side by side):
    // the reading as written has no "n" table; the grid reads one under "ward  n".
    const note = (k: number): string => `<text x="${10 + 90 * k}" y="380">note</text>`;
    const body = WARDS.map((row, k) => rowByRow([row], 20 + 20 * k) + note(k)).join('');
    const found = tableFindings(body);
    assert.equal(found.length, 1, found.join('; '));
    assert.match(found[0] ?? '', /count below the threshold of 10 \(row 2, column "n"\)/);
  });

  test('the same rows, where the grid reads a stated total around them the written lack: kept', () => {
    // Written: the title's total (5000) is the output's; the table's context (the two lines above,
    // the one below) names none, so 2% is 100 of 5000. Drawn: "(n = 100 patients)" is just below the table,
    // so the grid's table reads 2% of 100: 2, held. Its rows are the written ones, its context not
    // (both contexts name counts, "survey counts": only the total tells them apart).
    const body =
      rowByRow([['cohort n = 5000'], ['survey counts']], 10) +
      rowByRow(
        [
          ['group', 'share'],
          ['a', '2%'],
          ['b', '98%'],
        ],
        100,
      ) +
      '<text x="10" y="300">source</text>' +
      '<text x="10" y="160">(n = 100 patients)</text>' +
      '<text x="200" y="300">registry</text>';
    const found = tableFindings(body);
    assert.equal(found.length, 1, found.join('; '));
    assert.match(found[0] ?? '', /percentage of the stated total/);
  });

  test('only small-cells.ts reads a table context, by the signals the grid compares', () => {
    // svg-grid.ts reads two tables alike when the rules read their contexts alike: count words, a
    // pandas int Series footer, a stated total (small-cells.ts). A rule reading more of a table's
    // context must be matched there (findingsKey) before this list grows.
    const dir = new URL('../../../core/src/review/', import.meta.url);
    const readers = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .filter((f) =>
        /(?<!options|this)\.context\b|\{[^}]*\bcontext\b[^}]*\}\s*=/.test(
          readFileSync(new URL(f, dir), 'utf8'),
        ),
      )
      .sort();
    assert.deepEqual(readers, ['small-cells.ts', 'svg-grid.ts']);
  });
});
