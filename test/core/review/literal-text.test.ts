/**
 * Text a browser or a Markdown renderer draws as written — `<textarea>`, `<xmp>`, `<plaintext>`,
 * `<title>`, CDATA sections, Markdown code spans and fences — shows its tags and comments to the
 * user. The count rule read only the text with tags and comments removed, so `<!-- 3 patients -->`
 * in a code span passed; and text laid out in lines there or in `<pre>` (a printed
 * `value_counts()`) was never read as a table. Both are now read as the user sees them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';
import { assertLinear } from './linear-growth.js';

const display = (mime: string, value: string): NotebookOutput => ({
  output_type: 'display_data',
  data: { [mime]: value, 'text/plain': '<IPython.core.display.HTML object>' },
  metadata: {},
});
/** Distinct rules that hold the output (not info). */
const rules = (mime: string, value: string): string[] => [
  ...new Set(
    checkOutput(display(mime, value))
      .findings.filter((f) => f.severity !== 'info')
      .map((f) => f.rule),
  ),
];
/** Where the small-cell findings are, as `mime` and location. */
const smallCells = (mime: string, value: string): string[] =>
  checkOutput(display(mime, value))
    .findings.filter((f) => f.rule === 'small-cell')
    .map((f) => `${f.mime} ${JSON.stringify(f.location)}`);

/** `df.diagnosis.value_counts()` as pandas 2 prints it. */
const VALUE_COUNTS =
  'diagnosis\ninfluenza      120\nasthma          14\nsarcoidosis      3\nName: count, dtype: int64';
/** `df.to_string()` of a small count table. */
const TO_STRING =
  '     diagnosis  patients\n0    influenza       120\n1       asthma        14\n2  sarcoidosis         3';
const LARGE_COUNTS = VALUE_COUNTS.replace(' 14\n', ' 140\n').replace(' 3\n', ' 300\n');

describe('markup drawn as written is read as written', () => {
  test('a comment or a tag inside <textarea>, <xmp>, <plaintext> or <title> is shown text', () => {
    const shown = [
      '<p>Notes for ward B:</p><textarea rows="3" cols="60" readonly><!-- 3 patients transferred --></textarea>',
      '<xmp><style>/* ward B */</style><!-- 3 patients transferred --></xmp>',
      '<textarea readonly><note 3 patients transferred></textarea>',
      '<h3>Raw export</h3><plaintext><!-- 3 patients transferred -->',
      '<title><!-- 3 patients transferred --></title><p>Report</p>',
    ];
    for (const html of shown)
      assert.deepEqual(
        smallCells('text/html', html).map((f) => f.split(' {')[0]),
        ['text/html (as written)'],
        html,
      );
  });

  test('Markdown code spans, fences and indented code show their tags and comments', () => {
    const shown = [
      'The cohort query left a marker: `<!-- 3 patients excluded -->`',
      'Raw cell: `<span hidden>3 patients excluded</span>`',
      'Template:\n\n```html\n<!-- 3 patients excluded -->\n<p>Summary</p>\n```\n',
      'Template:\n\n    <!-- 3 patients excluded -->\n',
      'Template:\r\r\t<!-- 3 patients excluded -->\r',
    ];
    for (const md of shown) assert.deepEqual(rules('text/markdown', md), ['small-cell'], md);
  });

  test('SVG CDATA text is read as written', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="4" y="20">' +
      '<![CDATA[<!-- 3 patients excluded -->]]></text></svg>';
    assert.deepEqual(rules('image/svg+xml', svg), ['small-cell']);
  });

  test('a printed value_counts() in a fence, <pre>, <xmp> or <textarea> is a table', () => {
    const outputs: [string, string][] = [
      ['text/markdown', `Counts by diagnosis:\n\n\`\`\`\n${VALUE_COUNTS}\n\`\`\`\n`],
      ['text/markdown', `Counts by diagnosis:\n\n~~~text\n${TO_STRING}\n~~~\n`],
      ['text/html', `<h4>Counts by diagnosis</h4><pre>${VALUE_COUNTS}</pre>`],
      ['text/html', `<pre style="font-size: 11px"><b>${TO_STRING}</b></pre>`],
      ['text/html', `<xmp>${TO_STRING}</xmp>`],
      ['text/html', `<textarea rows="6" cols="40" readonly>${VALUE_COUNTS}</textarea>`],
    ];
    for (const [mime, value] of outputs)
      assert.deepEqual(
        smallCells(mime, value),
        [`${mime} (as written) {"row":2,"column":0}`],
        value,
      );
  });

  test('identifiers in markup drawn as written are found (as before)', () => {
    assert.deepEqual(rules('text/html', '<textarea>jane.doe@example.com</textarea>'), ['email']);
    assert.deepEqual(rules('text/html', '<xmp><!-- jane.doe@example.com --></xmp>'), ['email']);
    assert.deepEqual(rules('text/markdown', 'Send to `<jane.doe@example.com>`'), ['email']);
    assert.deepEqual(
      rules('text/markdown', '```\n<a href="mailto:jane.doe@example.com">mail</a>\n```'),
      ['email'],
    );
  });

  test('a tag inside <title> is text: identifiers in it are found', () => {
    assert.deepEqual(rules('text/html', '<title>Call <555-867-5309></title>'), ['phone']);
    const tooltip =
      '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><circle cx="10" cy="10" r="3">' +
      '<title>Ward B <jane.doe@example.com></title></circle></svg>';
    assert.ok(rules('image/svg+xml', tooltip).includes('email'));
  });

  test('benign: large counts, code, and comments outside literal text', () => {
    const benign: [string, string][] = [
      ['text/markdown', `Counts by diagnosis:\n\n\`\`\`\n${LARGE_COUNTS}\n\`\`\`\n`],
      ['text/html', `<pre>${LARGE_COUNTS}</pre>`],
      ['text/markdown', 'Run `df.groupby("ward").size()` to count patients per ward.'],
      ['text/markdown', '```python\nimport pandas as pd\ndf = pd.read_parquet(path)\n```'],
      ['text/html', '<textarea rows="3">Describe the cohort here.</textarea>'],
      // A comment outside literal text is hidden by the browser, as before.
      ['text/html', '<p>Report</p><!-- 3 patients -->'],
      // Unclosed and unpaired constructs read to the end without error.
      ['text/markdown', 'a ` lone backtick and ``` an unclosed fence'],
      ['text/html', '<pre>unclosed <textarea no end'],
    ];
    for (const [mime, value] of benign) assert.deepEqual(rules(mime, value), [], value);
  });

  test('linear on hostile input: unpaired backtick runs, fences, unclosed tags', () => {
    const unique = (n: number): string => {
      let s = '';
      for (let k = 1; s.length < n; k++) s += `${'`'.repeat(k)}a`;
      return s;
    };
    const cases: [string, string, (n: number) => string][] = [
      ['text/markdown', 'backtick runs of distinct lengths', unique],
      ['text/markdown', 'one long fence', (n) => '`'.repeat(n)],
      ['text/markdown', 'fence openers', (n) => '```x\n'.repeat(n / 5)],
      ['text/html', 'start tags without >', (n) => '<pre '.repeat(n / 5)],
      ['text/html', 'unclosed elements', (n) => '<xmp>a'.repeat(n / 6)],
      ['text/html', 'end tags without >', (n) => `<textarea>${'</textarea '.repeat(n / 11)}`],
    ];
    for (const [mime, name, make] of cases)
      assertLinear(make, (s) => checkOutput(display(mime, s)), 100_000, name);
  });
});
