/**
 * Why: a number drawn in an SVG group named as an axis or tick (matplotlib's `matplotlib.axis_1` …
 * `xtick_1`, plotly's `xaxislayer-above` … `xtick`, vega's `role-axis` … `role-axis-label`, d3's
 * `tick`) is a scale position, not a count — but only if it is one: a group name alone is easy to
 * write around a count. So the numbers drawn in one axis are exempt from the count rule only when
 * they read as an axis's tick labels: evenly spaced values (at least three; or two from zero), a
 * log scale (powers of ten, with 2–9 or 2 and 5 between them as plotly and matplotlib label them),
 * or matplotlib's math-text powers (each "10" followed by its exponent). A lone number, or an
 * uneven set, in such groups is read like any other label. A legend's numbers (matplotlib's
 * `legend_1`, plotly's `legend`, vega's `role-legend`) are exempt likewise, when they read as a
 * legend's keys: a scale as above (a size legend 10/20/30, a gradient's ticks), or the category
 * codes of a categorical legend (hue = cluster: 0, 1, 2 … or 1, 2 …).
 */

/** A tick label as a number: sign (also U+2212), thousands separators, decimals, SI suffix, %. */
const TICK_NUMBER =
  /^([+\-\u2212]?)(\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)([kMGTBmnpuµμ]?)%?$/;
/** What an SI suffix (as d3 and plotly write them; B: plotly's billions) multiplies by. */
const SUFFIX: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  B: 1e9,
  T: 1e12,
  m: 1e-3,
  u: 1e-6,
  µ: 1e-6,
  μ: 1e-6,
  n: 1e-9,
  p: 1e-12,
};

/**
 * The number a tick label shows (folded and trimmed), or undefined when it shows none, or shows
 * one in e-notation (matplotlib's offset text "1e6" is not a tick of the scale).
 */
export function tickValue(label: string): number | undefined {
  const m = TICK_NUMBER.exec(label);
  if (m === null) return undefined;
  const v = Number((m[2] ?? '').replace(/,/g, '')) * (SUFFIX[m[3] ?? ''] ?? 1);
  if (!Number.isFinite(v)) return undefined;
  return m[1] === '' || m[1] === '+' ? v : -v;
}

/** Whether `a` and `b` are equal up to the rounding of decimal labels. */
const near = (a: number, b: number, scale: number): boolean =>
  Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(scale), 1e-12);

/** Distinct values, ascending. */
const distinctSorted = (values: readonly number[]): number[] =>
  [...new Set(values)].sort((a, b) => a - b);

/** Whether the distinct values are evenly spaced (at least `least` of them). */
function evenlySpaced(values: readonly number[], least: number): boolean {
  const s = distinctSorted(values);
  if (s.length < least) return false;
  const step = (s[1] as number) - (s[0] as number);
  for (let k = 2; k < s.length; k++)
    if (!near((s[k] as number) - (s[k - 1] as number), step, step)) return false;
  return true;
}

/** The exponent of `v` when it is a power of ten (…, 0.1, 1, 10, …), else undefined. */
function powerOfTen(v: number): number | undefined {
  if (!(v > 0)) return undefined;
  const e = Math.round(Math.log10(v));
  return near(v, 10 ** e, v) ? e : undefined;
}

/** Whether the mantissas between two powers of ten read as a log axis labels them. */
function decadeLabels(
  mantissas: readonly number[],
  afterPower: boolean,
  beforePower: boolean,
): boolean {
  if (mantissas.every((m) => m === 2 || m === 5)) return true; // 1-2-5
  // Every digit (plotly's "D1", matplotlib's minor labels): a run, from 2 and to 9 where bounded.
  for (let k = 1; k < mantissas.length; k++)
    if (mantissas[k] !== (mantissas[k - 1] as number) + 1) return false;
  if (afterPower && mantissas[0] !== 2) return false;
  return !beforePower || mantissas[mantissas.length - 1] === 9;
}

