import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OutputLeakCheckRequest, OutputLeakCheckResponse } from '@privet/core';
import { GatewayError, RawValueChecks, type OutputLeakChecker } from '@privet/core/client/index';
import type { NotebookOutput } from '@privet/core/review/index';

/** A fake gateway that flags outputs whose text holds "Lindqvist" and records each call. */
function fakeGateway(fail?: GatewayError): OutputLeakChecker & { calls: OutputLeakCheckRequest[] } {
  const calls: OutputLeakCheckRequest[] = [];
  return {
    baseUrl: 'http://127.0.0.1:1',
    calls,
    checkOutputLeaks: async (body: OutputLeakCheckRequest): Promise<OutputLeakCheckResponse> => {
      calls.push(body);
      if (fail) throw fail;
      return {
        rawValue: body.outputs.map(({ output, before }) =>
          `${before ?? ''}${JSON.stringify(output)}`.includes('Lindqvist'),
        ),
      };
    },
  };
}

const stream = (text: string): NotebookOutput => ({ output_type: 'stream', name: 'stdout', text });

describe('RawValueChecks (the hosts’ raw-value verdicts)', () => {
  test('outputs asked for together share one call; each gets its own verdict', async () => {
    const gw = fakeGateway();
    // A batch window long enough for all three Web Crypto digests (they finish in any order).
    const checks = new RawValueChecks(200);
    const verdicts = await Promise.all([
      checks.check(gw, 'exp-1', stream('Ada Lindqvist3\n')),
      checks.check(gw, 'exp-1', stream('mean 41.2\n')),
      checks.check(gw, 'exp-1', stream('qvist3\n'), 'Ada Lind'),
    ]);
    assert.deepEqual(
      verdicts.map((v) => v.state),
      ['raw', 'clear', 'clear'],
    );
    assert.equal(gw.calls.length, 1);
    assert.equal(gw.calls[0]!.outputs.length, 3);
    // The call's order is the digests' order: find each output by its text.
    const sent = (text: string) =>
      gw.calls[0]!.outputs.find((o) => (o.output as { text?: unknown }).text === text)!;
    assert.equal(sent('qvist3\n').before, 'Ada Lind');
    assert.equal('before' in sent('Ada Lindqvist3\n'), false);
  });

  test('an urgent check goes out at once, with what was waiting; nothing is sent twice', async () => {
    const gw = fakeGateway();
    const checks = new RawValueChecks(60_000); // a batch would otherwise wait a minute
    const waiting = checks.check(gw, 'exp-1', stream('mean 41.2\n'));
    // Its key is a Web Crypto digest, computed off the thread: let it join its batch first (two
    // digests can finish in either order on a busy machine).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    const urgent = await checks.check(gw, 'exp-1', stream('Cy Lindqvist2\n'), '', true);
    assert.equal(urgent.state, 'raw');
    assert.equal((await waiting).state, 'clear');
    assert.ok(Date.now() - started < 30_000, 'did not wait for the batch delay');
    assert.deepEqual(
      gw.calls.map((c) => c.outputs.length),
      [2],
      'one call with both; the cleared timer sends nothing more',
    );
    await checks.check(gw, 'exp-1', stream('later\n'), '', true);
    assert.equal(gw.calls.length, 2, 'a new batch after the flushed one');
  });

  test('a verdict is cached per experiment and content: a redraw spends no lookup', async () => {
    const gw = fakeGateway();
    const checks = new RawValueChecks(1);
    await checks.check(gw, 'exp-1', stream('Bo Lindqvist1\n'));
    assert.equal((await checks.check(gw, 'exp-1', stream('Bo Lindqvist1\n'))).state, 'raw');
    assert.equal(gw.calls.length, 1);
    await checks.check(gw, 'exp-2', stream('Bo Lindqvist1\n'));
    assert.equal(gw.calls.length, 2, 'another experiment asks again');
    checks.clear();
    await checks.check(gw, 'exp-1', stream('Bo Lindqvist1\n'));
    assert.equal(gw.calls.length, 3, 'cleared verdicts are asked again');
  });

  test('more than 100 outputs at once go out in calls of at most 100', async () => {
    const gw = fakeGateway();
    // How the 250 fall into batches depends on when their Web Crypto digests finish (on a busy
    // machine some miss a batch: CI once saw 100, 77, 73): every call holds at most 100, and each
    // output goes out exactly once.
    const checks = new RawValueChecks(200);
    const outputs = Array.from({ length: 250 }, (_, i) => stream(`row ${i}\n`));
    const verdicts = await Promise.all(outputs.map((o) => checks.check(gw, 'exp-1', o)));
    assert.ok(verdicts.every((v) => v.state === 'clear'));
    const sizes = gw.calls.map((c) => c.outputs.length);
    assert.ok(sizes.length >= 3 && sizes.every((n) => n >= 1 && n <= 100), `calls of ${sizes}`);
    const sent = gw.calls.flatMap((c) => c.outputs.map((o) => (o.output as { text: string }).text));
    assert.deepEqual(sent.sort(), outputs.map((o) => (o as { text: string }).text).sort());
  });

  test('a failed call answers unavailable with the gateway’s message and fix, and is not cached', async () => {
    const refused = new GatewayError(
      'too many raw-value lookups',
      'retry after 9 s',
      'rate_limited',
      429,
    );
    const down = fakeGateway(refused);
    const checks = new RawValueChecks(1);
    const v = await checks.check(down, 'exp-1', stream('x\n'));
    assert.deepEqual(v, {
      state: 'unavailable',
      reason: 'too many raw-value lookups',
      fix: 'retry after 9 s',
    });
    const up = fakeGateway();
    assert.equal((await checks.check(up, 'exp-1', stream('x\n'))).state, 'clear');
    assert.equal(up.calls.length, 1);
  });

  test('a gateway answering the wrong number of verdicts is unavailable, not clear', async () => {
    const gw: OutputLeakChecker = {
      baseUrl: 'http://127.0.0.1:2',
      checkOutputLeaks: async () => ({ rawValue: [] }),
    };
    const v = await new RawValueChecks(1).check(gw, 'exp-1', stream('x\n'));
    assert.equal(v.state, 'unavailable');
  });

  test('an answer that is not one true/false per output is unavailable, and not cached', async () => {
    // E.g. a proxy or an older gateway: 1, "true" or an object must never read as "clear".
    for (const rawValue of [[1], ['true'], [{ raw: true }], [null], 'x', { 0: false }]) {
      const gw: OutputLeakChecker = {
        baseUrl: 'http://127.0.0.1:3',
        checkOutputLeaks: async () => ({ rawValue }) as unknown as OutputLeakCheckResponse,
      };
      const checks = new RawValueChecks(1);
      const v = await checks.check(gw, 'exp-1', stream('Cy Lindqvist\n'));
      assert.equal(v.state, 'unavailable', JSON.stringify(rawValue));
      assert.match(v.state === 'unavailable' ? v.reason : '', /true\/false verdicts/);
      const up = fakeGateway();
      const again = await checks.check(up, 'exp-1', stream('Cy Lindqvist\n'));
      assert.equal(again.state, 'raw', 'the bad answer was not kept');
      assert.equal(up.calls.length, 1);
    }
  });
});

