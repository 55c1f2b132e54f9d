/**
 * Identifiers a browser draws while the check read the markup or text otherwise (security review
 * F1–F5): bidi controls reorder text, HTML5 character references draw invisible characters,
 * comments and <style> elements a browser ends elsewhere than the removal did, CSS that draws text
 * or joins blocks, SVG <tspan>s drawn inline, tags drawn as written (<xmp>, Markdown code). Each is held; look-alikes that draw nothing of the
 * kind (right-to-left text, pandas and Styler HTML, an SVG chart, comments) still pass.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, StreamChecker, type NotebookOutput } from '@privet/core/review/index';
import { hiddenRanges } from '@privet/core/review/normalize';
import { prng, randomText } from './random-text.js';

const display = (mime: string, text: string): NotebookOutput => ({
  output_type: 'display_data',
  data: { [mime]: text },
  metadata: {},
});
const html = (t: string): NotebookOutput => display('text/html', t);
const markdown = (t: string): NotebookOutput => display('text/markdown', t);
const svg = (t: string): NotebookOutput => display('image/svg+xml', t);
const stdout = (text: string): NotebookOutput => ({ output_type: 'stream', name: 'stdout', text });
/** Distinct rules of the findings that hold the output (not `info`), sorted. */
const holding = (o: NotebookOutput): string[] =>
  [
    ...new Set(
      checkOutput(o)
        .findings.filter((f) => f.severity !== 'info')
        .map((f) => f.rule),
    ),
  ].sort();
/** Asserts the output is held (not 'pass') by `rule`. */
function heldBy(o: NotebookOutput, rule: string): void {
  const r = checkOutput(o);
  assert.notEqual(r.verdict, 'pass', JSON.stringify(o));
  assert.ok(
    r.findings.some((f) => f.rule === rule && f.severity !== 'info'),
    `${JSON.stringify(o)} → ${r.findings.map((f) => f.rule).join(', ')}`,
  );
}

/** `df._repr_html_()` (pandas 3.0): a `<style scoped>` block and the table. */
const DATAFRAME =
  '<div>\n<style scoped>\n    .dataframe tbody tr th:only-of-type {\n        vertical-align: middle;\n    }\n\n    .dataframe tbody tr th {\n        vertical-align: top;\n    }\n\n    .dataframe thead th {\n        text-align: right;\n    }\n</style>\n<table border="1" class="dataframe">\n  <thead>\n    <tr style="text-align: right;">\n      <th></th>\n      <th>region</th>\n      <th>count</th>\n      <th>mean_cost</th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n      <th>0</th>\n      <td>North</td>\n      <td>120</td>\n      <td>1234.50</td>\n    </tr>\n    <tr>\n      <th>1</th>\n      <td>South</td>\n      <td>250</td>\n      <td>99.25</td>\n    </tr>\n    <tr>\n      <th>2</th>\n      <td>East</td>\n      <td>88</td>\n      <td>0.50</td>\n    </tr>\n  </tbody>\n</table>\n</div>';

/** `df.style.bar(color="#1f77b4").highlight_max(color="#ff7f0e")`: gradients with percentages. */
const STYLER_BAR =
  '<style type="text/css">\n#T_cc570_row0_col1 {\n  width: 10em;\n  background: linear-gradient(90deg, #1f77b4 48.0%, transparent 48.0%);\n}\n#T_cc570_row0_col2 {\n  background-color: #ff7f0e;\n}\n#T_cc570_row1_col1 {\n  width: 10em;\n  background: linear-gradient(90deg, #1f77b4 100.0%, transparent 100.0%);\n}\n#T_cc570_row2_col1 {\n  width: 10em;\n  background: linear-gradient(90deg, #1f77b4 35.2%, transparent 35.2%);\n}\n</style>\n<table id="T_cc570">\n  <thead>\n    <tr>\n      <th class="blank level0" >&nbsp;</th>\n      <th id="T_cc570_level0_col0" class="col_heading level0 col0" >region</th>\n      <th id="T_cc570_level0_col1" class="col_heading level0 col1" >count</th>\n      <th id="T_cc570_level0_col2" class="col_heading level0 col2" >mean_cost</th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n      <th id="T_cc570_level0_row0" class="row_heading level0 row0" >0</th>\n      <td id="T_cc570_row0_col0" class="data row0 col0" >North</td>\n      <td id="T_cc570_row0_col1" class="data row0 col1" >120</td>\n      <td id="T_cc570_row0_col2" class="data row0 col2" >1234.50</td>\n    </tr>\n    <tr>\n      <th id="T_cc570_level0_row1" class="row_heading level0 row1" >1</th>\n      <td id="T_cc570_row1_col0" class="data row1 col0" >South</td>\n      <td id="T_cc570_row1_col1" class="data row1 col1" >250</td>\n      <td id="T_cc570_row1_col2" class="data row1 col2" >99.25</td>\n    </tr>\n    <tr>\n      <th id="T_cc570_level0_row2" class="row_heading level0 row2" >2</th>\n      <td id="T_cc570_row2_col0" class="data row2 col0" >East</td>\n      <td id="T_cc570_row2_col1" class="data row2 col1" >88</td>\n      <td id="T_cc570_row2_col2" class="data row2 col2" >0.50</td>\n    </tr>\n  </tbody>\n</table>\n';

