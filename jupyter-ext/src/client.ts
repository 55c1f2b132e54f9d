/**
 * The browser's gateway client: core's typed client with the browser's `fetch` (no cookies, no
 * cache, a time limit per call) and fix texts that point at JupyterLab's settings and the
 * gateway's CORS origins.
 */
import {
  GatewayClient as CoreGatewayClient,
  CALL_TIME_LIMIT_MS,
  GatewayError,
  callTimeLimitMs,
  normalizeGatewayUrl as normalizeUrl,
  readWithProgress,
  type FetchLike,
  type GatewayTransport,
} from '@privet/core/client/index';

export { GatewayError };

/** How long one gateway call may take before it fails as timed out (core's limit). */
export const TIMEOUT_MS = CALL_TIME_LIMIT_MS;

/** The code of the GatewayError a timed-out call fails with. */
export const TIMEOUT_CODE = 'timeout';

/** The time limit of a call to `url` (longer for DP queries and view downloads). */
export const timeoutFor = callTimeLimitMs;

/** The error of a call the gateway did not answer within `ms` (no data, no token). */
function timeoutError(url: string, ms: number): GatewayError {
  const spends = /\/dp\/query$/.test(url.split(/[?#]/, 1)[0] ?? url);
  return new GatewayError(
    `the Privet gateway did not answer within ${Math.round(ms / 1000)} s`,
    'check that the gateway is running (npm start) and look in its log for a slow or stuck ' +
      'request, then try again' +
      (spends
        ? "; a run that spends budget may have been charged: check the experiment's budget first"
        : ''),
    TIMEOUT_CODE,
  );
}

/**
 * `fetch` with a time limit per call (`limit(url)`) that covers reading the body too. A call not
 * answered in time fails with a timeout GatewayError (core passes it on as it is), a body cut off
 * by the limit with a TimeoutError (core reports it as a timeout); other failures stay rejections
 * (core: unreachable).
 */
export function fetchWithTimeout(
  fetchImpl: typeof fetch,
  limit: (url: string) => number = timeoutFor,
): FetchLike {
  return async (url, init) => {
    const ms = limit(url);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
    // The caller's own stop (e.g. Stop on a query) ends the request too; it is not a timeout.
    const stopped = init.signal;
    const stop = (): void => controller.abort(stopped?.reason);
    if (stopped?.aborted) stop();
    else stopped?.addEventListener('abort', stop, { once: true });
    const done = (): void => {
      clearTimeout(timer);
      stopped?.removeEventListener('abort', stop);
    };
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, signal: controller.signal });
    } catch (error) {
      done();
      throw timedOut ? timeoutError(url, ms) : error;
    }
    /** Reads the body within the same limit, then stops the timer. */
    const read = async <T>(body: () => Promise<T>, late: () => Error): Promise<T> => {
      try {
        return await body();
      } catch (error) {
        throw timedOut ? late() : error;
      } finally {
        done();
      }
    };
    const cutOff = (): Error => new DOMException(`no answer within ${ms} ms`, 'TimeoutError');
    return {
      ok: response.ok,
      status: response.status,
      json: () => read(() => response.json() as Promise<unknown>, cutOff),
      // Core reads bytes without a catch of its own: the full GatewayError.
      arrayBuffer: () =>
        read(
          () => response.arrayBuffer(),
          () => timeoutError(url, ms),
        ),
      bytesWithProgress: (progress) =>
        read(
          () => readWithProgress(response, progress),
          () => timeoutError(url, ms),
        ),
    };
  };
}

/** What a refused token (401) says to do by default: the user is signed in with it. */
const SIGN_IN_AGAIN_FIX = 'sign out and sign in again (Privet data panel)';

/**
 * What a refused token (401) says to do on the sign-in form, where nobody is signed in with it
 * yet: the pasted token is what to check.
 */
export const PASTED_TOKEN_FIX =
  'check the token you pasted: paste the whole sign-in link or token as `npm start` or ' +
  '`privet token issue` printed it';

/** The browser transport: fetch without credentials or caching, with a time limit. */
const browserTransport = (signInAgainFix: string): GatewayTransport => ({
  fetch: fetchWithTimeout((url, init) =>
    fetch(url, { ...init, credentials: 'omit', cache: 'no-store' }),
  ),
  unreachableFix: `start it (npm start) and check that its CORS origins include ${window.location.origin}`,
  httpFix: 'check the gateway URL and its log',
  signInAgainFix,
});

/** Normalizes a user-entered gateway URL (no trailing slash); throws when it is not http(s). */
export function normalizeGatewayUrl(raw: string): string {
  return normalizeUrl(raw, 'the gateway URL');
}

/** Typed client of one gateway for one signed-in user, over the browser's fetch. */
export class GatewayClient extends CoreGatewayClient {
  /**
   * Creates a client; `token` may be empty for the public /health route. `signInAgainFix` is
   * what a refused token's error says to do (by default: sign out and sign in again).
   */
  constructor(baseUrl: string, token: string, signInAgainFix: string = SIGN_IN_AGAIN_FIX) {
    super(baseUrl, token, browserTransport(signInAgainFix));
  }
}
