/** Typed HTTP errors that become ApiError JSON bodies (what happened + how to fix it). */
import type { ApiError, ApiErrorCode } from '@privet/core';

const STATUS: Record<ApiErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  bad_request: 400,
  conflict: 409,
  not_published: 409,
  wrong_tier: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  dp_refused: 400,
  budget_exhausted: 409,
  rate_limited: 429,
  gone: 410,
  internal: 500,
};

/** An error the gateway reports to the client as-is. */
export class HttpError extends Error {
  readonly code: ApiErrorCode;
  readonly fix: string;
  readonly status: number;

  constructor(code: ApiErrorCode, message: string, fix: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.fix = fix;
    this.status = STATUS[code];
  }

  /** The JSON body for this error. */
  body(): ApiError {
    return { error: { code: this.code, message: this.message, fix: this.fix } };
  }
}

/** A Fastify client error with a message of its own (undefined: report it generically). */
export function fastifyClientError(code: string | undefined): HttpError | undefined {
  const json = 'send a JSON object with Content-Type: application/json';
  switch (code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(
        'unsupported_media_type',
        'the request body is not JSON (its Content-Type is not application/json)',
        json,
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError(
        'bad_request',
        'the request says its body is JSON (Content-Type: application/json) but the body is empty',
        `${json}, or drop the Content-Type header on a request without a body`,
      );
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new HttpError('bad_request', 'the request body is not valid JSON', json);
    default:
      return undefined;
  }
}
