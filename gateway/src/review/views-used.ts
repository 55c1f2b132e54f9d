// Why: the row-level rule holds tables that carry a masked view's quasi-identifiers, so it needs
// the views. The hosts check what they draw with every view the user may list (quasi-identifiers
// from the published manifests); the gateway's export and review checks read the same views from
// the policy itself, so an output held on screen is never exported as passing, published or not.
import type { Policy } from '@privet/core';
import { publishedColumnNames } from '@privet/core/policy/lookup';
import type { ViewUsed } from '@privet/core/review/index';

/** Every view of the policy as the row-level rule reads it: its published columns and quasi-identifiers. */
export function reviewedViews(policy: Policy): ViewUsed[] {
  return Object.entries(policy.views).map(([name, view]) => ({
    name,
    tier: view.tier,
    quasiIdentifiers: view.tier === 'masked' ? (view.k_anonymity?.quasi_identifiers ?? []) : [],
    columns: publishedColumnNames(view),
  }));
}
