/**
 * Markup that draws a picture is held like an image at export, however the picture is written:
 * `<input type="image">`, `<source srcset>`, `poster`, `background`, CSS `url(…)` in style
 * attributes and `<style>` (entity-encoded or CSS-escaped), entity-encoded `data:` URIs, SVG
 * shapes and images, Markdown reference images, and tags a parser-differential trick hides from
 * a quote-aware reading. JupyterLab's sanitizer keeps `<input type=image>` and decodes character
 * references, so each was drawn without review before. Common markup that draws no picture
 * (DataFrame HTML, styled tables, links, Markdown) still passes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const display = (mime: string, text: string): NotebookOutput => ({
  output_type: 'display_data',
  data: { [mime]: text },
  metadata: {},
});
/** Distinct rules of the findings that hold an output at export. */
const heldAtExport = (o: NotebookOutput): string[] => [
  ...new Set(
    checkOutput(o, { mode: 'export' })
      .findings.filter((f) => f.severity !== 'info')
      .map((f) => f.rule),
  ),
];

const HTML_PICTURES: [string, string][] = [
  [
    'input type=image with an entity-encoded data: URI (the audit case)',
    `<input type="image" alt="" src="&#100;ata:image/png;base64,${PNG}">`,
  ],
  ['input type=image, unquoted, upper case', '<INPUT TYPE=IMAGE SRC=chart.png>'],
  ['input with "/" between attributes', '<input/type="image"/src="chart.png">'],
  ['source srcset', '<source srcset="chart.png 1x, chart@2x.png 2x">'],
  ['poster on any element', '<div poster="chart.png"></div>'],
  ['table background', '<table background="chart.png"><tr><td>1200</td></tr></table>'],
  ['body background, entity-encoded', '<body background="&#x63;hart.png">'],
  ['style attribute url()', '<div style="background-image: url(chart.png)"></div>'],
  ['style attribute url() entity-encoded', '<div style="background: u&#114;l(chart.png)"></div>'],
  ['style attribute url() CSS-escaped', '<div style="background: \\75 rl(chart.png)"></div>'],
  ['style attribute image()', `<div style="background-image: image('chart.png')"></div>`],
  [
    'style attribute image-set()',
    `<div style="background-image: image-set('chart.png' 1x)"></div>`,
  ],
  [
    '<style> url() CSS-escaped',
    '<style>.c{background:\\75rl(chart.png)}</style><div class="c"></div>',
  ],
  ['<style> @import', '<style>@import "https://example.org/chart.css";</style><p>x</p>'],
  ['<style> entity-encoded url()', '<style>.c{background:&#117;rl(c.png)}</style>'],
  ['svg image in HTML', '<svg><image href="chart.png"/></svg>'],
  ['object data', '<object data="chart.pdf" type="application/pdf"></object>'],
  ['embed src', '<embed src="chart.pdf">'],
  ['link to a stylesheet', '<link rel="stylesheet" href="https://example.org/c.css"><p>x</p>'],
  ['a quoted ">" before src', '<input alt="a > b" src="chart.png">'],
  ['a quoted "<" before src', '<input alt="<" src="chart.png">'],
  [
    'a comment that a quote-aware reading takes for an attribute value',
    `<!-- <p title=' --> <input alt="<" src="chart.png"> '>`,
  ],
  [
    'a data: link to a picture, entity-encoded',
    `<a href="&#100;ata:image/png;base64,${PNG}">x</a>`,
  ],
];

const MARKDOWN_PICTURES: [string, string][] = [
  ['inline image', `![counts](data:image/png;base64,${PNG})`],
  ['image with brackets in its text', '![a [b] c](chart.png)'],
  ['reference image', '![counts][c]\n\n[c]: chart.png'],
  ['shortcut reference image', '![chart]\n\n[chart]: chart.png'],
  [
    'HTML input type=image in Markdown',
    `Chart:\n\n<input type="image" alt="" src="&#100;ata:image/png;base64,${PNG}">\n`,
  ],
  ['HTML style url() in Markdown', '<span style="background:u&#114;l(c.png)">.</span>'],
];

const SVG_PICTURES: [string, string][] = [
  [
    'entity-encoded url() in a style',
    '<svg><rect width="9" height="9" style="fill:u&#114;l(#p)"/></svg>',
  ],
  ['entity-encoded url() in fill', '<svg><rect width="9" height="9" fill="&#117;rl(#p)"/></svg>'],
  ['CSS-escaped url() in <style>', '<svg><style>rect{fill:\\75 rl(#p)}</style><rect/></svg>'],
  ['glyphs drawn as polygons', '<svg><polygon points="0,0 4,0 4,9"/><text>n</text></svg>'],
  ['a polyline', '<svg><polyline points="0,0 4,9 8,2"/></svg>'],
];

