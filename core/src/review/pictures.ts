/**
 * Why: the text check cannot read a picture, so markup that draws one (HTML, Markdown, SVG) is
 * held like an image. Renderers decode character references in attribute values
 * (`&#100;ata:image/…`), keep `<input type="image" src>`, `<source srcset>`, `poster` and
 * `background`, and draw CSS `url(…)` from style attributes and `<style>` elements, so a test on
 * the raw text for a few tag names misses them. The markup is therefore read as a browser's
 * tokenizer reads it — tags, attributes, quoted values that may hold '<' and '>' — each value
 * decoded as the renderer decodes it (references, then CSS escapes), without a DOM.
 *
 * Browsers, the sanitizer's parser (htmlparser2) and Markdown disagree on where comments, raw-text
 * elements and HTML blocks end, so one reading can take a real tag for the inside of a quoted
 * value. A quote-blind pass backs the tokenizer up: picture element and attribute names anywhere
 * after a tag opens, and picture URLs (`url(`, `data:` images) in the text with references and CSS
 * escapes decoded. It may hold a little more than a browser draws, never less.
 */
import { decodeHTML, decodeHTMLAttribute } from 'entities';

/** Elements that draw a picture, a frame or a loaded resource whatever their attributes. */
const PICTURE_ELEMENTS = [
  'img',
  'image',
  'svg',
  'canvas',
  'object',
  'embed',
  'iframe',
  'frame',
  'frameset',
  'picture',
  'video',
  'audio',
  'feimage',
  'applet',
  'portal',
  'fencedframe',
  'link',
  // <use href> draws what it points to (inside an <svg>, itself held); read alone it draws nothing.
  'use',
];
/** Attributes that load a picture on any element (`<input type=image src>`, `<table background>`). */
const PICTURE_ATTRIBUTES = [
  'src',
  'srcset',
  'poster',
  'background',
  'lowsrc',
  'dynsrc',
  'imagesrcset',
];
/** SVG elements that draw what the text check cannot read: glyph paths and shapes, images, embeds. */
const SVG_ELEMENTS = [
  'path',
  'polygon',
  'polyline',
  'image',
  'use',
  'foreignobject',
  'feimage',
  'pattern',
  'canvas',
];
const ELEMENT_SET = new Set(PICTURE_ELEMENTS);
const SVG_ELEMENT_SET = new Set(SVG_ELEMENTS);
const ATTRIBUTE_SET = new Set(PICTURE_ATTRIBUTES);
const LONGEST_ELEMENT = Math.max(...[...PICTURE_ELEMENTS, ...SVG_ELEMENTS].map((n) => n.length));
const LONGEST_ATTRIBUTE = Math.max(...[...PICTURE_ATTRIBUTES, 'style'].map((n) => n.length));
/** 1 at the (lower-case) first letter of every name the tokenizer looks up: others are skipped unread. */
const FIRST_LETTERS = new Uint8Array(128);
for (const name of [...PICTURE_ELEMENTS, ...SVG_ELEMENTS, ...PICTURE_ATTRIBUTES, 'style'])
  FIRST_LETTERS[name.charCodeAt(0)] = 1;

