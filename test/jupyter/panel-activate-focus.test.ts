/**
 * Activating a Privet side panel (the palette's "Open Privet Data Panel", "Open Privet Privacy
 * Budget", "Open Privet Review Queue" call the shell's activateById) moves keyboard focus to its
 * first control (jupyter-ext panel/PollingWidget.ts, panel/focus-first.ts), as JupyterLab's own
 * panels do, instead of leaving it in the notebook: at once when the panel is drawn, or as soon
 * as React has drawn it; focus already inside the panel stays where it is. The widgets run on the
 * ui-components stand-in (render.ts), with a node the test makes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Signal } from '@lumino/signaling';
import { load } from './render.js';

/** A widget as far as this test drives it (onActivateRequest is Lumino's, protected). */
interface Widget {
  id: string;
  node: unknown;
  onActivateRequest(msg: unknown): void;
  dispose(): void;
}
type WidgetClass = new (...args: never[]) => Widget;

const { DataPanel } = await load<{ DataPanel: WidgetClass }>('panel/DataPanel.tsx');
const { BudgetSidebar } = await load<{ BudgetSidebar: WidgetClass }>('panel/BudgetSidebar.tsx');
const { ReviewQueuePanel } = await load<{ ReviewQueuePanel: WidgetClass }>(
  'review/ReviewQueuePanel.tsx',
);
const { FOCUSABLE } = await load<{ FOCUSABLE: string }>('panel/focus-first.ts');

/** What has focus in the fake page. */
const page = { activeElement: null as unknown };
Object.assign(globalThis, { document: page });

/** A control that records being focused (and then has focus). */
function control(name: string, focused: string[]) {
  const c = {
    name,
    focus: () => {
      focused.push(name);
      page.activeElement = c;
    },
  };
  return c;
}

/** A widget's node with `controls` under it (what querySelectorAll finds). */
function nodeWith(controls: { focus(): void }[]) {
  const selectors: string[] = [];
  const node = {
    controls,
    selectors,
    contains: (other: unknown) => node.controls.includes(other as never),
    querySelectorAll: (selector: string) => {
      selectors.push(selector);
      return node.controls;
    },
  };
  return node;
}

const session = { signedIn: null, changed: new Signal({}), restoreProblem: null };
const context = { selected: null, changed: new Signal({}), spent: new Signal({}) };
const widgets: [string, () => Widget][] = [
  ['data panel', () => new DataPanel({ session, context } as never)],
  ['budget sidebar', () => new BudgetSidebar(session as never, context as never)],
  ['review queue', () => new ReviewQueuePanel(session as never)],
];

describe('activating a Privet panel focuses its first control', () => {
  for (const [name, make] of widgets) {
    test(`${name}: the first control gets focus`, () => {
      const focused: string[] = [];
      page.activeElement = { name: 'notebook cell' };
      const widget = make();
      const node = nodeWith([control('first', focused), control('second', focused)]);
      widget.node = node;
      widget.onActivateRequest({ type: 'activate-request' });
      assert.deepEqual(focused, ['first']);
      assert.deepEqual(node.selectors, [FOCUSABLE]);
      widget.dispose();
    });
  }

  test('focus already inside the panel stays where it is', () => {
    const focused: string[] = [];
    const second = control('second', focused);
    const widget = widgets[1]![1]();
    widget.node = nodeWith([control('first', focused), second]);
    page.activeElement = second;
    widget.onActivateRequest({ type: 'activate-request' });
    assert.deepEqual(focused, []);
    widget.dispose();
  });

  test('a panel React has not drawn yet gets focus once its controls are there', async () => {
    const focused: string[] = [];
    page.activeElement = null;
    const widget = widgets[0]![1]();
    const node = nodeWith([]);
    widget.node = node;
    widget.onActivateRequest({ type: 'activate-request' });
    assert.deepEqual(focused, []);
    node.controls = [control('drawn', focused)];
    await new Promise((resolve) => setTimeout(resolve, 120));
    assert.deepEqual(focused, ['drawn']);
    widget.dispose();
  });

  test('a control that does not take focus (hidden, in a closed details) is passed over', () => {
    const focused: string[] = [];
    page.activeElement = null;
    const widget = widgets[1]![1]();
    const hidden = { focus: () => focused.push('hidden') };
    widget.node = nodeWith([hidden, control('shown', focused)]);
    widget.onActivateRequest({ type: 'activate-request' });
    assert.deepEqual(focused, ['hidden', 'shown']);
    assert.equal((page.activeElement as { name?: string } | null)?.name, 'shown');
    widget.dispose();
  });

  test('skips disabled and hidden controls (by the selector)', () => {
    assert.match(FOCUSABLE, /button:not\(:disabled\)/);
    assert.match(FOCUSABLE, /input:not\(:disabled\):not\(\[type="hidden"\]\)/);
    assert.match(FOCUSABLE, /\[tabindex\]:not\(\[tabindex="-1"\]\)/);
  });
});
