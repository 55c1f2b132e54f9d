/**
 * Notes about a policy that is valid but promises less than it may seem to: a masked view's
 * k-anonymity holds for each row on its own when tokens link rows (linking.ts), and a synthetic
 * view with `fidelity_for_analysts: true` shows analysts a report that is not DP. The CLI's
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

/**
 * What analysts get from a synthetic view's fidelity report, shown where a view opens it to them:
 * its numbers are computed on the raw rows (core/src/synth/fidelity.ts), not with DP.
 */
export const FIDELITY_FOR_ANALYSTS_CAVEAT =
  "fidelity_for_analysts: true shows analysts the fidelity report, which is exact, not DP: real row counts and per-column shares of the raw data, so reports of changing data can be subtracted to reveal one person's row";

/** The notes about `policy`, parsed from `text` of `file`. */
export function policyNotes(policy: Policy, text: string, file: string): PolicyNote[] {
  const at = policyPositions(text, file);
  const notes: PolicyNote[] = [];
  for (const [name, view] of Object.entries(policy.views)) {
    if (view.tier === 'synthetic' && view.fidelity_for_analysts === true) {
      const path = ['views', name, 'fidelity_for_analysts'];
      notes.push({
        position: at(path),
        path: path.join('.'),
        message: `view ${name}: ${FIDELITY_FOR_ANALYSTS_CAVEAT}`,
      });
    }
    const source = declared(policy.sources, view.source);
    if (view.tier !== 'masked' || !view.k_anonymity || !source) continue;
    const caveat = linkedRowsCaveat(view.k_anonymity.k, linkingTokens(view, source.privacy_unit));
    if (!caveat) continue;
    const path = ['views', name, 'k_anonymity'];
    notes.push({ position: at(path), path: path.join('.'), message: `view ${name}: ${caveat}` });
  }
  return notes;
}
