import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkOutput,
  DP_RELEASE_MIME,
  releaseContentText,
  type NotebookOutput,
  type ReviewContext,
} from '@privet/core/review/index';

const html = (h: string): NotebookOutput => ({
  output_type: 'execute_result',
  data: { 'text/html': h },
});
const plain = (t: string): NotebookOutput => ({
  output_type: 'execute_result',
  data: { 'text/plain': t },
});
/** Distinct rules of the non-info findings, in order of appearance. */
const rulesOf = (o: NotebookOutput, ctx: ReviewContext = {}): string[] => [
  ...new Set(
    checkOutput(o, ctx)
      .findings.filter((f) => f.severity !== 'info')
      .map((f) => f.rule),
  ),
];

describe('small cells', () => {
  const pivot = (v: string): NotebookOutput =>
    html(
      `<table><thead><tr><th></th><th></th><th colspan="2">count</th></tr><tr><th>sex</th><th>age</th><th>A</th><th>B</th></tr></thead><tbody><tr><th rowspan="2">F</th><th>18-39</th><td>40</td><td>${v}</td></tr><tr><th>40-64</th><td>55</td><td>61</td></tr></tbody></table>`,
    );
  test('pivot with spans: the cell location maps through rowspan/colspan', () => {
    const r = checkOutput(pivot('3'));
    assert.equal(r.verdict, 'flag');
    assert.deepEqual(
      r.findings.map((f) => [f.rule, f.location]),
      [['small-cell', { row: 0, column: 1 }]],
    );
    assert.equal(checkOutput(pivot('30')).verdict, 'pass');
    assert.equal(checkOutput(pivot('0')).verdict, 'pass'); // zero is not 0 < n < threshold
  });
  test('counts as floats, text tables, markdown, dataresource', () => {
    assert.deepEqual(rulesOf(plain('sex\nF      3.0\nM    195.0\nName: count, dtype: float64')), [
      'small-cell',
    ]);
    assert.deepEqual(rulesOf(plain('diag   A   B\nsex\nF      3  40\nM     20  50')), [
      'small-cell',
    ]);
    assert.deepEqual(
      rulesOf({
        output_type: 'display_data',
        data: { 'text/markdown': '| dept | n |\n|---|---|\n| a | 4 |\n| b | 40 |' },
      }),
      ['small-cell'],
    );
    const dr = (n: number): NotebookOutput => ({
      output_type: 'execute_result',
      data: {
        'application/vnd.dataresource+json': {
          schema: {
            fields: [
              { name: 'dept', type: 'string' },
              { name: 'count', type: 'integer' },
            ],
            primaryKey: ['dept'],
          },
          data: [
            { dept: 'a', count: n },
            { dept: 'b', count: 50 },
          ],
        },
      },
    });
    assert.deepEqual(rulesOf(dr(2)), ['small-cell']);
    assert.deepEqual(rulesOf(dr(12)), []);
  });
  test('threshold comes from the policy', () => {
    const t = plain('sex\nF     12\nM    195\nName: count, dtype: int64');
    assert.equal(checkOutput(t).verdict, 'pass');
    assert.equal(checkOutput(t, { policy: { small_cell_threshold: 20 } }).verdict, 'flag');
    // A whole policy can be passed; its export block is read.
    const policy = {
      export: { small_cell_threshold: 20, images: 'review', require_review_for_flagged: true },
    };
    assert.equal(checkOutput(t, { policy: policy as ReviewContext['policy'] }).verdict, 'flag');
  });
  test('percentages with a stated total', () => {
    assert.deepEqual(
      rulesOf(
        html(
          '<table><caption>n=200</caption><tr><th>d</th><th>share</th></tr><tr><td>a</td><td>2.5%</td></tr><tr><td>b</td><td>97.5%</td></tr></table>',
        ),
      ),
      ['small-cell'],
    );
    assert.deepEqual(
      rulesOf(
        html(
          '<table><caption>n=2000</caption><tr><th>d</th><th>share</th></tr><tr><td>a</td><td>2.5%</td></tr></table>',
        ),
      ),
      [],
    );
  });
  test('non-count tables pass: coefficients, describe(), support columns', () => {
    assert.deepEqual(
      rulesOf(plain('          coef  std err\nage     0.0412    0.004\nvisits  3.0000    1.000')),
      [],
    );
    assert.deepEqual(rulesOf(plain('        age\ncount  580.0\nmin      1.0\nmax     89.0')), []);
  });
});

