// Why: the gateway's raw-value index matches whole identifier values (a name, an email, a phone,
// a record number), so an output is looked up as every run of one to MAX_WORDS consecutive words
// of its visible text — as drawn (tags stripped, every HTML entity decoded by `entities`) and as
// folded by the review's normalizer (look-alike letters, spelled-out "at"), so neither form slips
// past. Raster image parts (base64 PNG, JPEG, …) carry no readable text and are skipped. Pure: no
// index, no key here.
import { decodeHTML } from 'entities';
import { ANSI, foldUnicode, normalize, stripTags } from './normalize.js';
import { joinText } from './sink.js';
import type { NotebookOutput } from './types.js';

/** Longest run of consecutive words looked up as one value ("+1 (415) 555-0100", a full name). */
export const MAX_WORDS = 4;

const RASTER = /^image\/(?:png|jpeg|jpg|gif|webp|bmp|tiff|avif)$/;
const MARKUP = /^(?:text\/html|image\/svg\+xml|text\/markdown)$/;
// Word separators: whitespace, table and code punctuation; '@', '.', '-', '_', '+', '/' stay inside.
const SEPARATORS = /[\s|,;:=<>()[\]{}"'`*#]+/;
const EDGE_PUNCTUATION = /^[.!?/\\-]+|[.!?/\\-]+$/g;

// Table columns (a tab from a cell tag, or two or more spaces in a DataFrame's text) end a run:
// counts in neighbouring cells must not join into a phone-length number.
const COLUMN_GAP = /\t| {2,}/;
// A decimal number ("52341.27") is never an identifier; as a value or inside a run, its digits
// could still spell a phone or a national id by chance, so it ends a run too.
const DECIMAL = /^[+-]?\d*\.\d+$/;

// A whole number printed as a float ("4155550100.0": an integer column with missing values, as
// pandas prints it): its integer part is a candidate of its own.
const WHOLE_DECIMAL = /^[+-]?(\d+)\.0+$/;
// Most words a run may have, whatever the index asks for (a long address is still one value).
const MAX_RUN_WORDS = 12;

/**
 * A raw value as the candidates read it: its words (split at the candidates' separators, edge
 * punctuation trimmed) joined by one space — "Siobhan O'Brien" → "Siobhan O Brien", "Lindqvist,
 * Ada" → "Lindqvist Ada". The index keys each raw value this way too, so punctuation inside a
 * value cannot keep it from matching.
 */
export function candidateWords(value: string): string {
  return value
    .split(SEPARATORS)
    .map((w) => w.replace(EDGE_PUNCTUATION, ''))
    .filter((w) => w !== '')
    .join(' ');
}

/**
 * Candidate values of one text: every run of 1..`maxWords` (default MAX_WORDS; the index's longest
 * value, at most 12) consecutive words within one line and one table column.
 */
export function textLeakCandidates(
  text: string,
  into: Set<string> = new Set(),
  maxWords = MAX_WORDS,
): Set<string> {
  const runLength = Math.max(1, Math.min(MAX_RUN_WORDS, maxWords));
  const words: string[] = [];
  for (const line of text.split(/\r?\n/))
    for (const segment of line.split(COLUMN_GAP)) {
      for (const raw of segment.split(SEPARATORS)) {
        const word = raw.replace(EDGE_PUNCTUATION, '');
        if (word === '') continue;
        if (!DECIMAL.test(word)) words.push(word);
        else {
          const whole = WHOLE_DECIMAL.exec(word);
          if (whole?.[1]) into.add(whole[1]);
          addRuns(words, into, runLength);
          words.length = 0;
        }
      }
      addRuns(words, into, runLength);
      words.length = 0;
    }
  return into;
}

/** Adds every run of 1..`maxWords` consecutive words. */
function addRuns(words: readonly string[], into: Set<string>, maxWords: number): void {
  for (let i = 0; i < words.length; i++) {
    let run = '';
    for (let j = i; j < Math.min(words.length, i + maxWords); j++) {
      run = j === i ? words[j]! : `${run} ${words[j]!}`;
      into.add(run);
    }
  }
}

const UNICODE_ESCAPE =
  /\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})/g;

