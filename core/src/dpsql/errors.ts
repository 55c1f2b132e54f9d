/** Refusals of the DP SQL engine: a stable code, what and why, and what to write instead. */
import type { DpRefusal, DpRefusalCode } from './types.js';

/** Thrown when a query is refused; carries a DpRefusal that never quotes data values. */
export class DpSqlError extends Error {
  /** The refusal to send back to the analyst. */
  readonly refusal: DpRefusal;

  constructor(code: DpRefusalCode, message: string, fix: string) {
    super(`${message}. Fix: ${fix}`);
    this.name = 'DpSqlError';
    this.refusal = { code, message, fix };
  }
}

/** Throws a refusal. */
export function refuse(code: DpRefusalCode, message: string, fix: string): never {
  throw new DpSqlError(code, message, fix);
}