/** `df.style.set_tooltips(…).set_sticky(axis="index").set_caption(…)`: CSS `position`, `content:`. */
const STYLER_TOOLTIPS =
  '<style type="text/css">\n#T_a2800 thead tr th:nth-child(1) {\n  position: sticky;\n  background-color: inherit;\n  left: 0px;\n  z-index: 3 !important;\n}\n#T_a2800 tbody tr th:nth-child(1) {\n  position: sticky;\n  background-color: inherit;\n  left: 0px;\n  z-index: 1;\n}\n#T_a2800 .pd-t {\n  visibility: hidden;\n  position: absolute;\n  z-index: 1;\n  background-color: black;\n  color: white;\n  transform: translate(-20px, -20px);\n}\n#T_a2800 #T_a2800_row0_col0:hover .pd-t {\n  visibility: visible;\n}\n#T_a2800 #T_a2800_row0_col0 .pd-t::after {\n  content: "total visits";\n}\n</style>\n<table id="T_a2800">\n  <caption>Visits by region, n = 458</caption>\n  <thead>\n    <tr>\n      <th class="blank level0" >&nbsp;</th>\n      <th id="T_a2800_level0_col0" class="col_heading level0 col0" >region</th>\n      <th id="T_a2800_level0_col1" class="col_heading level0 col1" >count</th>\n      <th id="T_a2800_level0_col2" class="col_heading level0 col2" >mean_cost</th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n      <th id="T_a2800_level0_row0" class="row_heading level0 row0" >0</th>\n      <td id="T_a2800_row0_col0" class="data row0 col0" >North<span class="pd-t"></span></td>\n      <td id="T_a2800_row0_col1" class="data row0 col1" >120<span class="pd-t"></span></td>\n      <td id="T_a2800_row0_col2" class="data row0 col2" >1234.500000<span class="pd-t"></span></td>\n    </tr>\n    <tr>\n      <th id="T_a2800_level0_row1" class="row_heading level0 row1" >1</th>\n      <td id="T_a2800_row1_col0" class="data row1 col0" >South<span class="pd-t"></span></td>\n      <td id="T_a2800_row1_col1" class="data row1 col1" >250<span class="pd-t"></span></td>\n      <td id="T_a2800_row1_col2" class="data row1 col2" >99.250000<span class="pd-t"></span></td>\n    </tr>\n    <tr>\n      <th id="T_a2800_level0_row2" class="row_heading level0 row2" >2</th>\n      <td id="T_a2800_row2_col0" class="data row2 col0" >East<span class="pd-t"></span></td>\n      <td id="T_a2800_row2_col1" class="data row2 col1" >88<span class="pd-t"></span></td>\n      <td id="T_a2800_row2_col2" class="data row2 col2" >0.500000<span class="pd-t"></span></td>\n    </tr>\n  </tbody>\n</table>\n';