/** Decodes every \uXXXX escape (surrogate pairs too), as json.dumps writes non-ASCII text. */
function decodeUnicodeEscapes(text: string): string {
  if (text.indexOf('\\u') < 0) return text;
  return text.replace(UNICODE_ESCAPE, (_w, hi?: string, lo?: string, one?: string) =>
    hi && lo
      ? String.fromCharCode(Number.parseInt(hi, 16), Number.parseInt(lo, 16))
      : String.fromCharCode(Number.parseInt(one ?? '20', 16)),
  );
}

/**
 * Adds the candidates of one visible text several ways: as drawn, as the review normalizer reads
 * it (Markdown autolinks, spelled-out "at"), with look-alike letters and accents folded, with
 * \uXXXX escapes decoded, and (markup) the attribute text a user also sees (alt, title, labels)
 * and the other readings of the markup (`StrippedMarkup.also`).
 */
function addText(raw: string, mime: string, into: Set<string>, maxWords: number): void {
  const markup = MARKUP.test(mime);
  const tags = markup
    ? stripTags(raw, mime === 'text/markdown')
    : { text: raw, attrs: '', also: '' };
  const drawn = decodeHTML(tags.text.replace(ANSI, ''));
  textLeakCandidates(drawn, into, maxWords);
  if (tags.attrs !== '') textLeakCandidates(decodeHTML(tags.attrs), into, maxWords);
  // What a browser may draw that the stripped text leaves out (comments or <style> it ends
  // elsewhere, CSS `content:`, tags drawn as written in <xmp> or Markdown code).
  if (tags.also !== '') textLeakCandidates(decodeHTML(tags.also), into, maxWords);
  const normalized = normalize(raw, { markup, markdown: mime === 'text/markdown' }).text;
  if (normalized !== drawn) textLeakCandidates(normalized, into, maxWords);
  const folded = foldUnicode(drawn);
  if (folded !== drawn) textLeakCandidates(folded, into, maxWords);
  const unescaped = decodeUnicodeEscapes(drawn);
  if (unescaped !== drawn) {
    textLeakCandidates(unescaped, into, maxWords);
    textLeakCandidates(foldUnicode(unescaped), into, maxWords);
  }
}

/** Every candidate value of a text shown as `mime` (a stream's joined writes, a cell's source). */
export function shownTextCandidates(text: string, mime: string, maxWords = MAX_WORDS): string[] {
  const into = new Set<string>();
  addText(text, mime, into, maxWords);
  return [...into];
}

/**
 * Adds every string and number leaf of a JSON value, and every key, as text — at any depth (a walk
 * with its own stack, not recursion: nesting cannot hide a value or overflow the call stack).
 */
function addJson(value: unknown, into: Set<string>, maxWords: number): void {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (typeof v === 'string') addText(v, 'text/plain', into, maxWords);
    else if (typeof v === 'number' || typeof v === 'bigint') {
      const text = String(v);
      if (!DECIMAL.test(text)) into.add(text);
    } else if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) pending.push(v[i]);
    else if (typeof v === 'object' && v !== null)
      for (const [k, child] of Object.entries(v).reverse()) {
        pending.push(child);
        pending.push(k);
      }
  }
}

/** Most outputs in one POST /leak-check/outputs call (each output is one lookup). */
export const MAX_LEAK_CHECK_OUTPUTS = 100;

/**
 * Every candidate value an output shows, for a raw-value lookup (deduplicated); runs of up to
 * `maxWords` words (the index's longest value).
 */
export function leakCandidates(output: NotebookOutput, maxWords = MAX_WORDS): string[] {
  const into = new Set<string>();
  const o = output as unknown as Record<string, unknown>;
  if (o.output_type === 'stream') addText(joinText(o.text), 'text/plain', into, maxWords);
  else if (o.output_type === 'error') {
    const tb = Array.isArray(o.traceback) ? o.traceback.filter((x) => typeof x === 'string') : [];
    addText(
      `${String(o.ename ?? '')}: ${String(o.evalue ?? '')}\n${tb.join('\n')}`,
      'text/plain',
      into,
      maxWords,
    );
  } else if (typeof o.data === 'object' && o.data !== null) {
    for (const [mime, value] of Object.entries(o.data as Record<string, unknown>)) {
      if (RASTER.test(mime)) continue;
      const isLines = Array.isArray(value) && value.every((x) => typeof x === 'string');
      if (typeof value === 'string' || isLines) addText(joinText(value), mime, into, maxWords);
      else addJson(value, into, maxWords);
    }
  }
  return [...into];
}
