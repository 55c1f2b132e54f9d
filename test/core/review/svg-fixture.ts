/**
 * SVG outputs for the SVG text tests (svg-grid-once, svg-legend-keys, svg-text-grid,
 * svg-text-placed): a 600×400 picture around a body of SVG markup, and the display output showing it.
 */
import type { NotebookOutput } from '@privet/core/review/index';

/** A 600×400 SVG document drawing `body`. */
export const picture = (body: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400">${body}</svg>`;

/** A display output showing `picture(body)` as image/svg+xml. */
export const svg = (body: string): NotebookOutput => ({
  output_type: 'display_data',
  data: { 'image/svg+xml': picture(body) },
  metadata: {},
});