/** `df.style.set_table_styles(…)` with `display`, `position` and `float` (CSS that can join blocks). */
const STYLER_LAYOUT =
  '<style type="text/css">\n#T_23c62 th {\n  display: table-cell;\n  position: sticky;\n  top: 0;\n}\n#T_23c62 td {\n  text-align: right;\n  float: none;\n}\n</style>\n<table id="T_23c62">\n  <thead>\n    <tr>\n      <th id="T_23c62_level0_col0" class="col_heading level0 col0" >region</th>\n      <th id="T_23c62_level0_col1" class="col_heading level0 col1" >count</th>\n      <th id="T_23c62_level0_col2" class="col_heading level0 col2" >mean_cost</th>\n    </tr>\n  </thead>\n  <tbody>\n    <tr>\n      <td id="T_23c62_row0_col0" class="data row0 col0" >North</td>\n      <td id="T_23c62_row0_col1" class="data row0 col1" >120</td>\n      <td id="T_23c62_row0_col2" class="data row0 col2" >1234.500000</td>\n    </tr>\n    <tr>\n      <td id="T_23c62_row1_col0" class="data row1 col0" >South</td>\n      <td id="T_23c62_row1_col1" class="data row1 col1" >250</td>\n      <td id="T_23c62_row1_col2" class="data row1 col2" >99.250000</td>\n    </tr>\n    <tr>\n      <td id="T_23c62_row2_col0" class="data row2 col0" >East</td>\n      <td id="T_23c62_row2_col1" class="data row2 col1" >88</td>\n      <td id="T_23c62_row2_col2" class="data row2 col2" >0.500000</td>\n    </tr>\n  </tbody>\n</table>\n';

describe('F1: bidi controls reorder what is drawn', () => {
  // Each run below is drawn reversed (RLO … PDF): a card, an SSN and an IBAN on screen.
  const runs = ['1111 1111 1111 1114', '9876-54-321', '23 4567 8965 4321 TSEW 28BG'];

  test('a right-to-left override in stream text is held as drawn-order', () => {
    for (const run of runs) {
      const o = stdout(`id: \u202e${run}\u202c\n`);
      assert.equal(checkOutput(o).verdict, 'flag');
      assert.deepEqual(holding(o), ['drawn-order']);
    }
  });

  test('every embedding, override and isolate control holds; text/plain and tracebacks too', () => {
    for (const control of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069])
      heldBy(stdout(`a ${String.fromCharCode(control)}b`), 'drawn-order');
    heldBy(
      {
        output_type: 'execute_result',
        data: { 'text/plain': `\u202e${runs[2]}\u202c` },
        metadata: {},
        execution_count: 1,
      },
      'drawn-order',
    );
    heldBy(
      {
        output_type: 'error',
        ename: 'ValueError',
        evalue: 'x',
        traceback: [`\u202e${runs[0]}\u202c`],
      },
      'drawn-order',
    );
    heldBy(html(`<p>id: \u202e${runs[0]}\u202c</p>`), 'drawn-order');
    heldBy(html('<p>id: &#x202E;1111 1111 1111 1114&#x202C;</p>'), 'drawn-order');
  });

  test('the live stream checker holds the chunk that carries the control', () => {
    const checker = new StreamChecker();
    checker.push('id: \u202e1111 1111 ');
    checker.push('1111 1114\u202c\n');
    assert.equal(checker.verdict(), 'flag');
    assert.deepEqual([...new Set(checker.findings.map((f) => f.rule))], ['drawn-order']);
  });

  test('markup that reorders text holds too: <bdo>, CSS unicode-bidi and direction, flex reverse', () => {
    for (const markup of [
      '<bdo dir="rtl">1111 1111 1111 1114</bdo>',
      '<div dir="rtl"><bdo>1111 1111 1111 1114</bdo></div>',
      '<span style="unicode-bidi:bidi-override;direction:rtl">1111 1111 1111 1114</span>',
      '<style>.r{unicode-bidi:isolate-override;direction:rtl}</style><span class="r">1111 1111 1111 1114</span>',
      '<span style="display:inline-flex;flex-direction:row-reverse"><span>@example.com</span><span>jane.doe</span></span>',
      '<span style="display:inline-flex"><span style="order:2">@example.com</span><span>jane.doe</span></span>',
      '<span style="direction&colon;rtl">1111 1111 1111 4111</span>',
    ])
      heldBy(html(markup), 'drawn-order');
    heldBy(
      svg(
        '<svg xmlns="http://www.w3.org/2000/svg"><text direction="rtl" unicode-bidi="bidi-override">1111 1111 1111 1114</text></svg>',
      ),
      'drawn-order',
    );
  });

  test('right-to-left text without controls passes', () => {
    assert.equal(
      checkOutput(stdout('مرحبا بالعالم: 12 عنصرا\nשלום עולם, 15 פריטים\n')).verdict,
      'pass',
    );
    assert.equal(checkOutput(html('<p dir="rtl">تقرير المبيعات لعام 2024</p>')).verdict, 'pass');
    assert.equal(checkOutput(markdown('**תוצאות**: ממוצע 42.5')).verdict, 'pass');
  });
});

