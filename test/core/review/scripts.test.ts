/**
 * Outputs that run code when drawn (core/src/review/scripts.ts): JupyterLab runs the scripts of
 * trusted output and VS Code runs application/javascript, so a script could draw an identifier it
 * assembles at run time. Such outputs are held ('script', flag) with the whole output to read;
 * markup that merely mentions scripts, and ordinary tables, pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkOutput, previewIsPartial, type NotebookOutput } from '@privet/core/review/index';
import { markupRunsCode } from '@privet/core/review/scripts';

const display = (data: Record<string, unknown>): NotebookOutput => ({
  output_type: 'display_data',
  metadata: {},
  data,
});
const rules = (o: NotebookOutput): string[] => [
  ...new Set(checkOutput(o).findings.map((f) => f.rule)),
];

describe('outputs that run code', () => {
  it('holds application/javascript, which draws what it assembles (the audit’s atob)', () => {
    const out = display({
      'application/javascript': 'element.textContent = atob("amFuZS5kb2VAZXhhbXBsZS5jb20")',
    });
    const review = checkOutput(out);
    assert.equal(review.verdict, 'flag');
    assert.deepEqual(rules(out), ['script']);
    assert.equal(previewIsPartial(review), true, 'the reviewer must open the whole output');
    for (const mime of [
      'text/javascript',
      'application/x-javascript',
      'Application/JavaScript; charset=utf-8',
    ])
      assert.deepEqual(rules(display({ [mime]: 'void 0' })), ['script'], mime);
  });

  it('holds markup with a script, a handler, a javascript: URL or a frame', () => {
    const runs = [
      '<script>document.body.append(["jane.doe","example.com"].join(String.fromCharCode(64)))</script>',
      '<SCRIPT src="x.js"></SCRIPT>',
      '<img src=x onerror="this.alt=atob(\'eA==\')">',
      '<svg><animate onbegin="alert(1)"/></svg>',
      '<a href="javascript:alert(1)">x</a>',
      '<a href="jav&#x61;script:alert(1)">x</a>',
      '<a href="jav&Tab;ascript:alert(1)">x</a>',
      '<a href=" java\tscript:alert(1)">x</a>',
      '<iframe srcdoc="&lt;b&gt;x&lt;/b&gt;"></iframe>',
      '<object data="x.swf"></object>',
      '<embed src="x">',
      '<div/onclick=alert(1)>x</div>',
      '<a href="jav\nascript:alert(1)">x</a>',
      '<a href="j&#x0A;avascript:alert(1)">x</a>',
      '<a\nhref="x"\nonmouseover="alert(1)">x</a>',
    ];
    for (const html of runs) {
      assert.equal(markupRunsCode(html), true, html);
      assert.ok(rules(display({ 'text/html': html })).includes('script'), html);
      assert.ok(rules(display({ 'text/markdown': `Some text ${html}` })).includes('script'), html);
    }
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>1</script><text>x</text></svg>';
    assert.ok(rules(display({ 'image/svg+xml': svg })).includes('script'));
  });

  it('passes markup that only mentions scripts, and ordinary tables', () => {
    const quiet = [
      '<p>Use <code>&lt;script&gt;</code> tags with care; onload = 3 is prose.</p>',
      'a < b and c > d; x<y',
      '<table class="dataframe"><tr><th>dept</th><th>n</th></tr><tr><td>cardiology</td><td>412</td></tr></table>',
      '<a href="https://example.org/javascript/guide">guide</a>',
      '<p>if (a <b) then</p>',
      '<style>.online { color: red }</style><span class="online">up</span>',
      '<p>javascript: a language</p><p>one = 1</p>',
      '<td>&amp; javascript</td>',
    ];
    for (const html of quiet) {
      assert.equal(markupRunsCode(html), false, html);
      assert.ok(!rules(display({ 'text/html': html })).includes('script'), html);
    }
    assert.equal(
      checkOutput(display({ 'text/plain': 'javascript: is a URL scheme' })).verdict,
      'pass',
    );
  });
});
