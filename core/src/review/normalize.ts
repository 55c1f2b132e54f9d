/**
 * Why: identifiers are hidden with markup (tags splitting text, values in attributes), character
 * references, zero-width and bidi characters, combining marks, look-alike letters, other-script
 * digits and "[at]"-style spelling. Every scanner runs on one normalized string per MIME part,
 * so we fold all of these once, with cheap gates so plain ASCII text costs a single regex test.
 * Offsets of findings refer to this normalized text (the redacted preview is built from it).
 */
import { CONFUSABLES, foldDigit } from './confusables.js';
import { decodeEscapes } from './encoded.js';
import { decodeEntities } from './entities.js';
import { isRegexSpace } from './scan-util.js';

/** Normalized text of one MIME part, plus attribute values found in its markup. */
export interface NormalizedText {
  text: string;
  /** Attribute values of HTML/SVG tags, one per line (scanned for identifiers only). */
  attrs: string;
}

const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_G = /[\u{80}-\u{10ffff}]/gu;
const MARK_OR_FORMAT = /^[\p{M}\p{Cf}\p{Co}\p{Cs}]$/u;
const SPACE = /^[\p{Zs}\p{Zl}\p{Zp}]$/u;
const ESC = String.fromCharCode(27);
/** ANSI escape sequences (terminal colours in tracebacks and streams). */
export const ANSI = new RegExp(`${ESC}\\[[0-9;?]*[ -/]*[@-~]|${ESC}[@-Z\\\\-_]`, 'g');
// Bounded optional spaces only: an unbounded \s* here would be quadratic on long blank runs.
const BRACKET_AT = / ?[[({<] ?(at|dot) ?[\])}>] ?/gi;
const MD_EMPHASIS = /\*+|`+|~~|__/g;
const MD_ESCAPE = /\\([!-/:-@[-`{-~])/g;
/** CommonMark autolinks: `<scheme:…>` (URI) and `<local@domain>` (e-mail), no spaces inside. */
const MD_AUTOLINK = /<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>/g;

// Tags whose boundaries separate words (cells, lines); all other tags join the text around them.
const BREAK_TAGS = new Set([
  'tr',
  'br',
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'caption',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'hr',
  'section',
  'article',
  'header',
  'footer',
  'text',
  'tspan',
  'title',
  'g',
  'svg',
  'dt',
  'dd',
  'blockquote',
  'figcaption',
  'tr',
  'desc',
]);
const ATTR = /([^\s=/"'<>]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))/g;

/** Folds one non-ASCII character (after NFKD) to what the scanners should see. */
function foldChar(ch: string): string {
  const mapped = CONFUSABLES.get(ch);
  if (mapped !== undefined) return mapped;
  const code = ch.codePointAt(0) ?? 0;
  const digit = foldDigit(code);
  if (digit !== undefined) return digit;
  if (MARK_OR_FORMAT.test(ch)) return '';
  if (SPACE.test(ch)) return ' ';
  return ch;
}

/** Folds Unicode tricks: compatibility forms, marks, zero-width, look-alikes, digits. */
export function foldUnicode(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  return text.normalize('NFKD').replace(NON_ASCII_G, foldChar);
}

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const STYLE = /<style\b[\s\S]*?(?:<\/style\s*>|$)/gi;
// Tag bodies exclude '<' so an unclosed "<a<a<a…" cannot make the scan quadratic.
const CELL_TAG = /<\/?t[dh]\b[^<>]*>/gi;
const BREAK_TAG = new RegExp(`<\\/?(?:${[...BREAK_TAGS].join('|')})\\b[^<>]*>`, 'gi');
const ANY_TAG = /<\/?[A-Za-z][^<>]*>/g;
const ATTR_TAG = /<[A-Za-z][\w:-]*\s([^<>]*=[^<>]*)>/g;

/**
 * Strips tags: cell tags become tabs, block tags newlines, inline tags vanish (so a value split
 * by <span>s is joined); attribute values are returned aside. Native regex passes, no DOM.
 */
export function stripTags(html: string): NormalizedText {
  if (html.indexOf('<') < 0) return { text: html, attrs: '' };
  const attrs: string[] = [];
  if (html.indexOf('=') >= 0) {
    ATTR_TAG.lastIndex = 0;
    for (
      let t = ATTR_TAG.exec(html);
      t !== null && attrs.length < 100_000;
      t = ATTR_TAG.exec(html)
    ) {
      const inner = t[1] ?? '';
      ATTR.lastIndex = 0;
      for (let m = ATTR.exec(inner); m !== null; m = ATTR.exec(inner)) {
        if ((m[1] ?? '').toLowerCase() !== 'style') attrs.push(m[3] ?? m[4] ?? m[5] ?? '');
      }
    }
  }
  let text = html;
  if (hasCommentOpen(text)) text = text.replace(COMMENT, '');
  if (/<style/i.test(text)) text = text.replace(STYLE, '');
  text = text.replace(CELL_TAG, '\t').replace(BREAK_TAG, '\n').replace(ANY_TAG, '');
  return { text, attrs: attrs.join('\n') };
}

/**
 * `text.indexOf('<!--') >= 0`, searched from the rare '!' instead of '<' (markup has a '<' every
 * few characters, and the native search stops at each).
 */
export function hasCommentOpen(text: string): boolean {
  for (let i = text.indexOf('!--'); i >= 0; i = text.indexOf('!--', i + 1))
    if (i > 0 && text.charCodeAt(i - 1) === 60) return true;
  return false;
}

/** Options for `normalize`. */
export interface NormalizeOptions {
  /** Treat the text as HTML/SVG/markdown markup. */
  markup?: boolean;
  /** Strip markdown backslash escapes. */
  markdown?: boolean;
}

/** Full normalization of one MIME part's text for scanning. */
export function normalize(raw: string, opts: NormalizeOptions = {}): NormalizedText {
  let text = raw;
  if (text.indexOf(ESC) >= 0) text = text.replace(ANSI, '');
  let attrs = '';
  // A Markdown autolink (<jane@example.org>, <https://…>) is drawn as its text, not dropped as a tag.
  if (opts.markdown === true && text.indexOf('<') >= 0) text = text.replace(MD_AUTOLINK, '$1');
  if (opts.markup === true) ({ text, attrs } = stripTags(text));
  if (opts.markdown === true) {
    if (text.indexOf('\\') >= 0) text = text.replace(MD_ESCAPE, '$1');
    if (hasEmphasis(text)) text = text.replace(MD_EMPHASIS, ''); // **jo**hn@… renders as one word
  }
  text = foldText(decodeEscapes(decodeEntities(text)));
  if (attrs !== '') attrs = foldText(decodeEscapes(decodeEntities(attrs)));
  return { text, attrs };
}

/** True if MD_EMPHASIS can match: a '*' or '`', or "~~" or "__" (four indexOf, no regex pass). */
function hasEmphasis(text: string): boolean {
  return (
    text.indexOf('*') >= 0 ||
    text.indexOf('`') >= 0 ||
    text.indexOf('~~') >= 0 ||
    text.indexOf('__') >= 0
  );
}

/** Unicode folding plus "[at]"/"(dot)" spelled-out punctuation (each rewrite gated by indexOf). */
function foldText(text: string): string {
  let folded = foldUnicode(text);
  if (hasBracketWord(folded))
    folded = folded.replace(BRACKET_AT, (_w, word: string) =>
      word.toLowerCase() === 'at' ? '@' : '.',
    );
  if (hasSpacedAt(folded)) folded = folded.replace(SPACED_AT, '$1@$2');
  if (hasSpelledDot(folded, 'dot') || hasSpelledDot(folded, 'DOT'))
    folded = folded.replace(SPELLED_EMAIL, spelledEmail);
  return folded;
}

/** True if the text holds " @" or "@ " (searched from the rare '@', not the common space). */
function hasSpacedAt(text: string): boolean {
  for (let i = text.indexOf('@'); i >= 0; i = text.indexOf('@', i + 1)) {
    if (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i + 1) === 32) return true;
  }
  return false;
}

/** True if the text holds ` ${word} ` (searched from the word, not the common space). */
function hasSpelledDot(text: string, word: string): boolean {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if (text.charCodeAt(i - 1) === 32 && text.charCodeAt(i + word.length) === 32) return true;
  }
  return false;
}