describe('F2: every HTML5 character reference is decoded as drawn', () => {
  const cases: [string, string][] = [
    ['jane.doe&NegativeVeryThinSpace;@example.com', 'email'],
    ['card 4111&ic;1111&ic;1111&ic;1111', 'payment-card'],
    ['4111&ic;1111&ic;1111&ic;1111', 'payment-card'],
    ['SSN 123&it;-45-&af;6789', 'ssn'],
    ['jane.doe&lrm;@example.com', 'email'],
    ['jane.doe&ZeroWidthSpace;@example&InvisibleTimes;.com', 'email'],
    // Digits run on as far as a browser reads them; 0x80–0x9F are Windows-1252 (&#150; is '–').
    ['jane.doe&#0000000064;example.com', 'email'],
    ['SSN 123&#150;45&#150;6789', 'ssn'],
  ];

  test('invisible characters from named references join the identifier (HTML and Markdown)', () => {
    for (const [text, rule] of cases) {
      heldBy(html(text), rule);
      heldBy(markdown(text), rule);
    }
  });

  test('a count behind an invisible reference is still a small cell', () => {
    const table = (cell: string): NotebookOutput =>
      html(
        `<table><thead><tr><th>region</th><th>count</th></tr></thead><tbody><tr><td>North</td><td>${cell}</td></tr><tr><td>South</td><td>250</td></tr></tbody></table>`,
      );
    assert.deepEqual(holding(table('3&lrm;')), ['small-cell']);
    assert.deepEqual(holding(table('&NoBreak;3')), ['small-cell']);
  });

  test('references that draw ordinary text pass', () => {
    assert.equal(
      checkOutput(html('<p>R&amp;D costs &euro;1,200 &mdash; &copy; 2024 &notit;</p>')).verdict,
      'pass',
    );
  });
});

describe('F3: comments and <style> that a browser ends elsewhere hide nothing', () => {
  const cases: [string, string][] = [
    ['<!-->jane.doe@example.com<!-- -->', 'email'],
    ['<!--->jane.doe@example.com<!-- -->', 'email'],
    ['<!-- x --!>card 4111 1111 1111 1111<!-- -->', 'payment-card'],
    ['<p title="<!--">jane.doe@example.com</p><p title="-->">.</p>', 'email'],
    ['<i title="<style>"></i>SSN 123-45-6789<i title="</style>"></i>', 'ssn'],
    ['<textarea><!--</textarea>jane.doe@example.com<textarea>--></textarea>', 'email'],
    ['<style-x>jane.doe@example.com</style-x>', 'email'],
    ['<style>a{}</style x>jane.doe@example.com<style></style>', 'email'],
    // Joined across an abrupt comment; inside a tag a browser ends at the comment's '>'.
    ['jane.doe<!-->@example.com<!-- -->', 'email'],
    ['<p title="--!>jane.doe@example.com"><!-- --!>', 'email'],
    ['<p x=<!-->jane.doe@example.com>', 'email'],
    // One tag to a browser (`x` is "<br"), then text: never joined with the text after <br>.
    ['<p x=<br>jane.doe@example.com>', 'email'],
  ];

  test('the contents are read where a browser draws them (HTML)', () => {
    for (const [text, rule] of cases) heldBy(html(text), rule);
  });

  test('Markdown code spans show comment and <style> delimiters as text', () => {
    heldBy(markdown('`<!--` jane.doe@example.com `-->`'), 'email');
    heldBy(markdown('`<style>` card 4111 1111 1111 1111 `</style>`'), 'payment-card');
  });

  test('real comments still hide, and still join what they split', () => {
    assert.equal(
      checkOutput(html('<!-- generated by pandas --><p>Total: 1,234 rows</p>')).verdict,
      'pass',
    );
    assert.equal(
      checkOutput(markdown('<!-- note: 12 rows -->\n# Summary\n\nAll groups ≥ 10.')).verdict,
      'pass',
    );
    assert.equal(
      checkOutput(html('<p>done<!-- 4111 1111 1111 1111 is hidden --></p>')).verdict,
      'pass',
    );
    heldBy(html('4111<!-- x -->1111 1111 1111'), 'payment-card');
    heldBy(html('jane.doe<!-- -->@example.com'), 'email');
  });

  test('hiddenRanges removes exactly what COMMENT then STYLE remove, when it answers', () => {
    const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
    const STYLE = /<style\b[\s\S]*?(?:<\/style\s*>|$)/gi;
    const rnd = prng(47);
    const pieces = ['<!--', '-->', '--!>', '<!-->', '<!--->', '<style>', '<STYLE a="x>y">'];
    pieces.push('</style>', '</style >', '</style x>', '<style-x>', '<p title="', '"', "'", '>');
    pieces.push('<', '<b>', '</b>', 'x', ' ', '<script>', '</script>', '<textarea>', '<![CDATA[');
    pieces.push(']]>', '<!x', '</ ', '<?', '-', '!', 'a{}', '<svg>', '<p x=', '</textarea>');
    let regions = 0;
    for (let k = 0; k < 60_000; k++) {
      const s = randomText(rnd, pieces, 12);
      const found = hiddenRanges(s, s.includes('<!--'), /<style/i.test(s));
      if (found === undefined) continue;
      let kept = '';
      let from = 0;
      for (let i = 0; i < found.ranges.length; i += 2) {
        kept += s.slice(from, found.ranges[i]);
        from = found.ranges[i + 1] ?? s.length;
      }
      kept += s.slice(from);
      regions += found.ranges.length / 2;
      assert.equal(kept, s.replace(COMMENT, '').replace(STYLE, ''), JSON.stringify(s));
    }
    assert.ok(regions > 3_000, `exercised: ${regions} comments and styles`);
  });
});

