/**
 * Mixed-MIME outputs like the review benchmark's (bench/review.ts: a text/plain log, a pandas HTML
 * table, JSON records, markdown), at many sizes and seeds, with hostile fragments spliced in at
 * random places (odd tags, unclosed tags, comments, styles, spans, identifiers, small counts), for
 * the test that checks every finding is what it was before the check was made faster.
 */
import type { NotebookOutput } from '@privet/core/review/index';
import { prng } from './random-text.js';

/** Log-like text of about `bytes` bytes: timestamps, metrics, prose and a small aligned table. */
export function logText(bytes: number, rnd: () => number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const n = Math.floor(rnd() * 1e9);
    const line = [
      `2026-03-05 12:${String(i % 60).padStart(2, '0')}:07,${n % 1000} INFO request ${n.toString(16)}-${(n * 7).toString(16)} done in ${(n % 997) / 10} ms`,
      `epoch=${i} step=${n % 100000} loss=0.${n % 10000} lr=3.0e-04 version 2.${n % 9}.1 rows/s ${n % 9000}`,
      `The model converged after ${n % 300} iterations; validation AUC 0.${n % 1000} on fold ${i % 5}.`,
      `cardiology    ${(n % 900) + 10}    ${(n % 500) / 10}    ${n % 70000}`,
    ][i % 4] as string;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

/** The benchmark's bundle of about `bytes` bytes (bench/review.ts measures these). */
export function benchBundle(bytes: number, seed: number): NotebookOutput {
  const rnd = prng(seed);
  const part = Math.max(200, Math.floor(bytes / 4));
  const rows: string[] = [];
  for (let i = 0, size = 0; size < part; i++) {
    const row = `<tr><th>${i}</th><td>dept_${i % 7}</td><td>${Math.floor(rnd() * 900 + 10)}</td><td>${(rnd() * 1000).toFixed(2)}</td></tr>`;
    rows.push(row);
    size += row.length;
  }
  const records: { group: string; n: number; mean: number }[] = [];
  for (let i = 0, size = 2; size < part; i++) {
    const record = { group: `g${i}`, n: Math.floor(rnd() * 900 + 10), mean: rnd() * 100 };
    records.push(record);
    size += JSON.stringify(record).length + (i > 0 ? 1 : 0);
  }
  return {
    output_type: 'execute_result',
    execution_count: 1,
    metadata: {},
    data: {
      'text/plain': logText(part, rnd) + '\ncontact jane.roe@example.org',
      'text/html': `<table class="dataframe"><thead><tr><th></th><th>dept</th><th>n</th><th>mean_cost</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
      'application/json': { records },
      'text/markdown': logText(part, rnd),
    },
  };
}

/** Fragments spliced into the parts: markup every tag pass must read as before, and identifiers. */
const FRAGMENTS = [
  '<TD>',
  '<Td class="x">',
  '</td >',
  '<td-x>',
  '<tda>',
  '<th:x>',
  '<tr:x>',
  '<TR>',
  '<h1>',
  '<H6 id=a>',
  '<br/>',
  '<g>',
  '<text>',
  '<desc>',
  '<span>',
  '</span>',
  '<b>3</b>',
  '<p x=<br>',
  '<a<b<c>',
  '< td>',
  '<1>',
  '</>',
  '<<td>x>',
  '</<td>b>',
  '<!-- c -->',
  '<!-->',
  '--!>',
  '<style>p{color:red}</style>',
  '<textarea>x</textarea>',
  '<p style="display:inline">',
  '<x title="a>b">',
  '<td rowspan=2>',
  '<th colspan="2">',
  '<table><tr><th>n</th></tr><tr><td>3</td></tr></table>',
  '<table>',
  '</table>',
  '<pre>a  3\nb  4</pre>',
  '<img src=x>',
  '<bdo dir=rtl>',
  'jane.roe@example.org',
  'jane<span>.roe@</span>example.org',
  '555-867-5309',
  '123-45-6789',
  '4111 1111 1111 1111',
  '1985-03-12',
  'born 1985-03-12',
  'n = 4',
  '3 patients',
  '&lt;td&gt;',
  '&amp;',
  '&#64;',
  '<',
  '>',
  '\t',
  '\n',
  '  ',
  'Ｊ',
  '٣',
  '**x**',
  '`code`',
  '\\*',
  'group  count\nA  3\nB  250\n',
  '| a | n |\n|---|---|\n| x | 3 |\n',
];

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

/** `text` with up to `max` fragments spliced in at random places (inside tags too). */
function splice(rnd: () => number, text: string, max: number): string {
  let s = text;
  const n = Math.floor(rnd() * (max + 1));
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (s.length + 1));
    s = s.slice(0, at) + pick(rnd, FRAGMENTS) + s.slice(at);
  }
  return s;
}

/** How many cases `bundleCase` makes. */
export const BUNDLE_CASES = 240;

/**
 * Case `k`: the first five are the benchmark's 100 KB bundles as they are, the next two its
 * 1 KB ones; the others bundles of 300 B to 12 KB with fragments spliced into every part (and
 * into JSON strings, and as extra records with counts).
 */
export function bundleCase(k: number): NotebookOutput {
  if (k < 5) return benchBundle(100_000, 11 + k);
  if (k < 7) return benchBundle(1_000, 11 + k);
  const rnd = prng(1000 + k);
  const out = benchBundle(300 + Math.floor(rnd() * 12_000), k) as NotebookOutput & {
    data: Record<string, unknown>;
  };
  const data = out.data;
  const max = Math.floor(rnd() * 30);
  for (const mime of ['text/plain', 'text/html', 'text/markdown'])
    data[mime] = splice(rnd, data[mime] as string, max);
  const json = data['application/json'] as { records: Record<string, unknown>[] };
  const extra = Math.floor(rnd() * 4);
  for (let e = 0; e < extra; e++)
    json.records.push({
      group: splice(rnd, 'g', 3),
      n: Math.floor(rnd() * 12),
      note: pick(rnd, FRAGMENTS),
    });
  if (rnd() < 0.2) data['text/html'] = [data['text/html'] as string, splice(rnd, '<p>more</p>', 4)];
  if (rnd() < 0.1) delete data['text/markdown'];
  return out;
}
