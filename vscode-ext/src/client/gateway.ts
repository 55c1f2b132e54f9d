/**
 * The extension's gateway client (extension host and language server): core's typed client with
 * Node's `fetch` (60 s timeout) and fix texts that point at the privet.gatewayUrl setting.
 */
import {
  GatewayClient as CoreGatewayClient,
  GatewayError,
  normalizeGatewayUrl as normalizeUrl,
  type GatewayTransport,
} from '@privet/core/client/index';
import type { Experiment } from '@privet/core';

/** An experiment as the gateway lists it. */
export type { Experiment };
export { GatewayError };

/** How long one gateway call may take before it fails as not answering in time. */
const TIMEOUT_MS = 60_000;

/** Node's fetch with a timeout, and fixes that name the VS Code setting. */
const NODE_TRANSPORT: GatewayTransport = {
  fetch: (url, init) => {
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(url, { ...init, signal });
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
