/** Publish failures: name the view, say what happened and how to fix it; never quote raw values. */

/** Thrown when a view cannot be published; nothing of the batch has been swapped in. */
export class PublishError extends Error {
  /** The view that failed. */
  readonly view: string;
  /** What happened, without the view and the fix. */
  readonly what: string;
  /** How to fix it. */
  readonly fix: string;

  constructor(view: string, what: string, fix: string) {
    super(`view "${view}": ${what}. Fix: ${fix}`);
    this.name = 'PublishError';
    this.view = view;
    this.what = what;
    this.fix = fix;
  }
}
