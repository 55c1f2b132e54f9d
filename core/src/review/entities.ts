/** HTML character references: the named ones evasions use, plus all numeric ones. */

const NAMED: Readonly<Record<string, string>> = {
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
};

const ENTITY = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?/g;

/** Decodes HTML character references; unknown names are kept as written. */
export function decodeEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(ENTITY, (whole, body: string) => {
    if (body.charCodeAt(0) === 35 /* # */) {
      const hex = body[1] === 'x' || body[1] === 'X';
      const code = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff) return whole;
      if (code >= 0xd800 && code <= 0xdfff) return whole;
      return String.fromCodePoint(code);
    }
    const named = NAMED[body];
    return named ?? whole;
  });
}