/** Quote-blind: a picture element's start tag anywhere in the raw markup. */
const ELEMENT_ANYWHERE = new RegExp(`<(?:${PICTURE_ELEMENTS.join('|')})\\b`, 'i');
/** Quote-blind: a picture attribute anywhere after a tag opens (searched from the first tag). */
const ATTRIBUTE_ANYWHERE = new RegExp(`[\\s"'/](?:${PICTURE_ATTRIBUTES.join('|')})\\s*=`, 'gi');
/** A picture URL in text: CSS images and imports, `data:` pictures and PDFs. */
const PICTURE_URL =
  /url\s*\(|image-set\s*\(|@import\b|data:(?:image|video|audio)\/|data:application\/pdf/i;
/** CSS that loads or draws an image (inside a style attribute or a `<style>` element). */
const CSS_PICTURE = /(?:url|image-set|image|cross-fade|element|src|paint)\s*\(|@import\b/i;
/** CSS escapes: `\75 ` (hex, one optional space after) and `\r` (any other character). */
const CSS_ESCAPE = /\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|([^\n\r\f0-9a-fA-F]))/g;
/** A character reference other than the five that cannot spell a picture URL (`&amp;`, `&lt;`…). */
const TELLING_REFERENCE = /&(?!(?:amp|lt|gt|quot|nbsp);)/;
/** A CSS escape that could spell a letter or digit of a name (`\75 `, `\r`); `\(` cannot open a function. */
const CSS_LETTER_ESCAPE = /\\[0-9A-Za-z]/;
/** Where htmlparser2 ends a `<style>` element (at or after where a browser does). */
const STYLE_END = /<\/style[\t\n\f\r >]/gi;
/** Quote-blind, in SVG: an unreadable element anywhere, any `url(` or `data:` URL. */
const SVG_UNREADABLE = new RegExp(`<(?:${SVG_ELEMENTS.join('|')})\\b|url\\s*\\(|data:`, 'i');
/** Where the first tag opens. */
const FIRST_TAG = /<[A-Za-z]/;
/** A Markdown link reference definition (`[chart]: data:image/png;…`), used by `![chart]`. */
const MD_REFERENCE = /^ {0,3}\[[^\]]+\]:/m;
/** A Markdown image's text followed by its destination or label: `](` or `][`. */
const MD_IMAGE_TAIL = /\][([]/g;

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
const isAsciiLetter = (c: number): boolean => (c | 32) >= 97 && (c | 32) <= 122;

/** CSS with its escapes decoded (`\75 rl(` is `url(`). */
export function cssUnescape(css: string): string {
  if (css.indexOf('\\') < 0) return css;
  return css.replace(CSS_ESCAPE, (_all, hex: string | undefined, char: string | undefined) => {
    if (hex === undefined) return char ?? '';
    const code = Number.parseInt(hex, 16);
    return code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)
      ? '\ufffd'
      : String.fromCodePoint(code);
  });
}

/** True if CSS text (character references already decoded) loads or draws an image. */
function cssDrawsPicture(css: string): boolean {
  return CSS_PICTURE.test(css) || CSS_PICTURE.test(cssUnescape(css));
}

/** True if an attribute value, decoded as an attribute is, is CSS that loads an image. */
function cssValueDrawsPicture(value: string): boolean {
  // Every CSS picture needs '(' or '@', written as is, as a reference ('&') or as an escape ('\\').
  if (!/[(@&\\]/.test(value)) return false;
  return cssDrawsPicture(value.indexOf('&') < 0 ? value : decodeHTMLAttribute(value));
}

/** Lower-case name `src[a..b)` if it is short enough and starts as a looked-up name does, else ''. */
function nameAt(src: string, a: number, b: number, longest: number): string {
  const first = src.charCodeAt(a) | 32;
  if (b - a > longest || first >= 128 || FIRST_LETTERS[first] !== 1) return '';
  return src.slice(a, b).toLowerCase();
}

/**
 * The tokenizer pass: true if a start tag in `src` is a picture element (in `svg`, an unreadable
 * SVG element), carries a picture attribute or a style attribute (in SVG, any attribute) whose CSS
 * loads an image, or opens a `<style>` whose CSS does.
 * Tags are read as the HTML tokenizer reads them (attribute names end at whitespace, '/', '>' or
 * '='; quoted values run to their closing quote, '<' and '>' included); every '<' before a letter
 * outside a tag starts one, so what a comment or raw-text element would hide is read too. Linear:
 * the scan never goes back, and an unclosed quote ends it (the rest is inside that tag).
 */
function tagsDrawPicture(src: string, svg: boolean): boolean {
  const elements = svg ? SVG_ELEMENT_SET : ELEMENT_SET;
  const n = src.length;
  // Where the last <style>'s text started and the `</style` that ends it (-1: none, the end). A
  // <style> tag read inside that text holds only the rest of it, already tested: `<style>` ×
  // 30,000 would otherwise search and test to the end once per tag.
  let endFrom = -1;
  let endAt = -1;
  for (let i = src.indexOf('<'); i >= 0; i = src.indexOf('<', i)) {
    let k = i + 1;
    if (!isAsciiLetter(src.charCodeAt(k))) {
      i = k;
      continue;
    }
    const nameStart = k;
    while (k < n) {
      const c = src.charCodeAt(k);
      if (isSpace(c) || c === 47 || c === 62) break;
      k++;
    }
    const name = nameAt(src, nameStart, k, LONGEST_ELEMENT);
    if (name !== '' && elements.has(name)) return true;
    while (k < n) {
      let c = src.charCodeAt(k);
      if (isSpace(c) || c === 47) {
        k++;
        continue;
      }
      if (c === 62) {
        k++;
        break;
      }
      // An attribute name: its first character may be anything ('=' included), as in HTML.
      const a = k++;
      while (k < n) {
        c = src.charCodeAt(k);
        if (isSpace(c) || c === 47 || c === 62 || c === 61) break;
        k++;
      }
      const attr = nameAt(src, a, k, LONGEST_ATTRIBUTE);
      if (attr !== '' && ATTRIBUTE_SET.has(attr)) return true;
      while (k < n && isSpace(src.charCodeAt(k))) k++;
      if (src.charCodeAt(k) !== 61) continue;
      k++;
      while (k < n && isSpace(src.charCodeAt(k))) k++;
      const q = src.charCodeAt(k);
      let v = k;
      let e: number;
      if (q === 34 || q === 39) {
        const close = src.indexOf(q === 34 ? '"' : "'", k + 1);
        v = k + 1;
        e = close < 0 ? n : close;
        k = e + 1;
      } else {
        while (k < n) {
          c = src.charCodeAt(k);
          if (isSpace(c) || c === 62) break;
          k++;
        }
        e = k;
      }
      // SVG presentation attributes (fill, stroke, filter, mask…) are CSS values too.
      if ((svg || attr === 'style') && cssValueDrawsPicture(src.slice(v, e))) return true;
    }
    if (name === 'style' && !(endFrom >= 0 && endFrom <= k && (endAt < 0 || k <= endAt))) {
      STYLE_END.lastIndex = k;
      endFrom = k;
      endAt = STYLE_END.exec(src)?.index ?? -1;
      const css = src.slice(k, endAt < 0 ? n : endAt);
      if (cssDrawsPicture(css) || (css.indexOf('&') >= 0 && cssDrawsPicture(decodeHTML(css))))
        return true;
    }
    i = k;
  }
  return false;
}

/** True if Markdown text holds an image (`![alt](url)`, `![alt][ref]`, or `![ref]` with its definition). */
function markdownImage(md: string): boolean {
  const at = md.indexOf('![');
  if (at < 0) return false;
  MD_IMAGE_TAIL.lastIndex = at;
  return MD_IMAGE_TAIL.test(md) || MD_REFERENCE.test(md);
}

/**
 * False when PICTURE_URL cannot match: each of its spellings holds a ':', '(' or '@' (three
 * native searches rule out a table of plain cells faster than the regex's pass).
 */
function mayHoldPictureUrl(text: string): boolean {
  return text.indexOf(':') >= 0 || text.indexOf('(') >= 0 || text.indexOf('@') >= 0;
}

/** The quote-blind pass over markup (see the note at the top of this file). */
function quoteBlindPicture(raw: string, kind: 'html' | 'markdown' | 'svg'): boolean {
  const urls = kind === 'svg' ? SVG_UNREADABLE : PICTURE_URL;
  if ((kind === 'svg' || mayHoldPictureUrl(raw)) && urls.test(raw)) return true;
  // Each regex below needs its first character ('<', '&', '\\') in the text: a native indexOf
  // rules it out many times faster than the regex's own pass.
  if (kind !== 'svg' && raw.indexOf('<') >= 0) {
    if (ELEMENT_ANYWHERE.test(raw)) return true;
    const firstTag = raw.search(FIRST_TAG);
    if (firstTag >= 0) {
      ATTRIBUTE_ANYWHERE.lastIndex = firstTag;
      if (ATTRIBUTE_ANYWHERE.test(raw)) return true;
    }
  }
  const decoded = raw.indexOf('&') >= 0 && TELLING_REFERENCE.test(raw) ? decodeHTML(raw) : raw;
  if (decoded !== raw && urls.test(decoded)) return true;
  return (
    decoded.indexOf('\\') >= 0 && CSS_LETTER_ESCAPE.test(decoded) && urls.test(cssUnescape(decoded))
  );
}

/**
 * True if HTML, Markdown or SVG markup draws a picture the text check cannot read: a picture
 * element, an element with a picture attribute (`src`, `srcset`, `poster`, `background`…), CSS
 * that loads an image (style attributes, `<style>`, escaped or entity-encoded), a `data:` picture,
 * a Markdown image; in SVG, glyph paths and shapes, images, `<use>`, embedded objects and `url(…)`.
 */
export function drawsPicture(markup: string, kind: 'html' | 'markdown' | 'svg'): boolean {
  if (kind === 'markdown' && markdownImage(markup)) return true;
  if (quoteBlindPicture(markup, kind)) return true;
  return markup.indexOf('<') >= 0 && tagsDrawPicture(markup, kind === 'svg');
}