describe('RawValueChecks: calls to one gateway and experiment take turns', () => {
  test('one call at a time, starts spaced; what is asked meanwhile goes out together', async () => {
    const gw = fakeGateway();
    const starts: number[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const slow: OutputLeakChecker = {
      baseUrl: gw.baseUrl,
      checkOutputLeaks: async (body) => {
        starts.push(Date.now());
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 30));
        inFlight--;
        return gw.checkOutputLeaks(body);
      },
    };
    const checks = new RawValueChecks(1, 100);
    // A log growing every 5 ms for about a second: 200 contents, each asked for urgently.
    const asked: Promise<{ state: string }>[] = [];
    let text = '';
    for (let i = 0; i < 200; i++) {
      text += `step ${i}\n`;
      asked.push(checks.check(slow, 'exp-1', stream(text), '', true));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const verdicts = await Promise.all(asked);
    assert.ok(
      verdicts.every((v) => v.state === 'clear'),
      'every content got its verdict',
    );
    assert.equal(mostInFlight, 1, 'one call at a time');
    for (let i = 1; i < starts.length; i++)
      assert.ok(
        starts[i]! - starts[i - 1]! >= 99,
        `call ${i} started ${starts[i]! - starts[i - 1]!} ms after the one before`,
      );
    assert.ok(gw.calls.length <= 15, `${gw.calls.length} calls for 200 contents in about a second`);
    assert.equal(
      gw.calls.reduce((n, c) => n + c.outputs.length, 0),
      200,
      'each content asked about once',
    );
  });

  test('another experiment has its own turns', async () => {
    const gw = fakeGateway();
    const checks = new RawValueChecks(1, 60_000);
    await checks.check(gw, 'exp-1', stream('a\n'), '', true);
    const started = Date.now();
    await checks.check(gw, 'exp-2', stream('a\n'), '', true);
    assert.ok(Date.now() - started < 1000, 'not held by the other experiment’s spacing');
    assert.equal(gw.calls.length, 2);
  });

  test('checkLatest asks only about the newest content of a growing output', async () => {
    const gw = fakeGateway();
    const checks = new RawValueChecks(1, 100);
    // A log growing every 5 ms for about a second; a raw value is printed halfway.
    let generation = 0;
    const asked: Promise<{ state: string } | null>[] = [];
    let text = '';
    const started = performance.now();
    for (let i = 0; i < 200; i++) {
      text += i === 100 ? 'Ada Lindqvist3\n' : `step ${i}\n`;
      const mine = ++generation;
      asked.push(checks.checkLatest(gw, 'exp-1', stream(text), '', () => mine === generation));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const verdicts = await Promise.all(asked);
    const lookups = gw.calls.reduce((n, c) => n + c.outputs.length, 0);
    assert.equal(lookups, gw.calls.length, 'one content per call: the newest');
    // At most one call per 100 ms (plus the first and the last), however slow the loop ran on a
    // busy machine: far fewer than the 200 contents.
    const allowed = Math.ceil((performance.now() - started) / 100) + 2;
    assert.ok(
      gw.calls.length <= Math.min(allowed, 40),
      `${gw.calls.length} calls for 200 contents in ${allowed - 2} × 100 ms`,
    );
    assert.equal(verdicts.filter((v) => v !== null).length, lookups, 'the rest were not asked');
    assert.equal(verdicts.at(-1)?.state, 'raw', 'the last content, holding the value, is found');
    // Superseded contents are answered null, never asked. Which ones were asked depends on where
    // the 100 ms turns fell in the loop (a fixed index, e.g. content 50, is asked when a turn
    // lands in its 5 ms window, as it did on a busy CI machine), so the test counts them instead.
    assert.ok(
      verdicts.filter((v) => v === null).length >= 200 - Math.min(allowed, 40),
      'every content not asked is answered null',
    );
  });

  test('a check of the same content as a given-up checkLatest still gets its verdict', async () => {
    const gw = fakeGateway();
    const checks = new RawValueChecks(20, 100);
    let wanted = true;
    const latest = checks.checkLatest(gw, 'exp-1', stream('Cy Lindqvist2\n'), '', () => wanted);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const plain = checks.check(gw, 'exp-1', stream('Cy Lindqvist2\n'));
    wanted = false;
    assert.equal(await latest, null);
    assert.equal((await plain).state, 'raw');
    assert.equal(gw.calls.length, 1);
  });
});
