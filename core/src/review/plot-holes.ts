/**
 * Holes in plotly data: values plotly.js draws no bar, slice or heatmap cell for. plotly.py writes
 * a float NaN or ±Infinity as `null` (both of its JSON engines), a FigureWidget edit `'y[1]': null`
 * leaves `null`, and a typed array (`{dtype: 'f8', bdata}`) decodes NaN as NaN; a string that does
 * not read as a number is a hole in a bar or pie too. Values are read as plotly.js reads them:
 * `fast-isnumeric` for pie values, `Lib.cleanNumber` (quotes, `%`, `,`, `$`, `#` and blanks cut
 * first) for the values of bars and funnels on their linear value axis; a heatmap cell is blanked
 * only when it carries no number at all (`isVoid`), so a written cell ("12%") stays for the rules.
 */
import type { Json } from './json-value.js';

/** The cruft `Lib.cleanNumber` cuts: leading/trailing quotes, %, $, # and blanks, every ',' and ' '. */
const CRUFT = /^['"%,$#\s]+|[, ]|['"%,$#\s]+$/g;

/**
 * The number plotly.js's `fast-isnumeric` accepts `v` as (a finite number, or a string `+v` reads
 * as one that is not all blanks), else undefined.
 */
export function plotlyNumber(v: Json | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** The number a bar or funnel draws for `v` on its value axis (`Lib.cleanNumber`), else undefined. */
export function barNumber(v: Json | undefined): number | undefined {
  return plotlyNumber(typeof v === 'string' ? v.replace(CRUFT, '') : v);
}

/** The number a pie draws a slice for (`fast-isnumeric`, not negative), else undefined. */
export function sliceNumber(v: Json | undefined): number | undefined {
  const n = plotlyNumber(v);
  return n !== undefined && n >= 0 ? n : undefined;
}

/**
 * True for a value that carries no number at all: null (plotly.py's NaN), a missing item, or a
 * NaN or ±Infinity (a decoded typed array). Strings are not: one may be read by other rules.
 */
export const isVoid = (v: Json | undefined): boolean =>
  v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));

/** True for a value a categorical axis places nowhere (plotly.js `isValidCategory`): null. */
export const noCategory = (v: Json | undefined): boolean => v === null || v === undefined;
