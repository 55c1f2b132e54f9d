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

/**
 * Thrown when a published view's manifest.json exists but cannot be read as a manifest (truncated
 * or corrupted on disk). The message names the file and never quotes its content.
 */
export class UnreadableManifestError extends Error {
  /** The view whose manifest is unreadable. */
  readonly view: string;
  /** The manifest's path. */
  readonly path: string;
  /** What happened, without the fix. */
  readonly what: string;
  /** How to fix it. */
  readonly fix: string;

  constructor(view: string, path: string, why: string) {
    const what = `the manifest of view "${view}" (${path}) ${why}, so the view cannot be served or checked`;
    const fix = `publish the view again (\`privet publish --policy FILE --state DIR --view ${view}\`, which replaces its whole folder), or restore ${path} from a backup`;
    super(`${what}. Fix: ${fix}`);
    this.name = 'UnreadableManifestError';
    this.view = view;
    this.path = path;
    this.what = what;
    this.fix = fix;
  }
}