describe('row-level data, dominance, DP provenance, images', () => {
  const view = {
    name: 'patients_masked',
    tier: 'masked',
    quasiIdentifiers: ['age_band', 'sex', 'zip'],
    columns: ['patient_id', 'age_band', 'sex', 'zip', 'diagnosis'],
  };
  const head = plain(
    '  patient_id age_band sex  zip\n0   tok_a1    30-39   F  021\n1   tok_b2    40-49   M  021\n2   tok_c3    30-39   F  100',
  );
  test('df.head() of a masked view is flagged only when the view is in context', () => {
    assert.deepEqual(rulesOf(head, { viewsUsed: [view] }), ['row-level']);
    assert.deepEqual(rulesOf(head), []);
    assert.deepEqual(rulesOf(head, { viewsUsed: [{ ...view, tier: 'synthetic' }] }), []);
  });
  test('an aggregate grouped by quasi-identifiers is not row-level', () => {
    const agg = html(
      '<table><thead><tr><th></th><th>count</th></tr><tr><th>sex</th><th></th></tr></thead><tbody><tr><th>F</th><td>120</td></tr><tr><th>M</th><td>98</td></tr></tbody></table>',
    );
    assert.deepEqual(rulesOf(agg, { viewsUsed: [view] }), []);
  });
  test('dominance: N-k (n=2, k=90%) and p% over contribution columns and context', () => {
    const t = (x1: number, x2: number): NotebookOutput =>
      html(
        `<table><tr><th>firm</th><th>total</th><th>top1</th><th>top2</th></tr><tr><td>a</td><td>1000</td><td>${x1}</td><td>${x2}</td></tr></table>`,
      );
    assert.deepEqual(rulesOf(t(880, 50)), ['dominance']); // 93% > 90%
    assert.deepEqual(rulesOf(t(300, 200)), []);
    assert.deepEqual(rulesOf(t(500, 450)), ['dominance']); // 95%
    const out = plain('total 1000');
    assert.deepEqual(rulesOf(out, { contributions: [{ values: [800, 150, 50] }] }), ['dominance']); // p%: 50 < 10% of 800
    assert.deepEqual(rulesOf(out, { contributions: [{ values: [300, 300, 200, 200] }] }), []);
    assert.deepEqual(rulesOf(out, { contributions: [{ values: [300, -20, 200] }] }), ['dominance']);
  });
  test('DP releases pass the small-cell rule only with a known id in the DP MIME type', () => {
    const rel = {
      release_id: 'r-1',
      statistic: 'count',
      epsilon: 1,
      columns: ['d', 'count'],
      rows: [
        ['a', 3],
        ['b', 90],
      ],
    };
    const known: ReviewContext = { knownRelease: (id) => id === 'r-1' };
    assert.equal(
      checkOutput({ output_type: 'display_data', data: { [DP_RELEASE_MIME]: rel } }, known).verdict,
      'pass',
    );
    assert.deepEqual(
      rulesOf(
        { output_type: 'display_data', data: { [DP_RELEASE_MIME]: { ...rel, release_id: 'r-9' } } },
        known,
      ),
      ['dp-provenance', 'small-cell'],
    );
    assert.deepEqual(rulesOf({ output_type: 'display_data', data: { [DP_RELEASE_MIME]: rel } }), [
      'dp-provenance',
      'small-cell',
    ]);
    assert.deepEqual(
      rulesOf({ output_type: 'display_data', data: { 'application/json': rel } }, known),
      ['dp-provenance', 'small-cell'],
    );
  });
  test('a DP release id vouches only for the content it was released with (keys in any order)', () => {
    const rel = {
      release_id: 'r-1',
      epsilon: 1,
      columns: ['d', 'count'],
      rows: [
        ['a', 3],
        ['b', 90],
      ],
    };
    const seen: string[] = [];
    const bound: ReviewContext = {
      knownRelease: (id, content) => {
        seen.push(content);
        return id === 'r-1' && content === releaseContentText(rel);
      },
    };
    const dp = (value: unknown): NotebookOutput => ({
      output_type: 'display_data',
      data: { [DP_RELEASE_MIME]: value },
    });
    const reordered = { rows: rel.rows, columns: rel.columns, epsilon: 1, release_id: 'r-1' };
    assert.equal(checkOutput(dp(reordered), bound).verdict, 'pass');
    assert.equal(seen[0], releaseContentText(rel));
    const forged = {
      ...rel,
      rows: [
        ['a', 2],
        ['b', 90],
      ],
    };
    assert.deepEqual(rulesOf(dp(forged), bound), ['dp-provenance', 'small-cell']);
  });
  test('raster images are shown at display and held for review at export', () => {
    const img: NotebookOutput = {
      output_type: 'display_data',
      data: { 'image/png': 'iVBORw0KGgo=' },
    };
    assert.equal(checkOutput(img).verdict, 'pass');
    assert.equal(checkOutput(img).findings[0]?.severity, 'info');
    assert.equal(checkOutput(img, { mode: 'export' }).verdict, 'flag');
    assert.equal(checkOutput(img, { mode: 'export', policy: { images: 'allow' } }).verdict, 'pass');
  });
  test('pictures the check cannot read are held at export whatever their MIME type', () => {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const out = (mime: string, value: string): NotebookOutput => ({
      output_type: 'display_data',
      data: { [mime]: value },
    });
    const unreadable = [
      out(
        'image/svg+xml',
        `<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,${png}"/></svg>`,
      ),
      // matplotlib's default SVG: every label is a glyph path, no <text> to read.
      out('image/svg+xml', '<svg><g id="text_1"><path d="M 10 0 L 10 72.9 Z"/></g></svg>'),
      out('text/html', `<div><img src="data:image/png;base64,${png}"></div>`),
      out('text/html', '<div style="background: url(chart.png)"></div>'),
      out('text/markdown', `![counts](data:image/png;base64,${png})`),
      out('application/pdf', 'JVBERi0xLjQK'),
      out('image/x-icon', 'AAABAAEAEBA='),
    ];
    for (const o of unreadable) {
      const mime = Object.keys((o as { data: object }).data)[0];
      assert.equal(checkOutput(o).verdict, 'pass', `${mime}: shown at display`);
      assert.deepEqual(rulesOf(o, { mode: 'export' }), ['image'], `${mime}: held at export`);
      const allowed = checkOutput(o, { mode: 'export', policy: { images: 'allow' } });
      assert.equal(allowed.verdict, 'pass', `${mime}: images: allow lets it through`);
    }
    // Markup that draws only what the check reads stays as it was.
    for (const o of [
      out('image/svg+xml', '<svg><text x="0" y="10">total 1200</text><rect width="5"/></svg>'),
      out('text/html', '<table><tr><th>n</th></tr><tr><td>1200</td></tr></table>'),
      out('text/markdown', 'See [the docs](https://example.org) for **details**.'),
    ]) {
      assert.equal(checkOutput(o, { mode: 'export' }).verdict, 'pass', JSON.stringify(o));
    }
  });
  test('malformed outputs fail closed', () => {
    assert.equal(
      checkOutput({ output_type: 'bogus' } as unknown as NotebookOutput).verdict,
      'flag',
    );
    assert.equal(
      checkOutput({ output_type: 'display_data', data: { 'application/json': '{not json' } })
        .verdict,
      'flag',
    );
    assert.throws(
      () => checkOutput(plain('x'), { policy: { small_cell_threshold: 0 } }),
      /small_cell_threshold/,
    );
  });
});

