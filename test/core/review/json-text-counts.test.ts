/**
 * Counts stated in the strings of a JSON output — a JSON viewer's values, a vega-lite or plotly
 * title or annotation — are read like counts stated in text/plain.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { display, smallCellFindings } from './display-fixture.js';
import type { NotebookOutput } from '@privet/core/review/index';

const SENTENCE = 'only 2 patients had sarcoidosis';

/** The small-cell findings of an output, as "where: message". */
const smallCells = (output: NotebookOutput): string[] =>
  smallCellFindings(output).map((f) => `${f.mime}: ${f.message}`);

const bars = { type: 'bar', x: ['a', 'b'], y: [120, 340] };

describe('counts stated in JSON strings', () => {
  test('a JSON value stating a small count is held, as in text/plain', () => {
    assert.deepEqual(smallCells(display('application/json', { note: SENTENCE })), [
      'application/json: a count stated in text below the threshold of 10',
    ]);
  });

  test('a vega-lite title stating a small count is held', () => {
    const spec = {
      title: SENTENCE,
      data: { values: [{ a: 'x', n: 120 }] },
      mark: 'bar',
      encoding: { x: { field: 'a' }, y: { field: 'n', type: 'quantitative' } },
    };
    assert.equal(smallCells(display('application/vnd.vegalite.v5+json', spec)).length, 1);
  });

  test('a plotly annotation or title stating a small count is held, tags and all', () => {
    const plotly = 'application/vnd.plotly.v1+json';
    // Each is found twice: in the part's JSON strings, and in the text the figure draws (named).
    const stated = 'a count stated in text below the threshold of 10';
    const annotated = { data: [bars], layout: { annotations: [{ text: SENTENCE }] } };
    assert.deepEqual(smallCells(display(plotly, annotated)), [
      `${plotly}: ${stated}`,
      `${plotly} (plotly text: annotation): ${stated}`,
    ]);
    const titled = { data: [bars], layout: { title: { text: 'n = <b>3</b> in clinic B' } } };
    assert.deepEqual(smallCells(display(plotly, titled)), [
      `${plotly}: ${stated}`,
      `${plotly} (plotly text: title): ${stated}`,
    ]);
  });

  test('counts at or above the threshold, and numbers that are no counts, are not held', () => {
    assert.deepEqual(smallCells(display('application/json', { note: 'only 20 patients' })), []);
    assert.deepEqual(smallCells(display('application/json', { version: 2, tag: 'v2 of 3' })), []);
    const plotly = { data: [{ ...bars, name: 'model 2' }], layout: { title: 'Figure 3' } };
    assert.deepEqual(smallCells(display('application/vnd.plotly.v1+json', plotly)), []);
  });
});
