/** Label helpers shared by the table rules: what names a count, the row index shape, totals. */
import { isRegexSpace } from './scan-util.js';
import type { Table } from './table.js';

/** A rule hit on one table cell (row/column are body row and data column indices). */
export interface CellHit {
  rule: 'small-cell' | 'row-level' | 'dominance' | 'date-of-birth';
  row: number;
  column: number;
  message: string;
}

/** Units a count is usually of (people, records, events): "n_patients", "number of cases". */
export const UNITS =
  'patients?|people|persons?|individuals?|participants?|respondents?|subjects?|cases?|deaths?|admissions?|visits?|users?|customers?|employees?|students?|households?|members?|records?|rows?|obs|observations?|samples?|events?|births?|children|men|women|adults?|residents?|claims?|encounters?|transactions?|visitors?|clients?';
/** Labels naming a count (whole label, lower case); "n_X"/"number of X" only for units, not n_estimators. */
export const COUNT_LABEL = new RegExp(
  `^(?:n|count|counts|freq|frequency|frequencies|size|number|num|#|nobs|n_obs|no\\. observations|unique|nunique|distinct|total|totals|all|sum of counts|${UNITS}|(?:count|n|num|number|no\\.?)[ _.-]?(?:of[ _])?(?:${UNITS})|[a-z][a-z_ ]*[ _-](?:count|counts|n|freq)|# ?(?:${UNITS}))$`,
);
/** Words that make a label a statistic other than a count. */
export const NOT_COUNT =
  /\b(?:mean|avg|average|median|std|sd|se|var|variance|min|max|minimum|maximum|sum|income|age|cost|price|amount|score|year|years|id|coef|rate|ratio|pct|percent|percentage|share|prop|proportion|value|weight|rank|level|grade|code|index|week|month|day|hour|epoch|step|fold|df|lag|cluster|version|estimators|layers|iter|seed|std err|t|z|p|lower|upper|ci|quantile|q1|q3|iqr|25%|50%|75%)\b/;
/** Labels naming a percentage or share. */
export const PERCENT_LABEL =
  /^(?:%|pct|percent|percentage|share|proportion|prop|[a-z_ ]*[ _](?:pct|percent|share|%)|% [a-z_ ]+)$/;
/** Context words saying the table holds counts. */
export const CONTEXT_COUNT =
  /\b(?:count|counts|freq|frequency|crosstab|contingency|n|number of|size|tally)\b|name: (?:count|size)/i;
// An int Series is a count table when it is named (value_counts in pandas 1.x: "Name: sex,
// dtype: int64") or has an index name (groupby().size()); df.isna().sum() has neither.
/** A named int Series footer (pandas value_counts before 2.0). */
export const NAMED_INT_SERIES = /\bName: [^,\n]+, dtype: u?int/;
// What a stated total looks like, tried only at '=' and ':' (the keyword is a lookbehind).
const STATED_TOTAL_AT =
  /(?<=\b(?:[nN]|[tT]otal|TOTAL|[sS]ample size|[rR]espondents|[pP]atients|[pP]articipants)\s*)[=:]\s*(\d{1,3}(?:,\d{3})+|\d+)\b/y;
// Last letters of those keywords (a cheap test before the regex).
const KEYWORD_END = new Set([110, 78, 108, 76, 101, 115]); // n N l L e s
/** The last words of those keywords, lower-cased (the regex runs only after one of them). */
const KEYWORD_LAST = new Set(['n', 'total', 'size', 'respondents', 'patients', 'participants']);

/** Letters of the longest word in KEYWORD_LAST. */
const KEYWORD_LAST_LENGTH = 12;

const isAsciiLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;

/** The words of KEYWORD_LAST by length (no copy of the text is made to compare with them). */
const KEYWORD_BY_LENGTH = new Map<number, string[]>();
const NO_WORDS: readonly string[] = [];
for (const w of KEYWORD_LAST)
  KEYWORD_BY_LENGTH.set(w.length, [...(KEYWORD_BY_LENGTH.get(w.length) ?? []), w]);

/**
 * True if the run of ASCII letters of `text` ending at index `k` is, lower-cased, the last word
 * of a total keyword: the keyword follows a word boundary, so it is that whole run. The run's
 * letters are compared in place (`| 32` lower-cases an ASCII letter).
 */
function keywordEndsAt(text: string, k: number): boolean {
  let a = k + 1;
  while (a > 0 && k + 1 - a <= KEYWORD_LAST_LENGTH && isAsciiLetter(text.charCodeAt(a - 1))) a--;
  for (const w of KEYWORD_BY_LENGTH.get(k + 1 - a) ?? NO_WORDS) {
    let q = 0;
    while (q < w.length && (text.charCodeAt(a + q) | 32) === w.charCodeAt(q)) q++;
    if (q === w.length) return true;
  }
  return false;
}

/** Most labels one `perLabel` cache holds; it starts over when full (bounded on hostile input). */
const LABEL_CACHE_SIZE = 4096;
/** Longest label a `perLabel` cache keeps; longer ones are read each time. */
const LABEL_CACHE_LENGTH = 64;

/** Every `perLabel` cache, so that `forgetLabels` can empty them all. */
const labelCaches: Map<string, unknown>[] = [];

/**
 * Empties every `perLabel` cache. `checkOutput` calls it when it ends: a row label can be a data
 * value, and nothing read from one output is to stay in the memory of the process that checked
 * it (a browser tab, or the gateway checking many users' outputs).
 */
