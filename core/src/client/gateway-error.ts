/** The one error type of gateway calls, and how an ApiError body becomes one. */
import type { ApiError } from '../protocol.js';
import type { FetchResponseLike } from './fetch-like.js';

/** A failed gateway call: what happened and how to fix it. */
export class GatewayError extends Error {
  /** Creates an error from an ApiError body or a client-side failure. */
  constructor(
    message: string,
    readonly fix: string,
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

/**
 * Reads an ApiError body (the gateway's own message and fix, never data), falling back to the
 * HTTP status with `httpFix` when the body is not one.
 */
export async function gatewayErrorFrom(
  response: FetchResponseLike,
  httpFix: string,
): Promise<GatewayError> {
  try {
    const body = (await response.json()) as Partial<ApiError> | null;
    const error = body?.error;
    if (error && typeof error.message === 'string') {
      const fix = typeof error.fix === 'string' ? error.fix : '';
      const code = typeof error.code === 'string' ? error.code : 'error';
      return new GatewayError(error.message, fix, code, response.status);
    }
  } catch {
    // Not JSON: fall through to the generic error.
  }
  return new GatewayError(
    `the gateway answered HTTP ${response.status}`,
    httpFix,
    'http',
    response.status,
  );
}