describe('chart JSON and LaTeX tables', () => {
  const d = (mime: string, v: unknown): NotebookOutput => ({
    output_type: 'display_data',
    data: { [mime]: v },
  });
  const P = 'application/vnd.plotly.v1+json';
  test('plotly heatmaps of counts are crosstabs; correlation heatmaps are not', () => {
    assert.deepEqual(
      rulesOf(
        d(P, {
          data: [
            {
              type: 'heatmap',
              x: ['A', 'B'],
              y: ['F', 'M'],
              z: [
                [40, 3],
                [22, 51],
              ],
            },
          ],
        }),
      ),
      ['small-cell'],
    );
    assert.deepEqual(
      rulesOf(
        d(P, {
          data: [
            {
              type: 'heatmap',
              x: ['a', 'b'],
              y: ['a', 'b'],
              z: [
                [1, 0.3],
                [0.3, 1],
              ],
            },
          ],
        }),
      ),
      [],
    );
  });
  test('categorical histograms and vega-lite count aggregates are counted from the inline rows', () => {
    const rows = (b: number): { d: string }[] => [
      ...Array.from({ length: 20 }, () => ({ d: 'A' })),
      ...Array.from({ length: b }, () => ({ d: 'B' })),
    ];
    const vl = (b: number): NotebookOutput =>
      d('application/vnd.vegalite.v5+json', {
        data: { values: rows(b) },
        mark: 'bar',
        encoding: { x: { field: 'd' }, y: { aggregate: 'count' } },
      });
    assert.deepEqual(rulesOf(vl(2)), ['small-cell']);
    assert.deepEqual(rulesOf(vl(12)), []);
    assert.deepEqual(rulesOf(d(P, { data: [{ type: 'histogram', x: rows(1).map((r) => r.d) }] })), [
      'small-cell',
    ]);
  });
  test('LaTeX tabular counts', () => {
    const tex = (n: number): NotebookOutput =>
      d(
        'text/latex',
        `\\begin{tabular}{lr}\n\\toprule\n dx & count \\\\\n\\midrule\n a & 120 \\\\\n b & ${n} \\\\\n\\end{tabular}`,
      );
    assert.deepEqual(rulesOf(tex(3)), ['small-cell']);
    assert.deepEqual(rulesOf(tex(30)), []);
  });
  test('identifier columns holding bare digits', () => {
    const t = (col: string, v: string): NotebookOutput => ({
      output_type: 'execute_result',
      data: {
        'text/html': `<table><tr><th>k</th><th>${col}</th></tr><tr><td>a</td><td>${v}</td></tr></table>`,
      },
    });
    assert.deepEqual(rulesOf(t('phone', '4155552671')), ['phone']);
    assert.deepEqual(rulesOf(t('ssn', '123456789')), ['ssn']);
    assert.deepEqual(rulesOf(t('order', '4155552671')), []);
  });
});

