import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { leakCandidates, textLeakCandidates } from '@privet/core/review/leak-candidates';
import type { NotebookOutput } from '@privet/core/review/index';

const has = (cs: Iterable<string>, value: string): boolean => new Set(cs).has(value);

describe('raw-value leak candidates', () => {
  test('every run of up to four words within a line is a candidate', () => {
    const cs = textLeakCandidates('Contact: Jane Q. Doe, +1 (415) 555-0100 today.');
    for (const v of ['Jane', 'Jane Q', 'Jane Q Doe', 'Doe', '+1 415 555-0100', '415 555-0100'])
      assert.ok(has(cs, v), v);
    assert.ok(!has(cs, 'Contact: Jane'), 'separators end a word');
    assert.ok(!has(cs, 'Jane Q Doe +1 415'), 'at most four words');
  });
  test('table columns and decimals end a run; lines never join', () => {
    const cs = textLeakCandidates('  12  345  6789\nAda\nLindqvist\t42 7.5 1234567 8');
    assert.ok(!has(cs, '12 345 6789'), 'counts in neighbouring columns do not join');
    assert.ok(!has(cs, 'Ada Lindqvist'), 'lines do not join');
    assert.ok(!has(cs, '7.5') && !has(cs, '42 7.5'), 'a decimal is no candidate');
    assert.ok(has(cs, '1234567 8') && has(cs, '42'));
  });
  test('a JSON leaf is read at any depth (nesting cannot hide a raw value)', () => {
    let nested: unknown = { name: 'Ana Pérez', mrn: 12345678 };
    for (let i = 0; i < 10_000; i++) nested = i % 2 === 0 ? [nested] : { level: nested };
    const cs = leakCandidates({
      output_type: 'display_data',
      data: { 'application/json': nested as object },
      metadata: {},
    });
    for (const v of ['Ana Pérez', '12345678', 'level']) assert.ok(has(cs, v), v);
  });
  test('outputs: HTML cells, entities, markdown, JSON leaves, tracebacks; images skipped', () => {
    const html: NotebookOutput = {
      output_type: 'display_data',
      data: {
        'text/html': '<table><tr><td>Jos&eacute; Mart&#237;n</td><td>3</td></tr></table>',
        'application/json': { rows: [{ name: 'Ana Pérez', mrn: 12345678, score: 0.25 }] },
        'image/png': 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA',
      },
      metadata: {},
    };
    const cs = leakCandidates(html);
    for (const v of ['José Martín', 'Jose Martin', 'Ana Pérez', '12345678', 'name', 'mrn'])
      assert.ok(has(cs, v), v);
    assert.ok(!has(cs, '0.25'));
    assert.ok(!cs.some((c) => c.startsWith('iVBOR')), 'raster images are not read');
    const error: NotebookOutput = {
      output_type: 'error',
      ename: 'KeyError',
      evalue: "'Bo Lindqvist4'",
      traceback: ['\u001b[31mKeyError\u001b[0m: Bo Lindqvist4'],
    };
    assert.ok(has(leakCandidates(error), 'Bo Lindqvist4'));
    const md: NotebookOutput = {
      output_type: 'display_data',
      data: { 'text/markdown': '**Cyra** Lindqvist5 and jane[at]example.org' },
      metadata: {},
    };
    const mdCs = leakCandidates(md);
    assert.ok(has(mdCs, 'Cyra Lindqvist5'));
    assert.ok(has(mdCs, 'jane@example.org'), 'the folded form is looked up too');
  });
  test('markup is also read as a browser may draw it: comments, styles, tags drawn as written', () => {
    const shown = (mime: string, text: string): string[] =>
      leakCandidates({ output_type: 'display_data', metadata: {}, data: { [mime]: text } });
    const drawnAs: [string, string][] = [
      // A '<!--' in an attribute opens no comment: the name after it is drawn.
      ['text/html', '<p title="<!--">Ada Lindqvist</p><!-- -->'],
      ['text/html', '<style>p::after{content:"Ada Lindqvist"}</style><p>x</p>'],
      ['text/html', '<xmp><x Ada Lindqvist></xmp>'],
      ['text/markdown', 'Name: `<x Ada Lindqvist>`'],
    ];
    for (const [mime, text] of drawnAs) assert.ok(has(shown(mime, text), 'Ada Lindqvist'), text);
  });
});
