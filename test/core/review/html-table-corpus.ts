/**
 * Seeded HTML for the test that checks the HTML table reader reads what it read before it was
 * made faster: tables of rows of very different widths (a row far wider or narrower than the one
 * before it), spans, nested tables, header rows and cells, captions, and odd markup between.
 */
import { prng, randomText } from './random-text.js';

const CELL_TEXT = ['3', '12', 'n', 'count', 'F', 'M', 'dept_4', '1,234', '', ' ', 'a b', '5%'];
CELL_TEXT.push('<b>7</b>', '&amp;', 'x<br>y', '<span>2</span>', 'jane@example.org', '٣', '\n');
const OPENERS = ['<td>', '<th>', '<TD>', '<td >', '<td rowspan=2>', '<th colspan="3">'];
OPENERS.push('<td rowspan="0">', '<td colspan=1001>', '<td colspan=2 rowspan=2>', '<th scope=row>');
const BETWEEN = ['', '', '', '</td>', '</th>', '<!-- c -->', '<b>', '</b>', '<svg>', '</svg>'];
BETWEEN.push('<textarea><td>9</td></textarea>', '<script>"</td>"</script>', '<tr/>', '</tr>');
const PIECES = ['<table>', '</table>', '<tr>', '</tr>', '<td>', '</td>', '<thead>', '</thead>'];
PIECES.push('<tbody>', '<caption>counts</caption>', '<th>n</th>', '3', 'x', '<td>2', '<p>');

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

/** How many cases `htmlTableCase` makes. */
export const HTML_TABLE_CASES = 400;

/** Case `k`: a structured table (rows of random widths, now and then a nested table), or loose pieces. */
export function htmlTableCase(k: number): string {
  const rnd = prng(31_000 + k);
  if (k % 5 === 4) return randomText(rnd, PIECES, 80);
  let s = rnd() < 0.5 ? '<table>' : '<table class="dataframe"><thead>';
  const rows = Math.floor(rnd() * 30);
  for (let r = 0; r < rows; r++) {
    if (r === 1 && rnd() < 0.5) s += '</thead><tbody>';
    s += rnd() < 0.9 ? '<tr>' : '<TR>';
    const width = rnd() < 0.1 ? Math.floor(rnd() * 150) : Math.floor(rnd() * 8);
    for (let c = 0; c < width; c++) {
      s += pick(rnd, OPENERS) + pick(rnd, CELL_TEXT);
      if (rnd() < 0.03)
        s += `<table><tr><th>n</th></tr><tr><td>${pick(rnd, CELL_TEXT)}</td></tr></table>`;
      s += pick(rnd, BETWEEN);
    }
    if (rnd() < 0.8) s += '</tr>';
  }
  return rnd() < 0.9 ? `${s}</tbody></table>` : s;
}