describe('credentials', () => {
  // The shape of a gateway token (gateway/src/http/tokens.ts: pvt_ + 32 random bytes, base64url).
  const TOKEN = 'pvt_' + 'Qx7-Lm_02pZk9'.repeat(3) + 'abcd';
  const stream = (text: string): NotebookOutput => ({
    output_type: 'stream',
    name: 'stdout',
    text,
  });

  test('a gateway token in any output is blocked, and never repeated in the findings', () => {
    assert.equal(TOKEN.length, 4 + 43);
    for (const output of [
      stream(`PRIVET_TOKEN=${TOKEN}\n`),
      plain(`environ({'HOME': '/root', 'PRIVET_TOKEN': '${TOKEN}'})`),
      plain(`{'Authorization': 'Bearer ${TOKEN}'}`),
      html(`<pre>${TOKEN}</pre>`),
    ]) {
      const r = checkOutput(output);
      assert.equal(r.verdict, 'block', JSON.stringify(output));
      assert.deepEqual(rulesOf(output), ['credential']);
      const said = JSON.stringify(r.findings) + r.redactedPreview;
      assert.ok(!said.includes(TOKEN.slice(4)), 'the token is not echoed');
      assert.match(r.redactedPreview, /\[REDACTED credential\]/);
    }
    // The same token in an export is withheld too (the export runs the same rules).
    assert.equal(checkOutput(stream(TOKEN), { mode: 'export' }).verdict, 'block');
  });

  test('shorter pvt_ words and other secrets-looking text are not gateway tokens', () => {
    assert.equal(checkOutput(stream('pvt_config = load()\n')).verdict, 'pass');
    assert.equal(checkOutput(stream(`pvt_${'a'.repeat(42)}\n`)).verdict, 'pass');
  });
});
