/** The count rule over stated text, as every reader of drawn text applies it. */
import { scanIdentifiers } from './identifiers.js';
import type { FindingSink } from './sink.js';
import { textCounts } from './text-rules.js';

/**
 * Adds a small-cell finding at `where` for each count `text` states ("only 2 patients", "n = 3").
 * `small`: the short numbers an identifier scan of `text` already collected; without it they are
 * collected here by the same scan (the same numbers, without base64, credential or birth-date work).
 */
export function addTextCounts(
  sink: FindingSink,
  where: string,
  text: string,
  small?: readonly number[],
): void {
  let numbers = small;
  if (numbers === undefined) {
    const found: number[] = [];
    scanIdentifiers(text, undefined, { below: sink.settings.small_cell_threshold, found });
    numbers = found;
  }
  for (const h of textCounts(text, sink.settings, numbers))
    sink.add('small-cell', where, { start: h.start, end: h.end }, h.message);
}
