// Why: the export filter and `privet review check` decide alike which outputs of a cell hold a raw
// identifier value: every output on its own, and each stream read whole across its writes (a
// value split over two writes is found; every write of that stream then holds it). The lookups
// are plain items (an output, or a stream's joined writes), so the gateway can send them to its
// output-check worker in one batch and the CLI can answer them in-process.
import type { OutputLeakItem } from '@privet/core';
import {
  joinText,
  leakCandidates,
  MAX_WORDS,
  shownTextCandidates,
  type NotebookOutput,
} from '@privet/core/review/index';
import type { LeakIndex } from './leak-index.js';

/** True when any candidate is a raw identifier value (the gateway's keyed index). */
export type RawValueLookup = (candidates: readonly string[]) => boolean;

/** One raw-value lookup of a cell's outputs: what is looked up, and the outputs it stands for. */
export interface RawValueItem {
  item: OutputLeakItem;
  /** Indices of the outputs that hold a raw value when the item does. */
  at: number[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The raw-value lookups of one cell's outputs: each non-stream output, then each stream's writes
 * joined; `skip` leaves outputs out (e.g. those already withheld) of both.
 */
export function rawValueItems(
  outputs: readonly unknown[],
  skip: (index: number) => boolean = () => false,
): RawValueItem[] {
  const items: RawValueItem[] = [];
  const streams = new Map<string, { text: string; at: number[] }>();
  outputs.forEach((o, i) => {
    if (skip(i) || !isObject(o)) return;
    if (o.output_type === 'stream') {
      const name = String(o.name);
      const s = streams.get(name) ?? { text: '', at: [] };
      s.text += joinText(o.text);
      s.at.push(i);
      streams.set(name, s);
    } else items.push({ item: { output: o as unknown as NotebookOutput }, at: [i] });
  });
  for (const [name, { text, at }] of streams)
    items.push({ item: { output: { output_type: 'stream', name, text } as NotebookOutput }, at });
  return items;
}

/**
 * Every candidate value an item shows (a stream read after its `before` text), in runs of up to
 * `maxWords` words (the index's longest value).
 */
export function itemCandidates(
  { output, before = '' }: OutputLeakItem,
  maxWords = MAX_WORDS,
): string[] {
  return output.output_type === 'stream'
    ? shownTextCandidates(before + joinText(output.text), 'text/plain', maxWords)
    : leakCandidates(output, maxWords);
}

/** Indices of the outputs of one cell that hold a raw identifier value (see `rawValueItems`). */
export function rawValueOutputs(
  outputs: readonly unknown[],
  holds: RawValueLookup,
  skip: (index: number) => boolean = () => false,
  maxWords = MAX_WORDS,
): Set<number> {
  const hits = new Set<number>();
  for (const { item, at } of rawValueItems(outputs, skip))
    if (holds(itemCandidates(item, maxWords))) for (const i of at) hits.add(i);
  return hits;
}

/** One verdict per item, in order: true when `index` finds a raw identifier value in it. */
export function rawValueVerdicts(index: LeakIndex, items: readonly OutputLeakItem[]): boolean[] {
  return items.map(({ output, before }) => holdsRawValue(index, output, before));
}

/** True when `index` finds a raw identifier value in the output (a stream after `before`). */
export function holdsRawValue(index: LeakIndex, output: NotebookOutput, before = ''): boolean {
  return itemCandidates({ output, before }, index.maxWords).some((c) => index.matches(c));
}
