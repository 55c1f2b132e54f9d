/**
 * One output's raw-value calls take turns (jupyter-ext gate/call-turns.ts): one at a time, starts
 * spaced, and a rendering replaced while it waits gives its turn up, so a stream written hundreds
 * of times a second asks the gateway a few times a second, each time about its newest content.
 * Node's mocked timers and clock: what waited is told by the ticks it needed, not the wall clock.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';

// Loaded by path: test/tsconfig.json has no JupyterLab types (see raw-value-gate.test.ts).
const { CallTurns } = (await import(
  new URL('../../jupyter-ext/src/gate/call-turns.ts', import.meta.url).href
)) as {
  CallTurns: new (
    spacingMs: number,
    now?: () => number,
  ) => {
    turn(wanted: () => boolean): Promise<(() => void) | null>;
  };
};

/** Lets promise callbacks run (setImmediate is not among the mocked timers). */
const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** Turns spaced `spacingMs` apart on the mocked clock. */
const turnsOf = (spacingMs: number) => new CallTurns(spacingMs, () => Date.now());

/** A turn asked for: answers its answer once it came (undefined before). */
function asked(
  turns: ReturnType<typeof turnsOf>,
  wanted: () => boolean,
): () => (() => void) | null | undefined {
  let answer: (() => void) | null | undefined;
  void turns.turn(wanted).then((given) => (answer = given));
  return () => answer;
}

beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'] }));
afterEach(() => mock.timers.reset());

describe('CallTurns', () => {
  test('the first call goes at once; the next waits for its answer and the spacing', async () => {
    const turns = turnsOf(100);
    const first = asked(turns, () => true);
    await flush();
    assert.ok(first(), 'no wait for the first call');
    const second = asked(turns, () => true);
    mock.timers.tick(150);
    await flush();
    assert.equal(second(), undefined, 'not while the first call is out');
    first()!();
    await flush();
    assert.ok(second(), 'at once when the spacing has passed meanwhile');

    second()!();
    const third = asked(turns, () => true);
    mock.timers.tick(99);
    await flush();
    assert.equal(third(), undefined, 'not before the spacing');
    mock.timers.tick(1);
    await flush();
    assert.ok(third(), 'when it has passed');
  });

  test('renderings replaced while they wait give their turn up; only the newest asks', async () => {
    const turns = turnsOf(50);
    const first = asked(turns, () => true);
    await flush();
    let newest = 0;
    const waiting = Array.from({ length: 200 }, (_, i) => asked(turns, () => newest === i));
    newest = 199;
    first()!();
    await flush();
    assert.equal(
      waiting.filter((w) => w() === null).length,
      199,
      'the others gave up at once, without waiting out the spacing each',
    );
    assert.equal(waiting[199]!(), undefined, 'the newest waits for the spacing');
    mock.timers.tick(50);
    await flush();
    assert.ok(waiting[199]!(), 'one call for 200 renderings: the newest one');
  });

  test('a caller given up during the spacing wait does not hold the next one', async () => {
    const turns = turnsOf(50);
    const first = asked(turns, () => true);
    await flush();
    first()!();
    let wanted = true;
    const given = asked(turns, () => wanted);
    wanted = false;
    mock.timers.tick(50);
    await flush();
    assert.equal(given(), null);
    const next = asked(turns, () => true);
    await flush();
    assert.ok(next(), 'the next caller gets a turn at once (the spacing has passed)');
  });
});
