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
import type { MultilineString, NotebookOutput } from './types.js';

function joinLines(text: MultilineString | undefined): string {
  if (text === undefined) return '';
  return typeof text === 'string' ? text : text.join('');
}

function toJson(value: unknown): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
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
      return canonicalJson({ kind: 'stream', name: output.name, text: joinLines(output.text) });
    case 'error':
      return canonicalJson({
        kind: 'error',
        ename: output.ename,
        evalue: output.evalue,
        traceback: [...output.traceback],
      });
    default: {
      const data: { [mime: string]: JsonValue } = {};
      for (const [mime, value] of Object.entries(output.data ?? {})) {
        const isLines = Array.isArray(value) && value.every((line) => typeof line === 'string');
        data[mime] = isLines ? (value as string[]).join('') : toJson(value);
      }
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
    text: joinLines(output.text),
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
