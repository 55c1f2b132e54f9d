/**
 * The browser's gateway client: core's typed client with the browser's `fetch` (no cookies, no
 * cache) and fix texts that point at JupyterLab's settings and the gateway's CORS origins.
 */
import {
  GatewayClient as CoreGatewayClient,
  GatewayError,
  normalizeGatewayUrl as normalizeUrl,
  type GatewayTransport,
} from '@privet/core/client/index';

export { GatewayError };

/** The browser transport: fetch without credentials or caching. */
const browserTransport = (): GatewayTransport => ({
  fetch: (url, init) => fetch(url, { ...init, credentials: 'omit', cache: 'no-store' }),
  unreachableFix: `start it (npm start) and check that its CORS origins include ${window.location.origin}`,
  httpFix: 'check the gateway URL and its log',
});

/** Normalizes a user-entered gateway URL (no trailing slash); throws when it is not http(s). */
export function normalizeGatewayUrl(raw: string): string {
  return normalizeUrl(raw, 'the gateway URL');
}

/** Typed client of one gateway for one signed-in user, over the browser's fetch. */
export class GatewayClient extends CoreGatewayClient {
  /** Creates a client; `token` may be empty for the public /health route. */
  constructor(baseUrl: string, token: string) {
    super(baseUrl, token, browserTransport());
  }
}
