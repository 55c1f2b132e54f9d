// Why: an approval must cover exactly the content a reviewer saw. Hosts and the gateway hash the
// same canonical form: multiline strings joined, execution counts, metadata and the display/execute
// distinction dropped (they change on re-run without changing what is shown), keys sorted (JCS).
// A stream part is checked as the continuation of the earlier parts of its stream in the cell, so
// its approval covers those parts too: "3" approved after "clinics north" is not approved after
// "HIV".
import { canonicalJson } from '../record/canonical.js';
import type { JsonValue } from '../record/types.js';
import { digestOfContent } from './dp-release.js';
import { streamContextBefore } from './stream.js';
import type { NotebookOutput } from './types.js';

/**
 * An empty object for canonical content. It has no prototype, so every own key of the output —
 * "__proto__" included, which JSON.parse keeps as an ordinary key — is set as a key of its own
 * (on a plain object, `out["__proto__"] = v` sets the prototype or is ignored, and the key would
 * drop out of the hash). canonicalJson reads own keys only, so the text of other outputs is as before.
 */
function ownKeysObject(): { [key: string]: JsonValue } {
  return Object.create(null) as { [key: string]: JsonValue };
}

/**
 * A multiline string joined; anything else (not text, which the check holds as malformed) as its
 * JSON form, so two such values never share a hash. A missing stream text is ''.
 */
function textJson(text: unknown, missing?: string): JsonValue {
  if (text === undefined && missing !== undefined) return missing;
  if (typeof text === 'string') return text;
  if (Array.isArray(text) && text.every((line) => typeof line === 'string')) return text.join('');
  return toJson(text);
}

function toJson(value: unknown): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const out = ownKeysObject();
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item !== undefined) out[key] = toJson(item);
    }
    return out;
  }
  return String(value);
}

/** The canonical JSON text of an output's visible content (what outputContentHash hashes). */
export function outputContentText(output: NotebookOutput): string {
  switch (output.output_type) {
    case 'stream':
      return canonicalJson({ kind: 'stream', name: output.name, text: textJson(output.text, '') });
    case 'error':
      return canonicalJson({
        kind: 'error',
        ename: output.ename,
        evalue: output.evalue,
        traceback: [...output.traceback],
      });
    default: {
      const data = ownKeysObject();
      for (const [mime, value] of Object.entries(output.data ?? {})) data[mime] = textJson(value);
      return canonicalJson({ kind: 'display', data });
    }
  }
}

/** SHA-256 (hex) of an output's canonical content, via Web Crypto: binds an approval to content. */
export async function outputContentHash(output: NotebookOutput): Promise<string> {
  return digestOfContent(outputContentText(output));
}

/**
 * The canonical text an approval covers: the output's content (`outputContentText`) and, for a
 * stream part that continues earlier parts of its stream in the cell (`streamContextBefore`),
 * those parts too.
 */
export function approvalText(output: NotebookOutput, streamContext: string): string {
  if (output.output_type !== 'stream' || streamContext === '') return outputContentText(output);
  return canonicalJson({
    kind: 'stream',
    name: output.name,
    before: streamContext,
    text: textJson(output.text, ''),
  });
}

/** SHA-256 (hex) of `approvalText`: what a review request's `contentHash` and every approval lookup use. */
export async function approvalHash(output: NotebookOutput, streamContext: string): Promise<string> {
  return digestOfContent(approvalText(output, streamContext));
}

/**
 * `approvalText` of output `index` of a cell's `outputs` (a stream part after the earlier parts of
 * its stream there, `streamContextBefore`): what the save filter and the export filter look up.
 */
export function approvalTextAt(outputs: readonly unknown[], index: number): string {
  const output = outputs[index] as NotebookOutput;
  const before =
    output.output_type === 'stream' ? streamContextBefore(outputs, index, output.name) : '';
  return approvalText(output, before);
}
