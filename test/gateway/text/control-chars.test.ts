/** The shared check and escape of control characters in people's text (gateway/src/text). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  printable,
  printableJson,
  refusedCharacter,
  textRefusal,
} from '../../../gateway/src/text/control-chars.js';

test('every C0, DEL and C1 control is refused in a line; lines keep LF, tab and CR LF only', () => {
  for (let cp = 0; cp <= 0x9f; cp++) {
    if (cp > 0x1f && cp < 0x7f) continue;
    const ch = String.fromCodePoint(cp);
    assert.deepEqual(refusedCharacter(`ab${ch}`, 'line')?.position, 3, `U+${cp.toString(16)}`);
    assert.ok(refusedCharacter(`ab${ch}`, 'title'));
    const inLines = refusedCharacter(`ab${ch}`, 'lines');
    assert.equal(inLines === undefined, cp === 0x0a || cp === 0x09, `U+${cp.toString(16)}`);
  }
  assert.equal(refusedCharacter('a\r\nb', 'lines'), undefined);
  assert.deepEqual(refusedCharacter('a\rb', 'lines'), {
    codePoint: 'U+000D',
    position: 2,
    kind: 'control',
  });
  assert.equal(refusedCharacter('plain text, accents é and 漢字 😀', 'title'), undefined);
});

test('bidirectional overrides and isolates are refused in titles only', () => {
  for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
    const text = `x${String.fromCodePoint(cp)}y`;
    assert.equal(refusedCharacter(text, 'title')?.kind, 'bidi');
    assert.equal(refusedCharacter(text, 'line'), undefined);
    assert.equal(refusedCharacter(text, 'lines'), undefined);
  }
});

test('positions count characters (code points), not UTF-16 units', () => {
  assert.equal(refusedCharacter('😀😀\u001b', 'line')?.position, 3);
});

test('a refusal names the field and the code point, and never quotes the text', () => {
  const r = textRefusal('"justification"', 'secret value\u001b]52;c;x\u0007', 'lines');
  assert.ok(r);
  assert.match(r.message, /^"justification" holds a control character \(U\+001B, character 13\)/);
  assert.match(r.fix, /remove control characters .* from "justification"/);
  assert.ok(!(r.message + r.fix).includes('secret'));
  assert.equal(textRefusal('"x"', 'clean', 'line'), undefined);
});

test('printable escapes controls, separators and bidi controls; other text is kept', () => {
  assert.equal(
    printable('a\u001b[2K\r\u001b]52;c;x\u0007b'),
    'a\\u{1b}[2K\\u{d}\\u{1b}]52;c;x\\u{7}b',
  );
  assert.equal(
    printable('tab\tnl\n\u009b\u2028\u202e'),
    'tab\\u{9}nl\\u{a}\\u{9b}\\u{2028}\\u{202e}',
  );
  assert.equal(printable('Income by city — é 漢字 😀'), 'Income by city — é 漢字 😀');
});

test('printableJson stays valid JSON equal to the value, without raw controls', () => {
  const value = { title: 'a\u001b[2K\u0085\u009b\u202e\u2028b', list: ['x\ty'] };
  const json = printableJson(value, 2);
  // eslint-disable-next-line no-control-regex -- JSON may hold its own line feeds, nothing else
  assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/.test(json));
  assert.deepEqual(JSON.parse(json), value);
  assert.equal(
    printableJson(value, 2).split('\n').length,
    JSON.stringify(value, null, 2).split('\n').length,
  );
});
