/**
 * Deeply nested request bodies (gateway/src/http/json-depth.ts): a few kilobytes of JSON nested
 * thousands of levels deep are refused with a 400 before they are parsed — on the routes parsed on
 * the event loop and on those handed to the output-check worker as bytes — instead of failing a
 * later step (a 500), and other requests are answered as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiError } from '@privet/core';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../../gateway/src/http/json-depth.js';
import { EXPERIMENT, startTestGateway, type TestGateway } from './fixture.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const nested = (levels: number, inner = ''): string =>
  '['.repeat(levels) + inner + ']'.repeat(levels);

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    assert.equal(nestsDeeperThan(bytes(nested(MAX_JSON_DEPTH))), false);
    assert.equal(nestsDeeperThan(bytes(nested(MAX_JSON_DEPTH + 1))), true);
    assert.equal(nestsDeeperThan(bytes('{"a":{"b":[1,{"c":2}]}}'), 3), true);
    assert.equal(nestsDeeperThan(bytes('{"a":{"b":[1,{"c":2}]}}'), 4), false);
    // Brackets in strings, escaped quotes and backslashes do not open anything.
    const text = JSON.stringify({ s: '[[[[{{{{', t: 'say \\"[[[[\\" \\\\', u: ['x'] });
    assert.equal(nestsDeeperThan(bytes(text), 2), false);
    assert.equal(nestsDeeperThan(bytes(`["\\\\",${nested(3)}]`), 3), true);
  });
});

describe('deeply nested request bodies', () => {
  let t: TestGateway;
  let ana: string;
  before(async () => {
    t = await startTestGateway();
    ana = t.gateway.tokens.ana!;
  });
  after(async () => t.stop());

  const post = (path: string, body: string) =>
    t.call('POST', `/api/v1${path}`, {
      token: ana,
      headers: { 'Content-Type': 'application/json' },
      body,
    });
  const refusal = async (response: Response): Promise<string> => {
    const { error } = (await response.json()) as ApiError;
    return `${response.status} ${error.code} ${error.message}`;
  };
  const deepOutput = `{"output_type":"display_data","metadata":{},"data":{"application/json":${nested(5000)}}}`;

  it('refuses them with a 400 on every route, and goes on answering', async () => {
    const deep = new RegExp(`^400 bad_request .*more than ${MAX_JSON_DEPTH} levels deep`);
    // Parsed on the event loop.
    const check = await post(
      '/leak-check/outputs',
      `{"experiment":"${EXPERIMENT}","outputs":[{"output":${deepOutput}}]}`,
    );
    assert.match(await refusal(check), deep);
    // Handed to the output-check worker as bytes.
    const review = await post(
      '/reviews',
      `{"experiment":"${EXPERIMENT}","justification":"table","output":${deepOutput}}`,
    );
    assert.match(await refusal(review), deep);
    const notebook = `{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[{"cell_type":"code","source":"x","metadata":{},"execution_count":1,"outputs":[${deepOutput}]}]}`;
    const exported = await post(
      '/exports',
      `{"experiment":"${EXPERIMENT}","name":"a.ipynb","notebook":${notebook}}`,
    );
    assert.match(await refusal(exported), deep);
    // The same output, nested as deep as allowed, is checked.
    const shallow = deepOutput.replace(nested(5000), nested(MAX_JSON_DEPTH - 8, '"x"'));
    const fine = await post(
      '/leak-check/outputs',
      `{"experiment":"${EXPERIMENT}","outputs":[{"output":${shallow}}]}`,
    );
    assert.equal(fine.status, 200, await fine.clone().text());
  });
});
