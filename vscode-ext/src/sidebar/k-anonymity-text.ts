/**
 * A masked view's k-anonymity as Markdown for the tree's tooltip: k, the quasi-identifiers, the
 * smallest class, and what k does not cover when published tokens link rows.
 */
import type { ViewSummary } from '@privet/core/protocol';
import { linkedRowsCaveat } from '@privet/core/policy/linking';

/** Markdown lines about the view's k-anonymity, or '' when its manifest declares none. */
export function kAnonymityMarkdown(view: ViewSummary): string {
  const k = view.manifest?.kAnonymity;
  if (!k) return '';
  const caveat = linkedRowsCaveat(k.k, k.linkedBy ?? []);
  return [
    `**k-anonymity:** k = ${k.k} on ${k.quasiIdentifiers.join(', ')}; smallest class ${k.smallestClass} ${k.smallestClass === 1 ? 'person' : 'people'}`,
    ...(caveat ? ['', `**Not covered by k:** ${caveat}.`] : []),
  ].join('\n');
}
