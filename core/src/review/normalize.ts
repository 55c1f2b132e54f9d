/**
 * Why: identifiers are hidden with markup (tags splitting text, values in attributes), character
 * references, zero-width and bidi characters, combining marks, look-alike letters, other-script
 * digits and "[at]"-style spelling. Every scanner runs on one normalized string per MIME part,
 * so we fold all of these once, with cheap gates so plain ASCII text costs a single regex test.
 * Offsets of findings refer to this normalized text (the redacted preview is built from it).
 */
import { decodeHTMLAttribute } from 'entities';
import { CONFUSABLES, foldDigit } from './confusables.js';
import { decodeEscapes } from './encoded.js';
import { BREAK_NAMES, dropTags } from './drop-tags.js';
import { decodeEntities } from './entities.js';
import { cssUnescape } from './pictures.js';
import { isAscii } from './ascii.js';
import { isRegexSpace } from './scan-util.js';

/** Normalized text of one MIME part, plus attribute values found in its markup. */
export interface NormalizedText {
  text: string;
  /**
   * Attribute values of HTML/SVG tags, one per line (scanned for identifiers only); from
   * `normalize`, also the other readings of the markup (`StrippedMarkup.also`).
   */
  attrs: string;
  /**
   * The attribute values a browser draws as text — a tooltip (`title`), an image's `alt`, an
   * `aria-label`, a field's `placeholder`, `value` or `label` — one per line, for the count rules.
   */
  shownAttrs?: string;
}

/** Attributes whose values a browser draws as text (tooltips, alt text, field contents). */
const SHOWN_ATTRS = new Set(['title', 'alt', 'aria-label', 'placeholder', 'value', 'label']);

/** Markup as `stripTags` reads it: the text, the attribute values, and other readings of it. */
export interface StrippedMarkup extends NormalizedText {
  /**
   * What the markup may draw that `text` leaves out, one reading per line, for the identifier scan
   * only: the text of `<style>` elements (CSS `content:` draws it); the whole markup read again
   * with comment and style contents kept where the removal cannot be shown to take only what a
   * browser hides; with block tags joined where CSS can draw blocks inline; and the markup as
   * written where a browser draws tags as text (`<textarea>`, `<xmp>`, CDATA, Markdown code).
   */
  also: string;
}

// Why module state: what makes text be drawn in another order than stored is found deep inside a
// part's check (`foldChar`, `stripTags`), which returns only findings of the text it read.
// `checkOutput` and `StreamChecker` take the note after each part (`takeDrawnOrder`) and hold the
// part with a `drawn-order` finding.
let reordered: string | undefined;

/** Why text read since the last call is drawn in another order than stored (the note is then cleared). */
export function takeDrawnOrder(): string | undefined {
  const why = reordered;
  reordered = undefined;
  return why;
}

const BIDI_CONTROLS =
  'the text holds bidi control characters (U+202A–U+202E, U+2066–U+2069) that change the order it is drawn in: the check reads the stored order, so what is drawn was not checked';
const MARKUP_ORDER =
  'the markup changes the order its text is drawn in (<bdo>, CSS unicode-bidi or direction, a reversed flex order): the check reads the stored order, so what is drawn was not checked';

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

const ATTR = /([^\s=/"'<>]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'>]+))/g;

/** Folds one non-ASCII character (after NFKD) to what the scanners should see. */
function foldChar(ch: string): string {
  const mapped = CONFUSABLES.get(ch);
  if (mapped !== undefined) return mapped;
  const code = ch.codePointAt(0) ?? 0;
  const digit = foldDigit(code);
  if (digit !== undefined) return digit;
  if (MARK_OR_FORMAT.test(ch)) {
    // Removed like any format character, but an embedding, override or isolate reorders the
    // text around it: the part is held (`takeDrawnOrder`).
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069))
      reordered ??= BIDI_CONTROLS;
    return '';
  }
  if (SPACE.test(ch)) return ' ';
  return ch;
}

