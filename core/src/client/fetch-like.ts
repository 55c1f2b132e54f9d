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
  /**
   * Reads the body as bytes, calling `progress` as they arrive (bytes so far, and the total when
   * the length is known). Optional: without it, arrayBuffer is read and no progress is shown.
   */
  bytesWithProgress?(progress: DownloadProgress): Promise<Uint8Array>;
}

/** A download's progress: bytes received so far, and the total when the gateway sent it. */
export type DownloadProgress = (received: number, total: number | undefined) => void;

/** The parts of a fetch Response that readWithProgress reads (browser and Node fit). */
export interface StreamingResponseLike {
  readonly body: ReadableStream<Uint8Array> | null;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Reads a response's body chunk by chunk, reporting progress, into one byte array (the length
 * header, when present, sizes it; a body longer than announced still arrives whole).
 */
export async function readWithProgress(
  response: StreamingResponseLike,
  progress: DownloadProgress,
): Promise<Uint8Array> {
  const header = response.headers.get('content-length') ?? '';
  const total = /^\d{1,15}$/.test(header.trim()) ? Number(header.trim()) : undefined;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  progress(0, total);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    progress(received, total);
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/** A `fetch` function as the host provides it; it rejects only when the gateway is unreachable. */
export type FetchLike = (url: string, init: FetchRequestLike) => Promise<FetchResponseLike>;
