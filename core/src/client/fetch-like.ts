/**
 * The smallest slice of the Fetch API the gateway client needs. Core names it itself rather than
 * using DOM or Node types, so each host injects its own `fetch` (browser, extension host, tests)
 * and adds its own options (credentials, cache, timeouts) around it.
 */

/** The request the client sends: method, headers and an optional JSON text body. */
export interface FetchRequestLike {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Ends the request when the user stops the work it is for (hosts add their own timeout). */
  signal?: AbortSignal;
}

/** The parts of a response the client reads. */
export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  /** Parses the body as JSON. */
  json(): Promise<unknown>;
  /** Reads the body as bytes. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** A `fetch` function as the host provides it; it rejects only when the gateway is unreachable. */
export type FetchLike = (url: string, init: FetchRequestLike) => Promise<FetchResponseLike>;