/** Folds Unicode tricks: compatibility forms, marks, zero-width, look-alikes, digits. */
export function foldUnicode(text: string): string {
  if (isAscii(text)) return text;
  return text.normalize('NFKD').replace(NON_ASCII_G, foldChar);
}

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const STYLE = /<style\b[\s\S]*?(?:<\/style\s*>|$)/gi;
/** Where STYLE can start (the search of `hiddenRanges`). */
const STYLE_OPEN = /<style\b/gi;
/** Comment delimiters, the abrupt `<!-->` and `<!--->` whole, and `--!>` (a browser closes there too). */
const COMMENT_MARK = /<!--->|<!-->|<!--|--!?>/g;
// Tag bodies exclude '<' so an unclosed "<a<a<a…" cannot make the scan quadratic.
const CELL_TAG = /<\/?t[dh]\b[^<>]*>/gi;
// Tags whose boundaries separate words (cells, lines: BREAK_NAMES); other tags join the text around.
const BREAK_TAG = new RegExp(`<\\/?(?:${BREAK_NAMES.join('|')})\\b[^<>]*>`, 'gi');
const ANY_TAG = /<\/?[A-Za-z][^<>]*>/g;
/** The '<' of a tag that meets another '<' before any '>' (a browser reads both as one tag). */
const UNCLOSED = /<(?=\/?[A-Za-z][^<>]*<)/g;
const ATTR_TAG = /<[A-Za-z][\w:-]*\s([^<>]*=[^<>]*)>/g;
/**
 * Where a browser draws tags as written: `<textarea>` and `<title>` (RCDATA; a title is drawn as a
 * tooltip in SVG), `<xmp>` and `<plaintext>` (RAWTEXT), and CDATA sections (text in SVG and MathML).
 */
