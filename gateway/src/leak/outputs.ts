// Why: the export filter and `privet review check` decide alike which outputs of a cell hold a raw
// identifier value: every output on its own, and each stream read whole across its writes (a
// value split over two writes is found; every write of that stream then holds it).
import {
  joinText,
  leakCandidates,
  shownTextCandidates,
  type NotebookOutput,
} from '@privet/core/review/index';
import type { LeakIndex } from './leak-index.js';

/** True when any candidate is a raw identifier value (the gateway's keyed index). */
export type RawValueLookup = (candidates: readonly string[]) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Indices of the outputs of one cell that hold a raw identifier value; `skip` leaves outputs out
 * (e.g. those already withheld) from both the lookups and the streams' joined text.
 */
export function rawValueOutputs(
  outputs: readonly unknown[],
  holds: RawValueLookup,
  skip: (index: number) => boolean = () => false,
): Set<number> {
  const hits = new Set<number>();
  const streams = new Map<string, { text: string; at: number[] }>();
  outputs.forEach((o, i) => {
    if (skip(i) || !isObject(o)) return;
    if (o.output_type === 'stream') {
      const name = String(o.name);
      const s = streams.get(name) ?? { text: '', at: [] };
      s.text += joinText(o.text);
      s.at.push(i);
      streams.set(name, s);
    } else if (holds(leakCandidates(o as unknown as NotebookOutput))) hits.add(i);
  });
  for (const { text, at } of streams.values())
    if (holds(shownTextCandidates(text, 'text/plain'))) for (const i of at) hits.add(i);
  return hits;
}

/** True when `index` finds a raw identifier value in the output (a stream after `before`). */
export function holdsRawValue(index: LeakIndex, output: NotebookOutput, before = ''): boolean {
  const candidates =
    output.output_type === 'stream'
      ? shownTextCandidates(before + joinText(output.text), 'text/plain')
      : leakCandidates(output);
  return candidates.some((c) => index.matches(c));
}
