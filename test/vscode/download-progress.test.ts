/**
 * View downloads report their progress (core's readWithProgress, GatewayClient.viewArrow's
 * `progress`) against a real gateway, which sends the file's length; both hosts show it as
 * core's downloadProgress text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GatewayClient,
  downloadProgress,
  readWithProgress,
  type GatewayTransport,
} from '@privet/core/client/index';
import { startTestGateway, EXPERIMENT, type TestGateway } from '../gateway/http/fixture.js';
import { GatewayClient as VsCodeGatewayClient } from '../../vscode-ext/src/client/gateway.js';

/** Node's fetch as it is, reading bodies whole (the baseline the downloads are compared with). */
const PLAIN: GatewayTransport = {
  fetch: (url, init) => fetch(url, init),
  unreachableFix: 'start the gateway',
  httpFix: 'check the gateway log',
};

describe('view download progress', () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => t.stop());

  it('counts up to the length the gateway announces, and the bytes are the whole view', async () => {
    // The VS Code extension's client: its transport reads bodies with progress.
    const client = new VsCodeGatewayClient(t.gateway.url, t.gateway.tokens.ana!);
    const seen: [number, number | undefined][] = [];
    const bytes = await client.viewArrow('people_masked', EXPERIMENT, {
      progress: (received, total) => seen.push([received, total]),
    });
    const plain = new GatewayClient(t.gateway.url, t.gateway.tokens.ana!, PLAIN);
    assert.deepEqual(bytes, await plain.viewArrow('people_masked', EXPERIMENT));
    assert.ok(seen.length >= 2, 'a start and at least one chunk');
    assert.deepEqual(seen[0], [0, bytes.byteLength], 'the total is known from the start');
    assert.deepEqual(seen.at(-1), [bytes.byteLength, bytes.byteLength]);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]![0] >= seen[i - 1]![0]);
  });

  it('reads a body of unknown length, and one longer than announced, whole', async () => {
    const parts = [Uint8Array.of(1, 2), Uint8Array.of(3), Uint8Array.of(4, 5, 6)];
    const body = (): ReadableStream<Uint8Array> =>
      new ReadableStream({
        start(controller) {
          for (const p of parts) controller.enqueue(p);
          controller.close();
        },
      });
    const unknown: (number | undefined)[] = [];
    const headers = (length: string | null) => ({ get: () => length });
    const read = await readWithProgress(
      {
        body: body(),
        headers: headers(null),
        arrayBuffer: () => Promise.reject(new Error('unused')),
      },
      (_received, total) => unknown.push(total),
    );
    assert.deepEqual([...read], [1, 2, 3, 4, 5, 6]);
    assert.ok(unknown.every((total) => total === undefined));
    const longer = await readWithProgress(
      {
        body: body(),
        headers: headers('2'),
        arrayBuffer: () => Promise.reject(new Error('unused')),
      },
      () => undefined,
    );
    assert.equal(longer.byteLength, 6);
  });

  it('says how much of how much, once per shown change', () => {
    const lines: string[] = [];
    const report = downloadProgress('people_masked', (status) => lines.push(status));
    report(0, 45_000_000);
    report(10, 45_000_000); // still 0 kB: not said again
    report(640_000, 45_000_000);
    report(12_340_000, 45_000_000);
    report(5_000_000, undefined);
    assert.deepEqual(lines, [
      'Loading people_masked from the gateway… 0 kB of 45.0 MB',
      'Loading people_masked from the gateway… 640 kB of 45.0 MB',
      'Loading people_masked from the gateway… 12.3 MB of 45.0 MB',
      'Loading people_masked from the gateway… 5.0 MB',
    ]);
  });
});
