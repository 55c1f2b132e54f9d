/**
 * A FigureWidget relayout edits the layout's component lists (annotations, shapes, images,
 * sliders, updatemenus, selections, nested menu buttons) as plotly.js does
 * (`plot_api/manage_arrays.js`): `'annotations[1]'` set to an object or 'add' inserts an item
 * (the old one moves down), set to null or 'remove' deletes it (the next moves up), and
 * `'annotations'` set to 'remove' deletes the list. Before, an insert replaced the item, a
 * deletion left a hole or the string 'remove', and an edit of that item afterwards was refused,
 * so the layouts read differed from the ones plotly drew (the edits kept in the widget's state are
 * scanned for identifiers as well, so an address set there held the output before too).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EditedFigure, type Figure } from '@privet/core/review/figure-edits';
import { bar, bookWith, holding, send } from './widget-book-fixture.js';

const A = { text: 'Visits per region' };
const B = { text: 'source: registry' };
const C = { text: 'week 12' };

/** The layout drawn last after each relayout in `edits`, over a figure laid out with `layout`. */
function relaidOut(layout: Figure, ...edits: Figure[]): unknown {
  const figure = new EditedFigure([bar()], layout);
  for (const relayout_data of edits) figure.apply('_py2js_relayout', { relayout_data });
  return figure.finish().at(-1)?.layout;
}

describe('component lists: items inserted and deleted as plotly.js does', () => {
  test("an object at 'annotations[1]' is inserted: the item there moves down", () => {
    const added = { text: 'new' };
    assert.deepEqual(relaidOut({ annotations: [A, B] }, { 'annotations[1]': added }), {
      annotations: [A, added, B],
    });
  });

  test("'add' inserts an empty item that later edits fill", () => {
    assert.deepEqual(
      relaidOut(
        { shapes: [A] },
        { 'shapes[0]': 'add' },
        { 'shapes[0].type': 'rect', 'shapes[1].type': 'line' },
      ),
      { shapes: [{ type: 'rect' }, { ...A, type: 'line' }] },
    );
  });

  test('null and "remove" delete the item: the next moves up and takes later edits', () => {
    assert.deepEqual(relaidOut({ annotations: [A, B, C] }, { 'annotations[0]': null }), {
      annotations: [B, C],
    });
    assert.deepEqual(
      relaidOut(
        { annotations: [A, B, C] },
        { 'annotations[1]': 'remove' },
        { 'annotations[1].text': 'week 13' },
      ),
      { annotations: [A, { text: 'week 13' }] },
    );
  });

  test('deleting the last item deletes the list', () => {
    assert.deepEqual(relaidOut({ images: [A], title: 'x' }, { 'images[0]': 'remove' }), {
      title: 'x',
    });
  });

  test("'remove' for the whole list deletes it, so a later insert starts a new one", () => {
    assert.deepEqual(
      relaidOut({ annotations: [A, B] }, { annotations: 'remove' }, { 'annotations[0]': C }),
      { annotations: [C] },
    );
  });

  test('one relayout: inserts and edits by ascending index, deletions last', () => {
    const added = { text: 'new' };
    assert.deepEqual(
      relaidOut({ annotations: [A, B] }, { 'annotations[0]': null, 'annotations[2]': added }),
      { annotations: [B, added] },
    );
  });

  test('nested lists: a menu button inserted', () => {
    const button = { label: 'all' };
    const menu = { buttons: [{ label: 'north' }, { label: 'south' }] };
    assert.deepEqual(relaidOut({ updatemenus: [menu] }, { 'updatemenus[0].buttons[1]': button }), {
      updatemenus: [{ buttons: [{ label: 'north' }, button, { label: 'south' }] }],
    });
  });

  test('an insert past the end (plotly.js skips it) is still read (fail closed)', () => {
    assert.deepEqual(relaidOut({ annotations: [A] }, { 'annotations[2]': C }), {
      annotations: [A, null, C],
    });
  });
});

describe('the widget output reads what the edited item draws', () => {
  test('an address set on the item that moved up after a removal holds the output (guard)', () => {
    const layout = {
      annotations: [{ text: 'all regions' }, { text: 'draft' }, { text: 'source: registry' }],
    };
    const book = bookWith([bar()], layout);
    assert.deepEqual(holding(book), []);
    send(book, '_py2js_relayout', { relayout_data: { 'annotations[1]': 'remove' } });
    send(book, '_py2js_relayout', {
      relayout_data: { 'annotations[1].text': 'ask jane.doe@example.org' },
    });
    assert.deepEqual(holding(book), ['email']);
  });
});
