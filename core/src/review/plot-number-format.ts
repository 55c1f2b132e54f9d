/**
 * The number text plotly.js draws under a d3-format string (`cells.format` of a table,
 * `number.valueformat` of an indicator), with d3-format itself, as plotly.js's `numberFormat`
 * does: '.0f' draws 2.4 as "2" (a count), '%' draws 0.02 as "2%" (a percentage). A string that
 * is no format draws the value as written, as plotly.js falls back to `String` then.
 */
import { format } from 'd3-format';
import { show, type Json } from './json-value.js';
import { plotlyNumber } from './plot-holes.js';

/** d3-format's formatter per specifier, or null for a string that is no format. */
const formatters = new Map<string, ((n: number) => string) | null>();

/** The formatter of `specifier` (cached; at most a few hundred kept). */
function formatterOf(specifier: string): ((n: number) => string) | null {
  let f = formatters.get(specifier);
  if (f === undefined) {
    try {
      f = format(specifier);
    } catch {
      f = null;
    }
    if (formatters.size > 256) formatters.clear();
    formatters.set(specifier, f);
  }
  return f;
}

/**
 * The text plotly.js draws for `value` under d3-format `specifier`: the value as written when it
 * is not a number plotly reads or the specifier is no format. d3's minus sign (U+2212) is written
 * as '-', so the table rules read a negative number as one.
 */
export function formatNumber(specifier: string, value: Json | undefined): string {
  const x = plotlyNumber(value);
  const f = formatterOf(specifier);
  if (x === undefined || f === null) return show(value);
  return f(x).replace(/\u2212/g, '-');
}
