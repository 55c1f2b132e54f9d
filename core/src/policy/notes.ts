/**
 * Notes about a policy that is valid but promises less than it may seem to: today, a masked
 * view's k-anonymity holds for each row on its own when tokens link rows (linking.ts). The CLI's
 * `privet policy check` prints them and the VS Code extension shows them on the policy file.
 */
import type { SourcePosition } from './errors.js';
import { linkedRowsCaveat, linkingTokens } from './linking.js';
import { declared } from './lookup.js';
import { policyPositions } from './positions.js';
import type { Policy } from './schema.js';

/** One note: where it applies (the key it is about) and what it says. */
export interface PolicyNote {
  position: SourcePosition;
  /** Dotted path of the key, e.g. `views.people_masked.k_anonymity`. */
  path: string;
  message: string;
}

/** The notes about `policy`, parsed from `text` of `file`. */
export function policyNotes(policy: Policy, text: string, file: string): PolicyNote[] {
  const at = policyPositions(text, file);
  const notes: PolicyNote[] = [];
  for (const [name, view] of Object.entries(policy.views)) {
    const source = declared(policy.sources, view.source);
    if (view.tier !== 'masked' || !view.k_anonymity || !source) continue;
    const caveat = linkedRowsCaveat(view.k_anonymity.k, linkingTokens(view, source.privacy_unit));
    if (!caveat) continue;
    const path = ['views', name, 'k_anonymity'];
    notes.push({ position: at(path), path: path.join('.'), message: `view ${name}: ${caveat}` });
  }
  return notes;
}
