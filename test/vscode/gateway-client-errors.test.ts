/**
 * The VS Code gateway client's error texts (vscode-ext/src/client/gateway.ts): a token the gateway
 * refuses mid-session says to run "Privet: Sign In" again before naming the steward, against a
 * real gateway on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GatewayClient, GatewayError } from '../../vscode-ext/src/client/gateway.js';
import { startTestGateway, type TestGateway } from '../gateway/http/fixture.js';

describe('VS Code gateway client errors', () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.stop();
  });

  it('a refused token says to sign in again with the command, then how to get a token', async () => {
    const client = new GatewayClient(t.gateway.url, 'pvt_no-longer-valid');
    await assert.rejects(client.listExperiments(), (error: unknown) => {
      assert.ok(error instanceof GatewayError);
      assert.equal(error.status, 401);
      assert.match(
        error.fix,
        /^run "Privet: Sign In" with a current token; if you have no current token, ask a steward/,
      );
      assert.doesNotMatch(`${error.message} ${error.fix}`, /no-longer-valid/);
      return true;
    });
  });
});