describe('markup that draws a picture is held at export', () => {
  for (const [name, html] of HTML_PICTURES) {
    test(`HTML: ${name}`, () => {
      // An object or embed can also load a document that runs code (scripts.ts): held at display.
      const runs = /<(?:object|embed)\b/.test(html);
      assert.deepEqual(
        heldAtExport(display('text/html', html)),
        runs ? ['script', 'image'] : ['image'],
        html,
      );
      // At display it is shown, with an info note only.
      assert.equal(
        checkOutput(display('text/html', html), { mode: 'display' }).verdict,
        runs ? 'flag' : 'pass',
      );
    });
  }
  for (const [name, md] of MARKDOWN_PICTURES) {
    test(`Markdown: ${name}`, () => {
      assert.deepEqual(heldAtExport(display('text/markdown', md)), ['image'], md);
    });
  }
  for (const [name, svg] of SVG_PICTURES) {
    test(`SVG: ${name}`, () => {
      assert.deepEqual(heldAtExport(display('image/svg+xml', svg)), ['image'], svg);
    });
  }
  test('images: allow lets them through', () => {
    const o = display('text/html', HTML_PICTURES[0]![1]);
    const r = checkOutput(o, { mode: 'export', policy: { images: 'allow' } });
    assert.equal(r.verdict, 'pass');
  });
});

const DATAFRAME = `<div>
<style scoped>
    .dataframe tbody tr th:only-of-type {
        vertical-align: middle;
    }

    .dataframe tbody tr th {
        vertical-align: top;
    }

    .dataframe thead th {
        text-align: right;
    }
</style>
<table border="1" class="dataframe">
  <thead>
    <tr style="text-align: right;">
      <th></th>
      <th>city</th>
      <th>visits</th>
    </tr>
  </thead>
  <tbody>
    <tr>
      <th>0</th>
      <td>Lyon</td>
      <td>120</td>
    </tr>
    <tr>
      <th>1</th>
      <td>Oslo</td>
      <td>88</td>
    </tr>
  </tbody>
</table>
</div>`;

const STYLED = `<style type="text/css">
#T_3f2a1_row0_col1 {
  width: 10em;
  background: linear-gradient(90deg, #d65f5f 50.0%, transparent 50.0%);
}
#T_3f2a1_row1_col1 {
  background-color: #ff0000;
  color: #f1f1f1;
  width: calc(100% - 2px);
}
</style>
<table id="T_3f2a1">
  <thead><tr><th class="blank level0">&nbsp;</th><th id="T_3f2a1_level0_col0" class="col_heading level0 col0">city</th><th class="col_heading level0 col1">visits</th></tr></thead>
  <tbody>
    <tr><th id="T_3f2a1_level0_row0" class="row_heading level0 row0">0</th><td id="T_3f2a1_row0_col0" class="data row0 col0">Lyon</td><td class="data row0 col1">120</td></tr>
    <tr><th class="row_heading level0 row1">1</th><td class="data row1 col0">Oslo</td><td id="T_3f2a1_row1_col1" class="data row1 col1">88</td></tr>
  </tbody>
</table>`;

describe('markup that draws no picture passes at export', () => {
  const benign: [string, NotebookOutput][] = [
    ['pandas DataFrame HTML', display('text/html', DATAFRAME)],
    ['pandas Styler HTML (colours, gradient bars)', display('text/html', STYLED)],
    [
      'links, entities and inline markup',
      display(
        'text/html',
        '<p>See <a href="https://example.org/report?id=3&amp;ref=web" target="_blank">the report</a> &amp; notes &lt;draft&gt; &mdash; <b>Q&amp;A</b>: 5 &lt; 10.</p>',
      ),
    ],
    [
      'details, lists, code',
      display(
        'text/html',
        '<details><summary>Model</summary><ul><li>R² 0.41</li><li><code>fit(x, y)</code></li></ul><pre>coef  1.20\nse    0.30</pre></details>',
      ),
    ],
    [
      'plain text as HTML',
      display('text/html', '<p>Mean income rose 3.2% between 2019 and 2023 across 14 regions.</p>'),
    ],
    [
      'Markdown: links, reference links, code, emphasis',
      display(
        'text/markdown',
        'See [the docs](https://example.org) and [the guide][g] for **details**.\n\n`df.head()` shows 5 rows!\n\n[g]: https://example.org/guide',
      ),
    ],
    [
      'SVG drawing text and rectangles',
      display('image/svg+xml', '<svg><text x="0" y="10">total 1200</text><rect width="5"/></svg>'),
    ],
  ];
  for (const [name, o] of benign) {
    test(name, () => {
      assert.deepEqual(heldAtExport(o), [], name);
      assert.ok(!checkOutput(o, { mode: 'export' }).findings.some((f) => f.rule === 'image'));
    });
  }
});
