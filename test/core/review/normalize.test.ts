import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { foldUnicode, normalize, stripTags } from '@privet/core/review/normalize';
import { decodeEntities } from '@privet/core/review/entities';

describe('normalization', () => {
  test('removes zero-width, soft hyphen and bidi controls', () => {
    assert.equal(
      foldUnicode('j\u200bo\u200ch\u200dn\u2060@\ufeffex\u00adample.com'),
      'john@example.com',
    );
    assert.equal(foldUnicode('\u202ajohn\u202c'), 'john');
  });
  test('folds homoglyphs, fullwidth forms and other-script digits', () => {
    assert.equal(foldUnicode('jоhn@еxаmple.соm'), 'john@example.com'); // Cyrillic о е а с
    assert.equal(foldUnicode('ΑΒΟ'), 'ABO'); // Greek capitals
    assert.equal(foldUnicode('２１２－５５５'), '212-555');
    assert.equal(foldUnicode('٢١٢'), '212'); // Arabic-Indic digits
    assert.equal(foldUnicode('212–555—0134'), '212-555-0134'); // en/em dashes
    assert.equal(foldUnicode('josé'), 'jose');
  });
  test('decodes numeric and named character references', () => {
    assert.equal(decodeEntities('a&#64;b&#x2E;c&commat;d&period;e&amp;'), 'a@b.c@d.e&');
    assert.equal(decodeEntities('&unknown; &#0; &#xD800;'), '&unknown; &#0; &#xD800;');
  });
  test('strips tags: inline tags join, cells separate, attributes kept aside', () => {
    const r = stripTags(
      '<p>jo<span>hn</span>@ex<b>ample</b>.com</p><table><tr><td>1</td><td>2</td></tr></table><a title="x@y.org">t</a>',
    );
    assert.ok(r.text.includes('john@example.com'));
    assert.match(r.text, /\t1\t+2/);
    assert.equal(r.attrs, 'x@y.org');
    assert.equal(stripTags('a < b and c > d').text, 'a < b and c > d');
    assert.ok(!stripTags('<style>.x{color:red}</style>ok').text.includes('color'));
  });
  test('normalize handles ANSI colours, markdown escapes and spelled-out punctuation', () => {
    assert.equal(normalize('\u001b[0;31mKeyError\u001b[0m').text, 'KeyError');
    assert.equal(normalize('john\\@example\\.com', { markdown: true }).text, 'john@example.com');
    assert.equal(normalize('john [at] example [dot] com').text, 'john@example.com');
    assert.equal(normalize('a&#8203;b').text, 'ab'); // entity-encoded zero-width space
    assert.equal(normalize('john%40example%2Ecom').text, 'john@example.com'); // URL escapes
    assert.equal(normalize('john\\u0040example.com').text, 'john@example.com'); // code escapes
  });
});
