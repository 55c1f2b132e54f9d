/**
 * Counts stated in the attribute values a browser draws — a tooltip (`title`), an image's `alt`,
 * an `aria-label`, a field's `placeholder` or `value` — are read like counts in the text; other
 * attributes (links, classes, data) are scanned for identifiers only.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { display, smallCellFindings } from './display-fixture.js';
import type { NotebookOutput } from '@privet/core/review/index';

const SENTENCE = 'only 2 patients had sarcoidosis';

/** Where the small-cell findings of an output are. */
const smallCells = (output: NotebookOutput): string[] =>
  smallCellFindings(output).map((f) => f.mime);

describe('counts stated in drawn attributes', () => {
  test('a tooltip, alt text, aria-label, placeholder or field value stating a small count is held', () => {
    for (const markup of [
      `<span title="${SENTENCE}">sarcoidosis</span>`,
      `<img alt="${SENTENCE}" src="chart.png">`,
      `<button aria-label="${SENTENCE}">i</button>`,
      `<input placeholder="n = 3">`,
      `<input value='count: 4' readonly>`,
    ])
      assert.deepEqual(
        smallCells(display('text/html', markup)),
        ['text/html (attributes)'],
        markup,
      );
  });

  test('a Markdown link title is a tooltip too (held before as well: a guard)', () => {
    assert.ok(
      smallCells(display('text/markdown', `[ward B](https://example.org "${SENTENCE}")`)).length >
        0,
    );
  });

  test('attributes a browser does not draw, and counts at the threshold or above, are not held', () => {
    for (const markup of [
      `<a href="/report?n=3">report</a>`,
      `<div class="n: 3" data-note="${SENTENCE}">ok</div>`,
      `<span title="only 20 patients had sarcoidosis">x</span>`,
    ])
      assert.deepEqual(smallCells(display('text/html', markup)), [], markup);
  });
});
