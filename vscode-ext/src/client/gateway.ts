/**
 * The extension's gateway client (extension host and language server): core's typed client with
 * Node's `fetch` (core's time limits) and fix texts that point at the privet.gatewayUrl setting.
 */
import {
  GatewayClient as CoreGatewayClient,
  GatewayError,
  callTimeLimitMs,
  normalizeGatewayUrl as normalizeUrl,
  readWithProgress,
  type GatewayTransport,
} from '@privet/core/client/index';
import type { Experiment } from '@privet/core';

/** An experiment as the gateway lists it. */
export type { Experiment };
export { GatewayError };

/**
 * Node's fetch with core's time limit per call (longer for DP queries and view downloads) joined
 * with the caller's stop signal, and fixes that name the VS Code setting.
 */
const NODE_TRANSPORT: GatewayTransport = {
  fetch: async (url, init) => {
    const timeout = AbortSignal.timeout(callTimeLimitMs(url));
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const response = await fetch(url, { ...init, signal });
    return {
      ok: response.ok,
      status: response.status,
      json: () => response.json() as Promise<unknown>,
      arrayBuffer: () => response.arrayBuffer(),
      bytesWithProgress: (progress) => readWithProgress(response, progress),
    };
  },
  unreachableFix: 'start it (npm start) and check the setting privet.gatewayUrl',
  httpFix: 'check privet.gatewayUrl and the gateway log',
  signInAgainFix: 'run "Privet: Sign In" with a current token',
};

/** Normalizes a configured gateway URL (no trailing slash); throws when it is not http(s). */
export function normalizeGatewayUrl(raw: string): string {
  return normalizeUrl(raw, 'privet.gatewayUrl');
}

/** Typed client of one gateway for one signed-in user, over Node's fetch. */
export class GatewayClient extends CoreGatewayClient {
  /** Creates a client; `token` may be empty for the public /health route. */
  constructor(baseUrl: string, token: string) {
    super(baseUrl, token, NODE_TRANSPORT);
  }
}
