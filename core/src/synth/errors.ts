/** Thrown by the synthesizer: says what happened, where, and how to fix it; never echoes data values. */
export class SynthError extends Error {
  /** Stable machine-readable code, e.g. `budget.overspend`. */
  readonly code: string;
  /** How to fix it, in one sentence. */
  readonly fix: string;

  constructor(code: string, message: string, fix: string) {
    super(`${message}. Fix: ${fix}`);
    this.name = 'SynthError';
    this.code = code;
    this.fix = fix;
  }
}
