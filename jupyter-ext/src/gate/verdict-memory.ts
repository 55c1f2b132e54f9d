/**
 * Why: what the gateway said of an output's content must outlive the screen. Two failures this
 * guards against: (1) an output held on a raw-value verdict was shown (and saved) once the analyst
 * signed out or selected no experiment, because then no check is made and the local pass was taken
 * as enough; (2) the save filter remembered held contents in a list that dropped its oldest
 * entries, so a still-held raw value was saved after enough other outputs, and outputs JupyterLab
 * never renders (beyond its `maxNumberOutputs`) were never asked about at all.
 *
 * So this keeps, per content (a stream part with the earlier parts of its stream, `approvalText`,
 * named by its digest: no second copy of the output text):
 * - held: the gateway found a raw value, or could not answer. Such a content stays held — on
 *   screen and at save, signed in or not — until a later clear verdict on it. These are rare (each
 *   is a distinct content the gateway refused or could not check), so they are never dropped for
 *   other outputs' sake: only beyond RAW_KEPT raw values (UNCHECKED_KEPT unanswered ones), oldest
 *   first, which no session comes near.
 * - cleared: the gateway found no raw value. While a check is possible (signed in, with an
 *   experiment) the save filter writes an output that passes the local rules only when its content
 *   is cleared: anything else — still being checked, never rendered, or dropped from this list — is
 *   written as a placeholder and asked about, so a later save writes it (fail closed). Every output
 *   a normal notebook renders gets its verdict as it is drawn, so its outputs are saved as they are.
 *   Forgotten on sign-in and sign-out (`epoch` then changes and shown outputs ask again); bounded by
 *   CLEARED_KEPT, oldest first (a forgotten one is only withheld until asked again).
 */
import type { RawValueVerdict } from '@privet/core/client/index';
import { approvalText, type NotebookOutput } from '@privet/core/review/index';
import { contentDigest } from './content-digest.js';

/** Most raw-value verdicts kept (a digest each). */
const RAW_KEPT = 100_000;
/** Most unanswered checks kept. */
const UNCHECKED_KEPT = 20_000;
/** Most cleared contents kept. */
const CLEARED_KEPT = 100_000;

/** What the gate knows of a content: a raw value, no answer, cleared, or nothing. */
export type RememberedVerdict = 'raw' | 'unchecked' | 'clear' | 'unknown';

/** The gateway's raw-value verdicts, per content, as the gate and the save filter need them. */
export class VerdictMemory {
  private readonly raw = new Set<string>();
  private readonly unchecked = new Set<string>();
  private readonly cleared = new Set<string>();
  private epochValue = 0;

  /** Changes whenever the cleared contents are forgotten (sign-in, sign-out). */
  get epoch(): number {
    return this.epochValue;
  }

  /** Notes the gateway's verdict on `output` (a stream part after `before`). */
  note(output: NotebookOutput, before: string, verdict: RawValueVerdict): void {
    const key = keyOf(output, before);
    if (key === null) return; // unreadable: the local check holds it, and the save filter too
    this.raw.delete(key);
    this.unchecked.delete(key);
    this.cleared.delete(key);
    if (verdict.state === 'clear') add(this.cleared, key, CLEARED_KEPT);
    else if (verdict.state === 'raw') add(this.raw, key, RAW_KEPT);
    else add(this.unchecked, key, UNCHECKED_KEPT);
  }

  /** What is known of `output`'s content (a stream part after `before`). */
  lookup(output: NotebookOutput, before: string): RememberedVerdict {
    const key = keyOf(output, before);
    if (key === null) return 'unknown';
    if (this.raw.has(key)) return 'raw';
    if (this.unchecked.has(key)) return 'unchecked';
    return this.cleared.has(key) ? 'clear' : 'unknown';
  }

  /** Forgets the cleared contents (another sign-in: its gateway must clear them itself). */
  forgetCleared(): void {
    this.cleared.clear();
    this.epochValue += 1;
  }
}

/** The digest naming `output`'s content after `before`, or null when it cannot be read. */
function keyOf(output: NotebookOutput, before: string): string | null {
  try {
    return contentDigest(approvalText(output, before));
  } catch {
    return null;
  }
}

/** Adds `key` as the newest of `set`, dropping the oldest beyond `kept`. */
function add(set: Set<string>, key: string, kept: number): void {
  set.add(key);
  if (set.size > kept) set.delete(set.values().next().value as string);
}
