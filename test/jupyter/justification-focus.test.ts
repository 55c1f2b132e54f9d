/**
 * The "Request review" dialog (jupyter-ext gate/justification.ts) gives focus back to the button
 * that opened it, after Escape and after Request review alike, with its textarea focused while it
 * is open. JupyterLab's Dialog cannot run in Node (no browser DOM), so @jupyterlab/apputils is the
 * fake of fixtures/apputils-dialog.ts, which handles focus in the order JupyterLab 4's Dialog and
 * Lumino do (the body's attach hook first, then the dialog records the focused element), on the
 * focus-tracking DOM of fixtures/focus-dom.ts (also standing in for @lumino/widgets).
 */
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { beforeEach, describe, test } from 'node:test';

const fixture = (name: string): string => new URL(`./fixtures/${name}.ts`, import.meta.url).href;
const STUBS: Record<string, string> = {
  '@jupyterlab/apputils': fixture('apputils-dialog'),
  '@lumino/widgets': fixture('focus-dom'),
};
register(
  `data:text/javascript,${encodeURIComponent(`const stubs = ${JSON.stringify(STUBS)};
export async function resolve(specifier, context, next) {
  return next(Object.hasOwn(stubs, specifier) ? stubs[specifier] : specifier, context);
}`)}`,
);

interface El {
  tagName: string;
  value: string;
  focus(): void;
  querySelector(selector: string): El | null;
}
const dom = (await import(fixture('focus-dom'))) as {
  document: { body: El & { append(...nodes: El[]): void }; activeElement: El };
  install(): void;
};
const { dialogs } = (await import(fixture('apputils-dialog'))) as {
  dialogs: {
    shown: string[];
    focusedInside: string[];
    answers: { accept: boolean; type?: (body: El) => void }[];
  };
};
dom.install();
const { askJustification } = (await import(
  new URL('../../jupyter-ext/src/gate/justification.ts', import.meta.url).href
)) as { askJustification(rules: string): Promise<string | null> };

/** The "Request review" button of a held output, focused (the user pressed it). */
function focusedOpener(): El {
  const opener = (dom.document as unknown as { createElement(tag: string): El }).createElement(
    'button',
  );
  dom.document.body.append(opener);
  opener.focus();
  assert.equal(dom.document.activeElement, opener);
  return opener;
}
/** Types `text` into the dialog's textarea. */
const typing = (text: string) => (body: El) => {
  const area = body.querySelector('textarea');
  assert.ok(area, 'the dialog has a textarea');
  area.value = text;
};

describe('"Request review" dialog: focus comes back to the button that opened it', () => {
  beforeEach(() => {
    dialogs.shown.length = 0;
    dialogs.focusedInside.length = 0;
    dialogs.answers.length = 0;
  });

  test('Escape (Cancel): the opener has focus again; the textarea had it meanwhile', async () => {
    const opener = focusedOpener();
    dialogs.answers.push({ accept: false });
    assert.equal(await askJustification('small cell'), null);
    assert.deepEqual(dialogs.focusedInside, ['TEXTAREA']);
    assert.equal(dom.document.activeElement, opener, 'not <body>');
  });

  test('Request review with a justification: the opener has focus again', async () => {
    const opener = focusedOpener();
    dialogs.answers.push({ accept: true, type: typing('  needed for the report  ') });
    assert.equal(await askJustification('small cell'), 'needed for the report');
    assert.deepEqual(dialogs.focusedInside, ['TEXTAREA']);
    assert.equal(dom.document.activeElement, opener, 'not <body>');
  });

  test('an empty justification asks again; each time focus comes back to the opener', async () => {
    const opener = focusedOpener();
    dialogs.answers.push(
      { accept: true, type: typing('   ') },
      { accept: true, type: typing('ok') },
    );
    assert.equal(await askJustification('small cell'), 'ok');
    assert.deepEqual(dialogs.shown, [
      'Request a review of this output',
      'Justification required',
      'Request a review of this output',
    ]);
    assert.deepEqual(dialogs.focusedInside, ['TEXTAREA', 'TEXTAREA']);
    assert.equal(dom.document.activeElement, opener);
  });
});
