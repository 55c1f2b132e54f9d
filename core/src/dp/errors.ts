/** Thrown by the DP engine when an input is unusable: says what happened, where, and how to fix it. */
export class DpError extends Error {
  /** Stable machine-readable code, e.g. `budget.not-positive`. */
  readonly code: string;
  /** How to fix it, in one sentence. */
  readonly fix: string;

  constructor(code: string, message: string, fix: string) {
    super(`${message}. Fix: ${fix}`);
    this.name = 'DpError';
    this.code = code;
    this.fix = fix;
  }
}
