/**
 * The JupyterLab gate's raw-value checks of a drawn widget's new states (jupyter-ext
 * gate/widget-updates.ts), without a browser: states arriving during a check are asked about
 * together in one later call, not one call each; the widget stays transparent until a clear
 * verdict covers every state that arrived *and* the widget manager applied all of them (a state
 * overwritten before the call read the books was never checked); a raw value holds it; an echo of
 * the user's input is checked but not hidden. The DOM is a few fakes: the logic needs only
 * classes, a node to copy and animation frames.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RawValueVerdict } from '@privet/core/client/index';
import type { NotebookOutput } from '@privet/core/review/index';

// Loaded by path: test/tsconfig.json has no JupyterLab types (see raw-value-gate.test.ts).

/** jupyter-ext gate/widget-updates.ts's host interface, as far as the fakes provide it. */
interface Host {
  node: unknown;
  drawn(): FakeWidget | null;
  checkedNow(): NotebookOutput | null;
  ask(checked: NotebookOutput): Promise<RawValueVerdict> | null;
  hold(): void;
}
/** jupyter-ext gate/widget-updates.ts's WidgetUpdateChecks. */
interface Checks {
  readonly mark: number;
  received(model: string, echo: boolean): void;
  applied(model: string): void;
  drawnAt(mark: number): void;
  stop(): void;
}
const gateModule = (name: string): Promise<unknown> =>
  import(new URL(`../../jupyter-ext/src/gate/${name}.ts`, import.meta.url).href);
const { WidgetUpdateChecks, WIDGET_CHECK_SPACING_MS } = (await gateModule('widget-updates')) as {
  WidgetUpdateChecks: new (host: Host) => Checks;
  WIDGET_CHECK_SPACING_MS: number;
};
const { VERIFYING_CLASS } = (await gateModule('verified-paint')) as { VERIFYING_CLASS: string };

/** An element as far as LastVerifiedPaint touches one. */
class FakeElement {
  readonly classList = { add: (): void => undefined, remove: (): void => undefined };
  readonly style: Record<string, string> = {};
  parentElement: FakeElement | null = null;
  readonly children: FakeElement[] = [];
  inert = false;
  offsetWidth = 120;
  offsetTop = 0;
  offsetLeft = 0;
  cloneNode(): FakeElement {
    return new FakeElement();
  }
  querySelectorAll(): FakeElement[] {
    return [];
  }
  removeAttribute(): void {}
  setAttribute(): void {}
  appendChild(child: FakeElement): void {
    child.parentElement = this;
    this.children.push(child);
  }
  remove(): void {
    const parent = this.parentElement;
    if (parent) parent.children.splice(parent.children.indexOf(this), 1);
    this.parentElement = null;
  }
}
/** A drawn Lumino widget as far as the checks use one. */
class FakeWidget {
  readonly node = new FakeElement();
  readonly classes = new Set<string>();
  addClass(name: string): void {
    this.classes.add(name);
  }
  removeClass(name: string): void {
    this.classes.delete(name);
  }
  hasClass(name: string): boolean {
    return this.classes.has(name);
  }
  get hidden(): boolean {
    return this.classes.has(VERIFYING_CLASS);
  }
}
(globalThis as { requestAnimationFrame?: (cb: () => void) => void }).requestAnimationFrame = (cb) =>
  void setTimeout(cb, 1);

/** A verdict the test releases when it chooses. */
function deferred(): { promise: Promise<RawValueVerdict>; answer(v: RawValueVerdict): void } {
  let answer!: (v: RawValueVerdict) => void;
  const promise = new Promise<RawValueVerdict>((resolve) => (answer = resolve));
  return { promise, answer };
}

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const CLEAR: RawValueVerdict = { state: 'clear' };
const OUTPUT = { output_type: 'display_data', data: {}, metadata: {} } as NotebookOutput;

/** A drawn widget output with its checks; `asked` collects each gateway call. */
function drawnWidget(): {
  live: FakeWidget;
  checks: Checks;
  asked: ReturnType<typeof deferred>[];
  holds: number[];
  container: FakeElement;
  /** Whether the output is drawn (false: held, as after `stop`). */
  setDrawn(drawn: boolean): void;
} {
  const live = new FakeWidget();
  let isDrawn = true;
  const container = new FakeElement();
  const asked: ReturnType<typeof deferred>[] = [];
  const holds: number[] = [];
  const checks = new WidgetUpdateChecks({
    node: container,
    drawn: () => (isDrawn ? live : null),
    checkedNow: () => OUTPUT,
    ask: () => {
      const d = deferred();
      asked.push(d);
      return d.promise;
    },
    hold: () => holds.push(asked.length),
  });
  checks.drawnAt(0);
  const setDrawn = (drawn: boolean): void => void (isDrawn = drawn);
  return { live, checks, asked, holds, container, setDrawn };
}

