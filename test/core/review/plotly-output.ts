/**
 * Plotly figure outputs for the plotly table and text tests (plot-holes, plot-orientation,
 * plot-histfunc, plot-text-*): a figure output, the rules that hold it, a typed f8 array, the
 * small-or-not assertion, and the findings on the text a figure draws.
 */
import assert from 'node:assert/strict';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';

/** The plotly MIME type. */
export const PLOTLY = 'application/vnd.plotly.v1+json';

/** A plotly figure output of `traces` (no axis titles unless `layout` gives them). */
export const figure = (
  traces: unknown[],
  layout: Record<string, unknown> = {},
): NotebookOutput => ({
  output_type: 'display_data',
  data: { [PLOTLY]: { data: traces, layout } },
  metadata: {},
});

/** Rule ids of the findings that hold the output (not info). */
export const holding = (o: NotebookOutput): string[] =>
  checkOutput(o)
    .findings.filter((f) => f.severity !== 'info')
    .map((f) => f.rule);

/** A typed f8 array spec: base64 of a Float64Array's bytes (little-endian on every test machine). */
export const f8 = (xs: number[]): { dtype: string; bdata: string } => ({
  dtype: 'f8',
  bdata: Buffer.from(new Float64Array(xs).buffer).toString('base64'),
});

/** Asserts `make(small)` is held under small-cell and `make(large)` passes. */
export const heldOnlyWhenSmall = <T>(make: (v: T) => NotebookOutput, small: T, large: T): void => {
  assert.deepEqual(holding(make(small)), ['small-cell'], 'with a small count');
  assert.deepEqual(holding(make(large)), [], 'without a small count');
};

/** The small-cell findings on drawn plotly text, as "part (place): message" (part `mime` unnamed). */
export const drawnFindings = (o: NotebookOutput, mime = PLOTLY): string[] =>
  checkOutput(o)
    .findings.filter((f) => f.rule === 'small-cell' && f.mime.includes('(plotly text: '))
    .map(
      (f) =>
        `${f.mime.startsWith(`${mime} `) ? f.mime.slice(mime.length + 1) : f.mime}: ${f.message}`,
    );
