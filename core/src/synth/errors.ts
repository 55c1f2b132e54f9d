/** Thrown by the synthesizer: says what happened, where, and how to fix it; never echoes data values. */
export class SynthError extends Error {
  /** Stable machine-readable code, e.g. `budget.overspend`. */
  readonly code: string;
  /** What happened, without where (`view`) and the fix. */
  readonly what: string;
  /** How to fix it, in one sentence. */
  readonly fix: string;
  /** The synthetic view it happened in, when known. */
  readonly view: string | undefined;

  constructor(code: string, what: string, fix: string, view?: string) {
    super(`${view === undefined ? '' : `view "${view}": `}${what}. Fix: ${fix}`);
    this.name = 'SynthError';
    this.code = code;
    this.what = what;
    this.fix = fix;
    this.view = view;
  }
}