describe('WidgetUpdateChecks', () => {
  test('states arriving during a check are asked about together, in one later call', async () => {
    const { live, checks, asked } = drawnWidget();
    checks.received('bar', false);
    await tick();
    assert.equal(asked.length, 1, 'the first state is asked about at once');
    assert.ok(live.hidden, 'transparent from the next frame');
    for (let i = 0; i < 1000; i++) checks.received('bar', false);
    for (let i = 0; i < 1001; i++) checks.applied('bar');
    asked[0]!.answer(CLEAR);
    await tick();
    assert.equal(asked.length, 1, 'the next call waits for the spacing');
    assert.ok(live.hidden, 'a clear verdict on the first state does not reveal the later ones');
    await tick(WIDGET_CHECK_SPACING_MS + 20);
    assert.equal(asked.length, 2, 'one call for the 1,000 states that arrived meanwhile');
    asked[1]!.answer(CLEAR);
    await tick();
    assert.equal(live.hidden, false, 'revealed once a verdict covers every state');
  });

  test('a clear verdict reveals only once the widget manager applied every state it covers', async () => {
    const { live, checks, asked } = drawnWidget();
    checks.received('bar', false);
    await tick();
    checks.received('bar', false); // during the first call: read by the second
    checks.received('bar', false); // overwrites the second before the read: never checked alone
    asked[0]!.answer(CLEAR);
    await tick(WIDGET_CHECK_SPACING_MS + 20);
    assert.equal(asked.length, 2);
    asked[1]!.answer(CLEAR);
    await tick();
    assert.ok(live.hidden, 'three states arrived, none applied: the widget may still draw them');
    checks.applied('bar');
    checks.applied('bar');
    assert.ok(live.hidden, 'it draws the second state now, which no call read alone');
    checks.applied('bar');
    assert.equal(live.hidden, false);
  });

  test('a raw value holds the output; a held output decides nothing more', async () => {
    const { live, checks, asked, holds } = drawnWidget();
    checks.received('bar', false);
    await tick();
    checks.received('bar', false);
    asked[0]!.answer({ state: 'raw' });
    await tick(WIDGET_CHECK_SPACING_MS + 20);
    assert.deepEqual(holds, [1], 'held on the first verdict');
    assert.equal(asked.length, 1, 'the later state is not asked about: the output is held');
    assert.ok(live.hidden);
    checks.stop(); // what the gated output does as it shows the placeholder
    checks.received('bar', false);
    await tick();
    assert.equal(asked.length, 2, 'drawn again: asked again');
  });

  test('no verdict holds the output too (fail closed)', async () => {
    const { checks, asked, holds } = drawnWidget();
    checks.received('bar', false);
    await tick();
    asked[0]!.answer({ state: 'unavailable', reason: '429', fix: 'retry' });
    await tick();
    assert.deepEqual(holds, [1]);
  });

  test('an echo of the user input is checked but not hidden', async () => {
    const { live, checks, asked } = drawnWidget();
    checks.received('slider', true);
    await tick();
    assert.equal(asked.length, 1);
    assert.equal(live.hidden, false);
    checks.applied('slider');
    asked[0]!.answer(CLEAR);
    await tick();
    assert.equal(live.hidden, false);
  });

  test('the copy of the last verified paint stands in while a state waits, and goes after', async () => {
    const { checks, asked, container } = drawnWidget();
    checks.received('bar', false);
    await tick();
    assert.equal(container.children.length, 1, 'the copy is laid over the widget');
    checks.applied('bar');
    asked[0]!.answer(CLEAR);
    await tick();
    assert.equal(container.children.length, 0);
  });

  test('while the kernel keeps sending, the copy moves on to what each clear call read', async () => {
    const { live, checks, asked, container } = drawnWidget();
    checks.received('bar', false);
    await tick();
    const first = container.children[0];
    assert.ok(first, 'the copy of what was drawn before');
    checks.applied('bar'); // the widget draws exactly what the call read: copied
    checks.received('bar', false); // the kernel sends on
    asked[0]!.answer(CLEAR);
    await tick();
    assert.ok(live.hidden, 'a newer state waits');
    assert.equal(container.children.length, 1);
    assert.notEqual(container.children[0], first, 'the copy of the cleared state stands in');
    // A call cleared before the widget drew what it read leaves the copy as it is.
    await tick(WIDGET_CHECK_SPACING_MS + 20);
    assert.equal(asked.length, 2);
    const second = container.children[0];
    asked[1]!.answer(CLEAR);
    await tick();
    assert.equal(container.children[0], second);
    assert.ok(live.hidden, 'the state it read is not applied yet');
    checks.applied('bar');
    assert.equal(live.hidden, false);
    assert.equal(container.children.length, 0);
  });

  test('drawn from a check that read fewer states than arrived: hidden until they are checked', async () => {
    const { live, checks, asked, setDrawn } = drawnWidget();
    checks.stop(); // held meanwhile (e.g. waiting for an approval)
    setDrawn(false);
    const mark = checks.mark;
    checks.received('bar', false); // counted; not asked about while held
    assert.equal(asked.length, 0);
    setDrawn(true);
    checks.drawnAt(mark);
    assert.ok(live.hidden, 'hidden at once: the widget may draw the newer state');
    await tick();
    assert.equal(asked.length, 1, 'the newer state is asked about');
    checks.applied('bar');
    asked[0]!.answer(CLEAR);
    await tick();
    assert.equal(live.hidden, false);
  });
});
