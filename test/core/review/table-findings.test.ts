/**
 * Findings of two tables of one part at the same row and column used to merge into one (findings
 * were keyed by rule, part, row and column): the output was still held, but a reviewer saw only
 * the outer table's cell and not the nested table's. Each table's finding now names its table.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkOutput,
  StreamChecker,
  type Finding,
  type NotebookOutput,
} from '@privet/core/review/index';

const html = (s: string): NotebookOutput => ({
  output_type: 'display_data',
  data: { 'text/html': s, 'text/plain': '<pandas.io.formats.style.Styler>' },
  metadata: {},
});
const smallCells = (o: NotebookOutput): Finding[] =>
  checkOutput(o).findings.filter((f) => f.rule === 'small-cell');

const HEAD = '<table><thead><tr><th>region</th><th>count</th></tr></thead><tbody>';
const row = (region: string, count: string): string =>
  `<tr><td>${region}</td><td>${count}</td></tr>`;

describe('findings of different tables at the same cell', () => {
  test('an inner and an outer table with a small count at row 2, column 1: two findings', () => {
    const inner =
      '<table><tr><th>ward</th><th>count</th></tr>' +
      '<tr><td>A</td><td>410</td></tr><tr><td>B</td><td>2</td></tr></table>';
    const doc = HEAD + row('South', `250${inner}`) + row('North', '3') + '</tbody></table>';
    const found = smallCells(html(doc));
    assert.deepEqual(
      found.map((f) => f.location),
      [
        { row: 1, column: 0 },
        { row: 1, column: 0, table: 1 },
      ],
    );
    assert.doesNotMatch(found[0]?.message ?? '', /table 2/);
    assert.match(found[1]?.message ?? '', /\(table 2 of this part\)$/);
  });

  test('two tables side by side (pandas outputs of two groupbys) name their tables', () => {
    const table = (a: string, b: string): string =>
      HEAD + row('South', a) + row('North', b) + '</tbody></table>';
    const found = smallCells(
      html(`<h4>2023</h4>${table('250', '4')}<h4>2024</h4>${table('300', '2')}`),
    );
    assert.equal(found.length, 2);
    assert.deepEqual(
      found.map((f) => f.location),
      [
        { row: 1, column: 0 },
        { row: 1, column: 0, table: 1 },
      ],
    );
  });

  test('one table keeps its plain locations and messages', () => {
    const found = smallCells(
      html(HEAD + row('South', '250') + row('North', '3') + '</tbody></table>'),
    );
    assert.deepEqual(
      found.map((f) => f.location),
      [{ row: 1, column: 0 }],
    );
    assert.doesNotMatch(found[0]?.message ?? '', /table \d/);
  });

  test('two printed value_counts() in one stream write name their tables', () => {
    const counts = (a: number, b: number): string =>
      `diagnosis\ninfluenza      250\nasthma         ${a}\nsarcoidosis    ${b}\nName: count, dtype: int64\n`;
    const text = `2023\n${counts(140, 3)}\n2024\n${counts(120, 2)}`;
    const found = new StreamChecker()
      .push(text, 'stdout')
      .findings.filter((f) => f.rule === 'small-cell');
    assert.deepEqual(
      found.map((f) => f.location),
      [
        { row: 2, column: 0 },
        { row: 2, column: 0, table: 1 },
      ],
    );
    assert.match(found[1]?.message ?? '', /\(table 2 of this part\)$/);
  });
});
