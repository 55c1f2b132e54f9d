/**
 * HTML character references, decoded as a browser draws them: every HTML5 name (the `entities`
 * package's table, legacy names without ';' included) and every numeric reference. Why all: a
 * browser decodes `&NegativeVeryThinSpace;`, `&ic;` or `&lrm;` to invisible characters (folded
 * away later by `foldUnicode`), so a short list of names let them split an identifier unseen.
 */
import { decodeHTML } from 'entities';

// The names evasions used first, some read as the scanners need them rather than as drawn (`&copy;`
// as "(c)"); every other name is decoded by the full table.
const NAMED: ReadonlyMap<string, string> = new Map(
  Object.entries({
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    nbsp: ' ',
    commat: '@',
    period: '.',
    fullstop: '.',
    hyphen: '-',
    dash: '-',
    minus: '-',
    ndash: '-',
    mdash: '-',
    lpar: '(',
    rpar: ')',
    plus: '+',
    colon: ':',
    semi: ';',
    comma: ',',
    num: '#',
    lowbar: '_',
    UnderBar: '_',
    sol: '/',
    bsol: '\\',
    percnt: '%',
    equals: '=',
    excl: '!',
    quest: '?',
    dollar: '$',
    ast: '*',
    midast: '*',
    lsqb: '[',
    rsqb: ']',
    lbrack: '[',
    rbrack: ']',
    lcub: '{',
    rcub: '}',
    lbrace: '{',
    rbrace: '}',
    verbar: '|',
    vert: '|',
    Hat: '^',
    grave: '`',
    tilde: '~',
    thinsp: ' ',
    ensp: ' ',
    emsp: ' ',
    zwsp: '',
    ZeroWidthSpace: '',
    zwj: '',
    zwnj: '',
    shy: '',
    NewLine: '\n',
    Tab: '\t',
    middot: '.',
    bull: '.',
    hellip: '...',
    copy: '(c)',
    reg: '(r)',
    deg: 'deg',
    times: 'x',
    divide: '/',
  }),
);

// Digits run on as far as a browser reads them (`&#0000000064;` is '@'); the longest HTML5 name
// has 31 letters, and a longer run is cut where the table's longest match ends.
const ENTITY = /&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});?/g;

/**
 * Decodes HTML character references; unknown names are kept as written, and so are numeric
 * references to no character (0, surrogates, beyond U+10FFFF), which draw U+FFFD.
 */
export function decodeEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(ENTITY, (whole, body: string) => {
    if (body.charCodeAt(0) === 35 /* # */) {
      const hex = body[1] === 'x' || body[1] === 'X';
      const code = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff) return whole;
      if (code >= 0xd800 && code <= 0xdfff) return whole;
      // 0x80–0x9F are read as Windows-1252 (`&#150;` draws '–'), as the table knows.
      return code >= 0x80 && code <= 0x9f ? decodeHTML(whole) : String.fromCodePoint(code);
    }
    // The table also decodes a legacy name that starts the run (`&notit;` draws "¬it;").
    return NAMED.get(body) ?? decodeHTML(whole);
  });
}