describe('F4: CSS that draws text or joins blocks', () => {
  test('text a <style> draws with content: is read', () => {
    heldBy(
      html('<style>#q::before{content:"jane.doe@example.com"}</style><div id="q"></div>'),
      'email',
    );
    heldBy(
      html('<style>#q::after{content:"4111 1111 1111 1111"}</style><div id="q"></div>'),
      'payment-card',
    );
    heldBy(
      html('<style>#q::before{content:"jane.doe\\40 example.com"}</style><div id="q"></div>'),
      'email',
    );
  });

  test('blocks CSS draws inline are read joined', () => {
    heldBy(
      html(
        '<div style="display:inline">jane.doe</div><div style="display:inline">@example.com</div>',
      ),
      'email',
    );
    heldBy(html('<style>p{display:inline}</style><p>jane.doe</p><p>@example.com</p>'), 'email');
    heldBy(
      html('<div style="float:left">4111 1111</div><div style="float:left">&nbsp;1111 1111</div>'),
      'payment-card',
    );
    // Character references and CSS escapes in the property are read as a browser reads them.
    heldBy(
      html(
        '<p style="displ&#97;y:inline">jane.doe</p><p style="\\64 isplay:inline">@example.com</p>',
      ),
      'email',
    );
  });
});

describe('F5: SVG <tspan> and <a> are drawn inline', () => {
  const drawing =
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="20"><text x="0" y="15">jane.doe<tspan>@example.com</tspan></text></svg>';

  test('image/svg+xml and inline SVG in HTML', () => {
    heldBy(svg(drawing), 'email');
    heldBy(html(drawing), 'email');
    heldBy(
      svg(
        '<svg xmlns="http://www.w3.org/2000/svg"><text>jane.doe<a href="#x">@example.com</a></text></svg>',
      ),
      'email',
    );
  });

  test('a chart with tspans of separate labels passes', () => {
    const chart =
      '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">' +
      '<text x="200" y="20" text-anchor="middle"><tspan x="200" dy="0">Visits by region</tspan><tspan x="200" dy="1.2em">(n = 1,234)</tspan></text>' +
      '<g class="xtick"><text x="50" y="290"><tspan>North</tspan></text><text x="150" y="290"><tspan>South</tspan></text></g>' +
      '<g class="ytick"><text x="10" y="250">0</text><text x="10" y="150">500</text><text x="10" y="50">1,000</text></g>' +
      '<text x="300" y="40"><tspan>2024</tspan><tspan dx="4">Q1</tspan><tspan dx="4">mean 12.5</tspan></text>' +
      '<rect x="40" y="100" width="20" height="150" fill="#1f77b4"/></svg>';
    assert.deepEqual(holding(svg(chart)), []);
    assert.deepEqual(holding(html(chart)), []);
  });
});

