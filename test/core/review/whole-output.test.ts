/**
 * outputParts and previewIsPartial (core/src/review/whole-output.ts): a reviewer sees every part
 * of an output in full — text as text, pictures as data: images — and is asked to open it when
 * the redacted preview does not cover what an approval releases.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkOutput,
  outputParts,
  previewIsPartial,
  PREVIEW_LIMIT,
  type NotebookOutput,
} from '@privet/core/review/index';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('outputParts', () => {
  it('shows every MIME part in full: text as text, pictures as data: images', () => {
    const output: NotebookOutput = {
      output_type: 'display_data',
      data: {
        'text/plain': ['chart ', 'of visits'],
        'text/html': '<b>chart</b>',
        'image/png': `${PNG}\n`,
        'image/svg+xml': '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>',
        'application/json': { n: 3 },
        'application/pdf': 'JVBERi0xLjQK',
      },
    };
    assert.deepEqual(outputParts(output), [
      { mime: 'text/plain', kind: 'text', text: 'chart of visits' },
      { mime: 'text/html', kind: 'text', text: '<b>chart</b>' },
      { mime: 'image/png', kind: 'image', src: `data:image/png;base64,${PNG}` },
      {
        mime: 'image/svg+xml',
        kind: 'image',
        src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>')}`,
      },
      { mime: 'application/json', kind: 'text', text: '{\n  "n": 3\n}' },
      { mime: 'application/pdf', kind: 'binary', size: 12 },
    ]);
  });

  it('shows streams and errors as text (no terminal colours)', () => {
    const long = 'x'.repeat(PREVIEW_LIMIT * 2);
    assert.deepEqual(outputParts({ output_type: 'stream', name: 'stdout', text: long }), [
      { mime: 'stream/stdout', kind: 'text', text: long },
    ]);
    const error = outputParts({
      output_type: 'error',
      ename: 'ValueError',
      evalue: 'bad',
      traceback: ['\x1b[31mValueError\x1b[0m: bad'],
    });
    assert.deepEqual(error, [
      { mime: 'error', kind: 'text', text: 'ValueError: bad\nValueError: bad' },
    ]);
  });
});

describe('previewIsPartial', () => {
  it('is true when the preview was cut or the output holds a picture', () => {
    const stream = (text: string): NotebookOutput => ({
      output_type: 'stream',
      name: 'stdout',
      text,
    });
    const short = checkOutput(stream('mail jane.doe@example.org\n'));
    assert.equal(previewIsPartial(short), false);
    const long = checkOutput(stream(`${'row\n'.repeat(PREVIEW_LIMIT)}mail jane.doe@example.org\n`));
    assert.equal(previewIsPartial(long), true, 'the preview was cut');
    const picture = checkOutput({
      output_type: 'display_data',
      data: { 'text/plain': 'mail jane.doe@example.org', 'image/png': PNG },
    });
    assert.equal(previewIsPartial(picture), true, 'a picture the preview cannot show');
  });
});
