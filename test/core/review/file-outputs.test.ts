/**
 * Files the kernel writes are checked as the outputs that draw what their viewers draw (core
 * review/file-outputs.ts): a comma- or semicolon-separated table as the table a CSV viewer makes
 * of it (the text check alone reads neither as a table), markup as markup, JSON as JSON, a
 * picture as a picture.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkOutput,
  delimitedAsTabs,
  fileMimeType,
  fileOutputs,
  type FileContent,
  type ReviewContext,
} from '@privet/core/review/index';

const CONTEXT: ReviewContext = {
  mode: 'display',
  policy: { small_cell_threshold: 10, images: 'review' },
};

/** The rules that hold the file (none: every reading passes). */
function holdingRulesOf(file: FileContent): string[] {
  const rules = fileOutputs(file)
    .map((output) => checkOutput(output, CONTEXT))
    .flatMap((result) =>
      result.verdict === 'pass' ? [] : result.findings.filter((f) => f.severity !== 'info'),
    )
    .map((f) => f.rule);
  return [...new Set(rules)];
}

const text = (path: string, content: string, mimetype?: string): FileContent => ({
  path,
  format: 'text',
  content,
  ...(mimetype ? { mimetype } : {}),
});

describe('files are checked as their viewers draw them (file-outputs.ts)', () => {
  test('a CSV with a small count is held; the same table with large counts passes', () => {
    assert.deepEqual(holdingRulesOf(text('out/counts.csv', 'diagnosis,count\nHIV,3\nflu,1200\n')), [
      'small-cell',
    ]);
    assert.deepEqual(
      holdingRulesOf(text('out/counts.csv', 'diagnosis,count\nHIV,300\nflu,1200\n')),
      [],
    );
  });

  test('a semicolon-separated CSV and a quoted field are read as the viewer reads them', () => {
    assert.deepEqual(holdingRulesOf(text('counts.csv', 'diagnosis;count\nHIV;3\nflu;1200\n')), [
      'small-cell',
    ]);
    assert.equal(
      delimitedAsTabs('name,note\n"Smith, J","a\tb\nc"\n', ','),
      'name\tnote\nSmith, J\ta b c',
    );
  });

  test('a TSV, HTML, Markdown and JSON table with a small count are held', () => {
    assert.deepEqual(holdingRulesOf(text('t.tsv', 'diagnosis\tcount\nHIV\t3\nflu\t1200\n')), [
      'small-cell',
    ]);
    const table =
      '<table><tr><th>diagnosis</th><th>count</th></tr><tr><td>HIV</td><td>3</td></tr><tr><td>flu</td><td>1200</td></tr></table>';
    assert.deepEqual(holdingRulesOf(text('t.html', table, 'text/plain')), ['small-cell']);
    assert.deepEqual(
      holdingRulesOf(
        text('t.md', '| diagnosis | count |\n|---|---|\n| HIV | 3 |\n| flu | 1200 |\n'),
      ),
      ['small-cell'],
    );
    const json = JSON.stringify({
      columns: ['diagnosis', 'count'],
      data: [
        ['HIV', 3],
        ['flu', 1200],
      ],
    });
    assert.deepEqual(holdingRulesOf(text('t.json', json)), ['small-cell']);
  });

  test('a picture is read as a picture output (shown as picture outputs are); plain prose passes', () => {
    const png = {
      path: 'plot.png',
      format: 'base64',
      content: 'iVBORw0KGgo=',
      mimetype: 'image/png',
    } as const;
    assert.deepEqual(fileOutputs(png), [
      { output_type: 'display_data', data: { 'image/png': 'iVBORw0KGgo=' }, metadata: {} },
    ]);
    assert.deepEqual(
      holdingRulesOf(text('notes.txt', 'The model converged after twelve epochs.\n')),
      [],
    );
  });

  test('the extension decides the reading before a generic guess; invalid JSON is read as text', () => {
    assert.equal(fileMimeType(text('a.CSV', '', 'text/plain')), 'text/csv');
    assert.equal(fileMimeType(text('README', '', 'text/x-readme')), 'text/x-readme');
    assert.equal(
      fileMimeType({ path: 'blob', format: 'base64', content: '' }),
      'application/octet-stream',
    );
    assert.equal(fileOutputs(text('broken.json', '{"count": 3,')).length, 1);
  });
});
