/**
 * One output's raw-value calls take turns (jupyter-ext gate/call-turns.ts): one at a time, starts
 * spaced, and a rendering replaced while it waits gives its turn up, so a stream written hundreds
 * of times a second asks the gateway a few times a second, each time about its newest content.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

// Loaded by path: test/tsconfig.json has no JupyterLab types (see raw-value-gate.test.ts).
const { CallTurns } = (await import(
  new URL('../../jupyter-ext/src/gate/call-turns.ts', import.meta.url).href
)) as {
  CallTurns: new (spacingMs: number) => {
    turn(wanted: () => boolean): Promise<(() => void) | null>;
  };
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('CallTurns', () => {
  test('the first call goes at once; the next waits for its answer and the spacing', async () => {
    const turns = new CallTurns(100);
    const t0 = performance.now();
    const first = await turns.turn(() => true);
    assert.ok(first);
    assert.ok(performance.now() - t0 < 50, 'no wait for the first call');
    let secondAt = 0;
    const second = turns
      .turn(() => true)
      .then((release) => {
        secondAt = performance.now();
        return release;
      });
    await sleep(150);
    assert.equal(secondAt, 0, 'not while the first call is out');
    first();
    const release = await second;
    assert.ok(release);
    assert.ok(secondAt - t0 >= 99, 'and not before the spacing');
    release();
  });

  test('renderings replaced while they wait give their turn up; only the newest asks', async () => {
    const turns = new CallTurns(50);
    const first = await turns.turn(() => true);
    assert.ok(first);
    let newest = 0;
    const waiting = Array.from({ length: 200 }, (_, i) => turns.turn(() => newest === i));
    newest = 199;
    first();
    const t0 = performance.now();
    const results = await Promise.all(waiting);
    assert.equal(results.filter((r) => r !== null).length, 1, 'one call for 200 renderings');
    assert.ok(results[199], 'the newest one');
    assert.ok(performance.now() - t0 < 500, 'the others did not wait out the spacing each');
    results[199]!();
  });

  test('a caller given up during the spacing wait does not hold the next one', async () => {
    const turns = new CallTurns(50);
    (await turns.turn(() => true))!();
    let wanted = true;
    const given = turns.turn(() => wanted);
    wanted = false;
    assert.equal(await given, null);
    const next = await turns.turn(() => true);
    assert.ok(next, 'the next caller gets a turn');
    next();
  });
});