const LITERAL_MARKUP = /<(?:textarea|xmp|plaintext|title)\b|<!\[CDATA\[/i;
/** Where Markdown draws tags as written: a code span or fence, or an indented code line. */
const MD_CODE = /`|~~~|^(?: {4}|\t)/m;

/**
 * Strips tags: cell tags become tabs, block tags newlines, inline tags vanish (so a value split
 * by <span>s is joined); attribute values are returned aside. Comments and <style> elements are
 * removed from `text`, and read again in `also` (see there). Native regex passes, no DOM;
 * `markdown` text is never trusted to hide a comment or <style> (a code span shows one as text).
 */
export function stripTags(html: string, markdown = false): StrippedMarkup {
  if (html.indexOf('<') < 0) return { text: html, attrs: '', also: '' };
  const attrs: string[] = [];
  const shown: string[] = [];
  const also: string[] = [];
  // Text drawn with its tags as written (`<xmp><x 555-867-5309></xmp>`, a Markdown code span):
  // the whole markup is read again as written, so no tag the passes below remove hides it.
  if (LITERAL_MARKUP.test(html) || (markdown && MD_CODE.test(html))) also.push(html);
  let css = 0;
  let rtl = false;
  if (html.indexOf('=') >= 0) {
    for (
      let t = nextAttributeTag(html, 0);
      t !== null && attrs.length < 100_000;
      t = nextAttributeTag(html, ATTR_TAG.lastIndex)
    ) {
      const inner = t[1] ?? '';
      ATTR.lastIndex = 0;
      for (let m = ATTR.exec(inner); m !== null; m = ATTR.exec(inner)) {
        const name = (m[1] ?? '').toLowerCase();
        const value = m[3] ?? m[4] ?? m[5] ?? '';
        if (name === 'style') {
          css |= cssLayout(value, true);
          continue;
        }
        attrs.push(value);
        if (SHOWN_ATTRS.has(name)) shown.push(value);
        // SVG presentation attributes are CSS; `dir` only matters to a <bdo> below.
        if (name === 'direction' || name === 'unicode-bidi')
          css |= cssLayout(`${name}:${value}`, true);
        else if (name === 'dir') rtl ||= /^\s*(?:rtl|auto)\b/i.test(value);
      }
      if (isBdo(t[0])) css |= CSS_REORDERS;
    }
  }
  // A <bdo> without attributes overrides in the direction it inherits.
  if (rtl && /<bdo\b/i.test(html)) css |= CSS_REORDERS;
  const comments = hasCommentOpen(html);
  const styles = /<style/i.test(html);
  // The usual markup (no comment, <style> or CSS that joins blocks): every tag pass below in one
  // walk (drop-tags.ts).
  const walked = comments || styles || css !== 0 ? undefined : dropTags(html, true);
  if (walked !== undefined)
    return {
      text: walked,
      attrs: attrs.join('\n'),
      shownAttrs: shown.join('\n'),
      also: also.join('\n'),
    };
  // A tag a browser ends only at a later '>' (`<p x=<br>`: the value is "<br") must not become
  // one the regexes end later still, across text a cell or block tag left (`<p x=\n…>`): its '<'
  // is read as a space, which keeps the length (the ranges `hiddenRanges` finds in `html` hold).
  let text = html.replace(UNCLOSED, ' ');
  if (comments || styles) {
    const hidden = markdown ? undefined : hiddenRanges(html, comments, styles);
    if (hidden !== undefined) {
      text = cutRanges(text, hidden.ranges);
      for (const c of hidden.css) {
        also.push(cssText(c));
        css |= cssLayout(c, false);
      }
    } else {
      // Fail closed: text as the regexes read it, and again with every comment's and <style>'s
      // contents kept where they stand (what a browser draws when the markup fools the removal):
      // once with the comment delimiters dropped (`jane<!-->@example.org<!---->` joins), once
      // with each read as the end of a tag (`<p title="--!>jane@…">`: the '>' ends the tag).
      const whole = text;
      if (comments) text = text.replace(COMMENT, '');
      if (styles)
        text = text.replace(STYLE, (element) => {
          const c = element.slice(element.indexOf('>') + 1).replace(/<\/style\s*>$/i, '');
          also.push(cssText(c));
          css |= cssLayout(c, false);
          return '';
        });
      for (const mark of ['', '> '])
        also.push(
          whole
            .replace(COMMENT_MARK, mark)
            .replace(CELL_TAG, '\t')
            .replace(BREAK_TAG, '\n')
            .replace(ANY_TAG, ''),
        );
    }
  }
  // CSS can draw block elements inline (display, float, position, flex, grid): read them joined.
  if ((css & CSS_JOINS) !== 0) also.push(text.replace(CELL_TAG, '\t').replace(ANY_TAG, ''));
  if ((css & CSS_REORDERS) !== 0) reordered ??= MARKUP_ORDER;
  text =
    dropTags(text, false) ??
    text.replace(CELL_TAG, '\t').replace(BREAK_TAG, '\n').replace(ANY_TAG, '');
  return { text, attrs: attrs.join('\n'), shownAttrs: shown.join('\n'), also: also.join('\n') };
}

/** `cssLayout` bit: CSS that can draw block elements inline. */
const CSS_JOINS = 1;
/** `cssLayout` bit: CSS that draws text in another order than stored. */
const CSS_REORDERS = 2;
const LAYOUT =
  /(?<![\w-])(?:display|float|position|order|flex(?:-[a-z]+)?|grid(?:-[a-z]+)*|direction|unicode-bidi|writing-mode)\s*:/i;
const REORDER =
  /(?<![\w-])(?:unicode-bidi\s*:\s*(?:bidi-override|isolate-override|plaintext)|direction\s*:\s*rtl|flex-direction\s*:\s*(?:row|column)-reverse|flex-flow\s*:[^;}]*-reverse|flex-wrap\s*:\s*wrap-reverse|order\s*:\s*[+-]?0*[1-9])/i;
const CSS_COMMENT = /\/\*[\s\S]*?(?:\*\/|$)/g;

/** CSS as a browser reads it: escapes decoded, comments dropped. */
function cssText(css: string): string {
  const unescaped = css.indexOf('\\') < 0 ? css : cssUnescape(css);
  return unescaped.indexOf('/*') < 0 ? unescaped : unescaped.replace(CSS_COMMENT, ' ');
}

/**
 * CSS_JOINS and CSS_REORDERS bits of a style attribute's value (`attribute`: its character
 * references are decoded first, as a browser does) or of a <style> element's text.
 */
function cssLayout(value: string, attribute: boolean): number {
  const css = cssText(attribute && value.indexOf('&') >= 0 ? decodeHTMLAttribute(value) : value);
  if (!LAYOUT.test(css)) return 0;
  return REORDER.test(css) ? CSS_JOINS | CSS_REORDERS : CSS_JOINS;
}

/**
 * `ATTR_TAG.exec(html)` from `from` (`ATTR_TAG.lastIndex` is left as exec leaves it). Every match
 * holds an '=' and no '<' after its own: none starts before the last '<' ahead of the next '=',
 * so the regex starts there (markup with few attributes is not tried tag by tag).
 */
function nextAttributeTag(html: string, from: number): RegExpExecArray | null {
  const eq = html.indexOf('=', from);
  if (eq < 0) return null;
  const open = html.lastIndexOf('<', eq);
  ATTR_TAG.lastIndex = open > from ? open : from;
  return ATTR_TAG.exec(html);
}

/** True if a start tag (`<bdo` and a space, as ATTR_TAG finds it) is a <bdo>. */
function isBdo(tag: string): boolean {
  return (
    (tag.charCodeAt(1) | 32) === 98 &&
    (tag.charCodeAt(2) | 32) === 100 &&
    (tag.charCodeAt(3) | 32) === 111 &&
    isRegexSpace(tag.charCodeAt(4))
  );
}

/** `text` without the [start, end) pairs of `ranges` (ascending, apart). */
function cutRanges(text: string, ranges: readonly number[]): string {
  if (ranges.length === 0) return text;
  const kept: string[] = [];
  let from = 0;
  for (let k = 0; k + 1 < ranges.length; k += 2) {
    kept.push(text.slice(from, ranges[k]));
    from = ranges[k + 1] ?? text.length;
  }
  kept.push(text.slice(from));
  return kept.join('');
}

const isHtmlSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
const isAsciiLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;
/**
 * Elements whose text runs to their end tag unparsed (raw text and RCDATA; <noscript> as where
 * scripts run): no tag inside counts.
 */
const RAW_TEXT = new Set([
  'script',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
]);

/** The index after the attributes and '>' of a tag whose name ends before `k` (a browser's reading), or -1 at the end. */
function tagEnd(s: string, k: number): number {
  const n = s.length;
  while (k < n) {
    let c = s.charCodeAt(k);
    if (isHtmlSpace(c) || c === 47) {
      k++;
      continue;
    }
    if (c === 62) return k + 1;
    // An attribute name: its first character may be anything ('=' included), as in HTML.
    k++;
    while (k < n) {
      c = s.charCodeAt(k);
      if (isHtmlSpace(c) || c === 47 || c === 62 || c === 61) break;
      k++;
    }
    while (k < n && isHtmlSpace(s.charCodeAt(k))) k++;
    if (s.charCodeAt(k) !== 61) continue;
    k++;
    while (k < n && isHtmlSpace(s.charCodeAt(k))) k++;
    const q = s.charCodeAt(k);
    if (q === 34 || q === 39) {
      const close = s.indexOf(q === 34 ? '"' : "'", k + 1);
      if (close < 0) return -1;
      k = close + 1;
    } else {
      while (k < n && !isHtmlSpace(s.charCodeAt(k)) && s.charCodeAt(k) !== 62) k++;
    }
  }
  return -1;
}

/** The end of the name that starts at `k` (a browser's reading: up to a space, '/' or '>'). */
function nameEnd(s: string, k: number): number {
  while (k < s.length) {
    const c = s.charCodeAt(k);
    if (isHtmlSpace(c) || c === 47 || c === 62) break;
    k++;
  }
  return k;
}

/** True if `s` at `k` spells `word` (lower case) in any ASCII case. */
function spellsAt(s: string, k: number, word: string): boolean {
  for (let j = 0; j < word.length; j++)
    if ((s.charCodeAt(k + j) | 32) !== word.charCodeAt(j)) return false;
  return true;
}

/**
 * The index after the token that starts at the '<' at `i` — a tag with its attributes (and a
 * raw-text element's text and end tag), a bogus comment or CDATA section, or a lone '<' — as a
 * browser reads it; -1 when it runs to the end.
 */
function tokenEnd(s: string, i: number): number {
  const c = s.charCodeAt(i + 1);
  if (isAsciiLetter(c)) {
    const e = nameEnd(s, i + 1);
    const end = tagEnd(s, e);
    const name = s.slice(i + 1, e).toLowerCase();
    if (name === 'plaintext') return -1; // text to the end
    if (end < 0 || !RAW_TEXT.has(name)) return end;
    for (let j = s.indexOf('</', end); j >= 0; j = s.indexOf('</', j + 2)) {
      const after = s.charCodeAt(j + 2 + name.length);
      if (spellsAt(s, j + 2, name) && (isHtmlSpace(after) || after === 47 || after === 62))
        return tagEnd(s, j + 2 + name.length);
    }
    return -1;
  }
  if (c === 47 && isAsciiLetter(s.charCodeAt(i + 2))) return tagEnd(s, nameEnd(s, i + 2));
  if (c === 47 && s.charCodeAt(i + 2) === 62) return i + 3;
  if (c === 33 && s.startsWith('[CDATA[', i + 2)) {
    // CDATA in SVG, a bogus comment in HTML: either way nothing in it before ']]>' may be a tag.
    const e = s.indexOf(']]>', i + 9);
    return e < 0 || s.lastIndexOf('<', e) > i ? -1 : e + 3;
  }
  if (c === 33 || c === 63 || c === 47) {
    const e = s.indexOf('>', i + 2);
    return e < 0 ? -1 : e + 1;
  }
  return i + 1;
}

/** Comment and <style> ranges `hiddenRanges` found, and the text of each <style>. */
export interface HiddenRanges {
  /** [start, end) pairs, ascending: every comment and <style> element. */
  ranges: number[];
  /** The text of each <style> element. */
  css: string[];
}

/**
 * The comments and <style> elements of `html` as a browser reads them, when COMMENT and STYLE
 * (comments removed first, then <style>s) remove exactly these; otherwise undefined. Why: those
 * regexes start at any `<!--` or `<style`, which a browser reads as text or an attribute value
 * inside other markup (`<p title="<!--">`, `<textarea>`), and end at the first `-->` where a
 * browser may end earlier (`<!-->`, `--!>`): then they delete text that is drawn. A tokenizer
 * reads each tag (quoted values included) from the start up to each `<!--` or `<style` only: the
 * removal is exact when each of them opens a comment or <style> in the text, the comment ends
 * where COMMENT ends it, the <style> holds no '<' before a plain `</style>`, and no '<' stands
 * just before (what its removal would join into a tag). `comments` and `styles` say whether
 * `<!--` and `<style` (any case) occur at all. Linear: the reading never goes back.
 */
export function hiddenRanges(
  html: string,
  comments: boolean,
  styles: boolean,
): HiddenRanges | undefined {
  const n = html.length;
  const found: HiddenRanges = { ranges: [], css: [] };
  // Next '<!--', '--!>' and '<style' at or after where reading stands (-1: none; -2: not looked).
  let comment = comments ? -2 : -1;
  let bang = -2;
  let style = styles ? -2 : -1;
  let pos = 0;
  for (;;) {
    if (comment !== -1 && comment < pos) comment = html.indexOf('<!--', pos);
    if (style !== -1 && style < pos) {
      STYLE_OPEN.lastIndex = pos;
      style = STYLE_OPEN.exec(html)?.index ?? -1;
    }
    const at = comment < 0 ? style : style < 0 ? comment : Math.min(comment, style);
    if (at < 0) return found;
    // Read the tokens before it: it must start one, not stand inside one.
    for (let i = html.indexOf('<', pos); i < at; i = html.indexOf('<', i)) {
      i = tokenEnd(html, i);
      if (i < 0 || i > at) return undefined;
    }
    if (html.charCodeAt(at - 1) === 60) return undefined;
    if (at === comment) {
      const open = at + 4;
      if (html.charCodeAt(open) === 62 || html.startsWith('->', open)) return undefined;
      const end = html.indexOf('-->', open);
      if (bang !== -1 && bang < open) bang = html.indexOf('--!>', open);
      if (bang >= 0 && (end < 0 || bang < end)) return undefined;
      found.ranges.push(at, end < 0 ? n : end + 3);
      if (end < 0) return found;
      pos = end + 3;
      continue;
    }
    const e = nameEnd(html, at + 1);
    if (e !== at + 6) return undefined; // <style-x>, <style:x>: not a <style>, but STYLE's
    const open = tagEnd(html, e);
    if (open < 0) return undefined;
    const lt = html.indexOf('<', at + 1);
    if (lt < open) return undefined; // a '<' in its attributes
    const close = html.indexOf('<', open);
    if (close < 0) {
      found.ranges.push(at, n);
      found.css.push(html.slice(open));
      return found;
    }
    if (!spellsAt(html, close + 2, 'style') || html.charCodeAt(close + 1) !== 47) return undefined;
    let k = close + 7;
    while (isHtmlSpace(html.charCodeAt(k))) k++;
    if (html.charCodeAt(k) !== 62) return undefined;
    found.ranges.push(at, k + 1);
    found.css.push(html.slice(open, close));
    pos = k + 1;
  }
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
  let shownAttrs = '';
  // A Markdown autolink (<jane@example.org>, <https://…>) is drawn as its text, not dropped as a tag.
  if (opts.markdown === true && text.indexOf('<') >= 0) text = text.replace(MD_AUTOLINK, '$1');
  if (opts.markup === true) {
    const stripped = stripTags(text, opts.markdown === true);
    text = stripped.text;
    attrs = stripped.also === '' ? stripped.attrs : `${stripped.attrs}\n${stripped.also}`;
    shownAttrs = stripped.shownAttrs ?? '';
  }
  if (opts.markdown === true) {
    if (text.indexOf('\\') >= 0) text = text.replace(MD_ESCAPE, '$1');
    if (hasEmphasis(text)) text = text.replace(MD_EMPHASIS, ''); // **jo**hn@… renders as one word
  }
  text = foldText(decodeEscapes(decodeEntities(text)));
  if (attrs !== '') attrs = foldText(decodeEscapes(decodeEntities(attrs)));
  if (shownAttrs === '') return { text, attrs };
  return { text, attrs, shownAttrs: foldText(decodeEscapes(decodeEntities(shownAttrs))) };
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
