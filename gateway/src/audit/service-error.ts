/**
 * The error every gateway service (ledger, experiments, audit) throws: an HttpError (so routes
 * report it as an ApiError body as-is) plus a stable machine-readable `reason`. Messages name
 * experiments, views and budgets, never data values.
 */
import type { ApiErrorCode } from '@privet/core';
import { HttpError } from '../http/errors.js';

/** A refused or failed service call: code (HTTP status), reason, what happened and how to fix it. */
export class ServiceError extends HttpError {
  /** Stable machine-readable reason, e.g. `budget.exhausted`. */
  readonly reason: string;

  constructor(code: ApiErrorCode, reason: string, message: string, fix: string) {
    super(code, message, fix);
    this.name = 'ServiceError';
    this.reason = reason;
  }
}
