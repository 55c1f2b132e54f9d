/**
 * Plain readings the fast review code is compared with: the row split written with `trim` and the
 * splitting regexes, and the labelled review corpus's outputs as the texts they hold.
 */
import { readFileSync } from 'node:fs';
import { isNumeric } from '@privet/core/review/table';
import type { CorpusItem } from '../../fixtures/review/gen-util.js';

/** A body row as the reference reads it: its leading labels and trailing numbers. */
export interface ReferenceRow {
  labels: string[];
  values: string[];
}

/** A body row: leading labels and trailing numbers, cut at wide gaps or else at every space. */
export function referenceSplit(line: string): ReferenceRow | undefined {
  const t = line.trim();
  let toks = t === '' ? [] : t.split(/\s{2,}|\t+/);
  if (toks.length < 2) {
    toks = t.split(/\s+/);
    if (toks.length < 2) return undefined;
  }
  let k = toks.length;
  while (k > 0 && isNumeric(toks[k - 1] ?? '')) k--;
  if (k === toks.length) return undefined;
  let labels = toks.slice(0, k);
  let values = toks.slice(k);
  if (k === 0) {
    labels = [values[0] ?? ''];
    values = values.slice(1);
    if (values.length === 0) return undefined;
  }
  if (labels.some((l) => /\d\s+\d/.test(l) || l.endsWith(':'))) return undefined;
  return { labels, values };
}

/** Every string held anywhere in a JSON value (the texts of a corpus output). */
export function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) stringsOf(x, out);
  return out;
}

/** The labelled review corpus (test/fixtures/review/corpus.json). */
export const reviewCorpus = JSON.parse(
  readFileSync(new URL('../../fixtures/review/corpus.json', import.meta.url), 'utf8'),
) as CorpusItem[];