const OPENERS = ['[', '(', '{', '<'];
const CLOSER = new Set([93, 41, 125, 62]); // ] ) } >
const WORDS = ['at', 'dot', 'AT', 'DOT', 'At', 'Dot'];

/**
 * True where `[[({<]\s*(?:at|dot|AT|DOT|At|Dot)\s*[\])}>]` matches (a bracketed "at"/"dot"),
 * found from the brackets by indexOf instead of a regex trying every position.
 */
export function hasBracketWord(text: string): boolean {
  for (const open of OPENERS) {
    for (let i = text.indexOf(open); i >= 0; i = text.indexOf(open, i + 1)) {
      let k = i + 1;
      while (k < text.length && isRegexSpace(text.charCodeAt(k))) k++;
      const first = text.charCodeAt(k) | 32;
      if (first !== 97 && first !== 100) continue; // a… or d…
      for (const w of WORDS) {
        if (!text.startsWith(w, k)) continue;
        let e = k + w.length;
        while (e < text.length && isRegexSpace(text.charCodeAt(e))) e++;
        if (CLOSER.has(text.charCodeAt(e))) return true;
      }
    }
  }
  return false;
}

// "jane @ example.com": spaces around '@' between an address-like local part and a dotted domain.
const SPACED_AT = /([A-Za-z0-9._%+-]) {0,2}@ {0,2}([A-Za-z0-9-]{1,63}\.[A-Za-z])/g;
// "jane dot roe at example dot com": only with a spelled " dot " in the domain, so prose
// such as "look at the data" is never rewritten.
const SPELLED_EMAIL =
  /\b([A-Za-z0-9._%+-]{1,64}(?: (?:dot|DOT) [A-Za-z0-9_%+-]{1,64}){0,4}) (?:at|AT) ([A-Za-z0-9-]{1,63}(?: (?:dot|DOT) [A-Za-z0-9-]{1,63}){1,4})\b/g;

function spelledEmail(_w: string, local: string, domain: string): string {
  return `${local.replace(/ (?:dot|DOT) /g, '.')}@${domain.replace(/ (?:dot|DOT) /g, '.')}`;
}
