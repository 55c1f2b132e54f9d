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
  dp_refused: 400,
  budget_exhausted: 409,
  rate_limited: 429,
  internal: 500,
};

/** An error the gateway reports to the client as-is. */
export class HttpError extends Error {
  readonly code: ApiErrorCode;
  readonly fix: string;
  readonly status: number;

  constructor(code: ApiErrorCode, message: string, fix: string) {
    super(message);
    this.code = code;
    this.fix = fix;
    this.status = STATUS[code];
  }

  /** The JSON body for this error. */
  body(): ApiError {
    return { error: { code: this.code, message: this.message, fix: this.fix } };
  }
}