/**
 * Whether the values (in drawn order, ascending) are log-axis labels: at least two powers of ten,
 * each value between them a digit 2–9 times the decade (plotly writes these as the bare digit).
 */
function logLabels(values: readonly number[]): boolean {
  let decade: number | undefined; // exponent of the last power of ten drawn
  let previous = -Infinity;
  let powers = 0;
  let mantissas: number[] = [];
  for (const raw of values) {
    const e = powerOfTen(raw);
    if (e !== undefined) {
      if (powers > 0 && e !== (decade as number) + 1 && mantissas.length > 0) return false;
      if (mantissas.length > 0 && !decadeLabels(mantissas, powers > 0, true)) return false;
      if (!(raw > previous)) return false;
      decade = e;
      previous = raw;
      powers++;
      mantissas = [];
      continue;
    }
    // A bare digit after a power of ten ≥ 10 is short for that digit times it.
    const v =
      decade !== undefined && decade >= 1 && Number.isInteger(raw) && raw >= 2 && raw <= 9
        ? raw * 10 ** decade
        : raw;
    if (!(v > previous)) return false;
    const base = 10 ** Math.floor(Math.log10(v) + 1e-9);
    const m = Math.round(v / base);
    if (m < 2 || m > 9 || !near(v, m * base, v)) return false;
    if (decade !== undefined && Math.round(Math.log10(base)) !== decade) return false;
    mantissas.push(m);
    previous = v;
  }
  return powers >= 2 && (mantissas.length === 0 || decadeLabels(mantissas, true, false));
}

/** Bases a log axis labels as math-text powers (matplotlib's `$10^{3}$`, log2's `$2^{5}$`). */
const POWER_BASES = new Set([2, 10]);

/** Largest exponent a power label can show (10^308 is the largest double). */
const MAX_EXPONENT = 308;

/**
 * Whether the values are math-text powers: each "10" (or "2") followed by its exponent, the
 * exponents evenly spaced. Other bases (a "3" before "5") and exponents past what a number can
 * show are counts written in pairs, not a scale.
 */
function powerLabels(values: readonly number[]): boolean {
  if (values.length < 4 || values.length % 2 !== 0) return false;
  const base = values[0] as number;
  if (!POWER_BASES.has(base)) return false;
  const exponents: number[] = [];
  for (let k = 0; k < values.length; k += 2) {
    const e = values[k + 1] as number;
    if (values[k] !== base || !Number.isInteger(e) || Math.abs(e) > MAX_EXPONENT) return false;
    exponents.push(e);
  }
  return evenlySpaced(exponents, 2);
}

/**
 * Whether the numbers drawn in one axis (in drawn order) read as its tick labels, so the counts
 * among them are scale positions, not values drawn.
 */
export function looksLikeAxis(values: readonly number[]): boolean {
  if (values.length < 2) return false;
  if (values.length === 2)
    return Math.min(values[0] as number, values[1] as number) === 0 && values[0] !== values[1];
  if (evenlySpaced(values, 3) || powerLabels(values)) return true;
  return logLabels(values) || logLabels([...values].reverse());
}

/** Whether the distinct values are the whole numbers from 0 or 1 up (two at least): category codes. */
function categoryCodes(values: readonly number[]): boolean {
  const s = distinctSorted(values);
  if (s.length < 2 || (s[0] !== 0 && s[0] !== 1)) return false;
  return s.every((v, k) => v === (s[0] as number) + k);
}

/**
 * Whether the numbers drawn in one legend (in drawn order) read as its keys — a scale, as an axis's
 * tick labels read, or a categorical legend's category codes — so the counts among them are keys,
 * not values drawn. A lone number, or an uneven set, is read like any other label.
 */
export function looksLikeLegend(values: readonly number[]): boolean {
  return looksLikeAxis(values) || categoryCodes(values);
}
