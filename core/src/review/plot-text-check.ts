/**
 * The count rules over the text plotly figures draw (plot-text.ts): counts stated in it, read as
 * in text/plain (`textCounts`: "only 2 patients", "n = 3"), and bare counts drawn as labels — a
 * bar's text "2", an annotation "3" — as the SVG reader reads a label outside axes and legends.
 * Findings name the part and the place: `application/vnd.plotly.v1+json (plotly text: annotation)`.
 */
import { normalize } from './normalize.js';
import { readsLabels, takePlotText, type PlotText } from './plot-text.js';
import type { FindingSink } from './sink.js';
import { countSpan } from './table.js';
import { addTextCounts } from './text-counts.js';

/** True for text holding an ASCII digit (normalized text: other digits are folded to these). */
const hasDigit = (text: string): boolean => /[0-9]/.test(text);

/** Spaces, tabs and other ASCII white space a line's label may have around it (not its line end). */
const isBlank = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/** The count a line `text[a..b)` draws alone (spaces around it), as `parseCount` reads it. */
function bareCount(text: string, a: number, b: number): number | undefined {
  while (a < b && isBlank(text.charCodeAt(a))) a++;
  while (b > a && isBlank(text.charCodeAt(b - 1))) b--;
  return a < b ? countSpan(text, a, b) : undefined;
}

/**
 * Runs `check` on part `mime`, then the count rules over the text the plotly figures it read draw
 * (each figure found in it: the plotly MIME type, a figure dict, every state of a FigureWidget).
 */
export function checkPlotText(sink: FindingSink, mime: string, check: () => void): void {
  takePlotText(); // text noted outside a part's check (metadata, a check that threw) is not this part's
  check();
  const drawn = takePlotText();
  if (drawn !== undefined) plotTextFindings(sink, mime, drawn);
}

/** Forgets text noted but not taken (a check that threw, output metadata): call after each output. */
export function forgetPlotText(): void {
  takePlotText();
}

/**
 * Adds the small-cell findings of the text `drawn`: per place, its distinct strings one a line,
 * normalized as a text part is; a bare count alone on a line of a label place (`readsLabels`) is a
 * count drawn as a label, named by that line (`item n`). Values are never quoted.
 */
function plotTextFindings(sink: FindingSink, mime: string, drawn: PlotText): void {
  const th = sink.settings.small_cell_threshold;
  for (const [place, texts] of drawn.places) {
    const { text } = normalize(texts.join('\n'));
    if (!hasDigit(text)) continue;
    const where = `${mime} (plotly text: ${place})`;
    addTextCounts(sink, where, text);
    if (!readsLabels(place)) continue;
    for (let a = 0, row = 0; a <= text.length; row++) {
      const end = text.indexOf('\n', a);
      const b = end < 0 ? text.length : end;
      const value = b - a <= 24 ? bareCount(text, a, b) : undefined;
      if (value !== undefined && value > 0 && value < th)
        sink.add(
          'small-cell',
          where,
          { row, column: 0 },
          `a count drawn as a label below the threshold of ${th} (item ${row + 1})`,
        );
      a = b + 1;
    }
  }
}