export function forgetLabels(): void {
  for (const cache of labelCaches) cache.clear();
}

/**
 * `read` with its result kept per label until the check ends (`forgetLabels`). The table rules
 * test the same few labels on every table (a text can hold thousands of small tables, all headed
 * alike), and each test is a regex or two on a normalized copy of the label; `read` must be a pure
 * function of the label.
 */
export function perLabel<T>(read: (label: string) => T): (label: string) => T {
  const cache = new Map<string, T>();
  labelCaches.push(cache);
  return (label) => {
    if (label.length > LABEL_CACHE_LENGTH) return read(label);
    const known = cache.get(label);
    if (known !== undefined) return known;
    const value = read(label);
    if (cache.size >= LABEL_CACHE_SIZE) cache.clear();
    cache.set(label, value);
    return value;
  };
}

/** Lower-cased, space-collapsed label. */
export function norm(label: string): string {
  return normalForm(label) ? label : label.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** True when `norm` leaves a label as it is: printable ASCII only, no capital, no space. */
function normalForm(label: string): boolean {
  for (let k = 0; k < label.length; k++) {
    const c = label.charCodeAt(k);
    if (c <= 32 || c >= 127 || (c >= 65 && c <= 90)) return false;
  }
  return true;
}

/** The last part of a stacked header label ("a / b" gives "b"): `label.split(' / ').pop()`. */
export function lastPart(label: string): string {
  return label.indexOf(' / ') < 0 ? label : (label.split(' / ').pop() ?? '');
}

/** A column label as the dominance and identifier-column rules read it: `norm`ed last part, `_-` as spaces. */
export const columnWords = perLabel((label) => norm(lastPart(label)).replace(/[_-]/g, ' '));

/** Is this column/row label the name of a count? */
export const isCountLabel = perLabel((label) => {
  const l = lastPart(norm(label));
  return (
    COUNT_LABEL.test(l) &&
    !NOT_COUNT.test(l.replace(/[_-]/g, ' ').replace(/\b(?:n|num|count|no)\b/g, ''))
  );
});

/**
 * A total stated in a table's context or the output text ("n=200", "Total: 200", "of 200"): the
 * first '=' or ':' after a total keyword that is followed by a number. Only the '=' and ':'
 * signs are visited (indexOf), and the regex runs only where a keyword can end before them.
 */
export function statedTotal(text: string): number | undefined {
  let eq = text.indexOf('=');
  let colon = text.indexOf(':');
  while (eq >= 0 || colon >= 0) {
    const q = colon < 0 || (eq >= 0 && eq < colon) ? eq : colon;
    if (q === eq) eq = text.indexOf('=', q + 1);
    else colon = text.indexOf(':', q + 1);
    let k = q - 1;
    while (k >= 0 && isRegexSpace(text.charCodeAt(k))) k--;
    if (!KEYWORD_END.has(text.charCodeAt(k))) continue;
    // The number must follow: `[=:]\s*\d` (read before the regex and its lookbehind run).
    let d = q + 1;
    while (d < text.length && isRegexSpace(text.charCodeAt(d))) d++;
    const digit = text.charCodeAt(d);
    if (!(digit >= 48 && digit <= 57) || !keywordEndsAt(text, k)) continue;
    STATED_TOTAL_AT.lastIndex = q;
    const m = STATED_TOTAL_AT.exec(text);
    if (m === null) continue;
    const v = Number((m[1] ?? '').replace(/,/g, ''));
    return v > 0 ? v : undefined;
  }
  return undefined;
}

/** Row labels naming a count row (describe(), transposed tables). */
export const COUNT_ROW =
  /^(?:count|counts|n|nobs|freq|frequency|size|obs|observations|no\. observations|total)$/;

// First letters of the COUNT_ROW words (a cheap test before lower-casing and the regex).
const COUNT_ROW_INITIALS = new Set([...'cnfsot'].map((ch) => ch.charCodeAt(0)));

/** `COUNT_ROW.test(norm(label))`, ruling out at once labels whose first letter cannot start it. */
export function isCountRowLabel(label: string): boolean {
  let k = 0;
  for (let c = label.charCodeAt(0); c === 32 || (c >= 9 && c <= 13); c = label.charCodeAt(++k));
  const first = label.charCodeAt(k);
  // An ASCII first character lower-cases to itself | 32; others (and an empty label) take the regex.
  if (first < 128 && !COUNT_ROW_INITIALS.has(first | 32)) return false;
  return countRowWords(label);
}

/** `COUNT_ROW.test(norm(label))`, kept per label. */
const countRowWords = perLabel((label) => COUNT_ROW.test(norm(label)));

/** Aggregates have one row per key; repeated row labels mean row-level data, not counts. */
export function uniqueKeys(t: Table): boolean {
  if (t.labelColumns.length === 0) return true;
  const seen = new Set<string>();
  for (const r of t.rowLabels) {
    const k = r.length === 1 ? (r[0] ?? '') : r.join('\u0000');
    if (seen.has(k)) return false;
    seen.add(k);
  }
  return true;
}

/** Body rows labelled 0..n-1 (or not labelled at all), as pandas prints a RangeIndex. */
export function isRangeIndex(t: Table): boolean {
  if (t.rowLabels.length === 0 || t.labelColumns.length === 0) return true;
  return t.rowLabels.every((r) => r.length === 1 && /^\d+$/.test(r[0] ?? ''));
}

/** Shortens a label for messages. */
export function cut(label: string): string {
  return label.length > 40 ? `${label.slice(0, 37)}...` : label;
}