describe('F6: tags a browser draws as written', () => {
  test('<textarea>, <xmp>, <plaintext>, CDATA and Markdown code show what a tag would hide', () => {
    const cases: [NotebookOutput, string][] = [
      [html('<textarea><x 555-867-5309></textarea>'), 'phone'],
      [html('<TEXTAREA rows=2><x jane.doe@example.com></TEXTAREA>'), 'email'],
      [html('<xmp><x 078-05-1120></xmp>'), 'ssn'],
      [html('<p>log</p><plaintext><x 4111 1111 1111 1111>'), 'payment-card'],
      [svg('<svg><text><![CDATA[<x 555-867-5309>]]></text></svg>'), 'phone'],
      [markdown('Contact: `<x jane.doe@example.com>`'), 'email'],
      [markdown('```\n<x 555-867-5309>\n```'), 'phone'],
      [markdown('~~~\n<x 555-867-5309>\n~~~'), 'phone'],
      [markdown('Output:\n\n    <x 078-05-1120>'), 'ssn'],
    ];
    for (const [o, rule] of cases) heldBy(o, rule);
  });

  test('markup without such elements, and code showing no identifier, still pass', () => {
    for (const o of [
      html('<textarea><b>mean</b> 41.5</textarea>'),
      html('<p><x data-n=3>total</x></p>'),
      markdown('Run `<b>df.head()</b>` to see 5 rows.'),
      markdown('```html\n<td class="n">120</td>\n```'),
    ])
      assert.deepEqual(holding(o), [], JSON.stringify(o));
  });
});

describe('benign pandas output', () => {
  test('DataFrame and Styler HTML (style blocks, colours, tooltips, sticky and layout CSS) pass', () => {
    for (const page of [DATAFRAME, STYLER_BAR, STYLER_TOOLTIPS, STYLER_LAYOUT]) {
      const o: NotebookOutput = {
        output_type: 'execute_result',
        data: { 'text/html': page, 'text/plain': 'df' },
        metadata: {},
        execution_count: 1,
      };
      assert.deepEqual(holding(o), [], page.slice(0, 80));
    }
  });

  test('their <style> blocks are shown exactly hidden (no second reading of the page)', () => {
    for (const page of [DATAFRAME, STYLER_BAR, STYLER_TOOLTIPS, STYLER_LAYOUT]) {
      const found = hiddenRanges(page, page.includes('<!--'), /<style/i.test(page));
      assert.ok(found !== undefined && found.ranges.length === 2, page.slice(0, 80));
    }
  });
});

describe('hostile markup stays linear', () => {
  // No wall-clock assertion (speed lives in bench/): a quadratic reading of 200,000 characters
  // runs for minutes, which the time limit turns into a failure.
  test('repeated style, comment, bidi and layout markup finishes', { timeout: 60_000 }, () => {
    const units = ['<style>', '<style><style>a</style>', '<!--->', '<p x=<!--', '<p x=<br>'];
    units.push('<textarea>', '<![CDATA[<', '<style-x>', '<bdo dir=rtl>', '<tspan>', '&ic;');
    units.push('<p style="display:inline">', '\u202e1', '<a title="', '<!-- --!>');
    for (const unit of units) {
      const text = unit.repeat(Math.ceil(200_000 / unit.length));
      const r = checkOutput({
        output_type: 'display_data',
        data: { 'text/html': text, 'text/markdown': text },
        metadata: {},
      });
      assert.ok(['pass', 'flag', 'block'].includes(r.verdict), unit);
    }
  });
});

describe('JSON strings holding markup', () => {
  test('are read as written and as drawn: a comment, an attribute or a style is not dropped', () => {
    const json = (value: unknown): NotebookOutput => ({
      output_type: 'display_data',
      metadata: {},
      data: { 'application/json': value },
    });
    for (const note of [
      '<b>x</b><!-- jane.doe@example.com -->',
      '<b title="jane.doe@example.com">x</b>',
      '<style>b::after{content:"jane.doe@example.com"}</style><b>x</b>',
    ]) {
      const review = checkOutput(json({ note }));
      assert.equal(review.verdict, 'block', note);
      assert.ok(
        review.findings.some((f) => f.rule === 'email'),
        note,
      );
    }
    // Split by tags, the drawn reading still joins it.
    assert.equal(checkOutput(json({ hover: 'jane.doe<b>@example.com</b>' })).verdict, 'block');
    assert.equal(checkOutput(json({ hover: '<b>mean</b> 41.5 <i>years</i>' })).verdict, 'pass');
  });
});
