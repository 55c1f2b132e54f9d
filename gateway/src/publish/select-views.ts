// Why: `privet publish --view`, the HTTP publish route and the cost plan must agree on which views a
// request names, and refuse the same ones (unknown views, dp views) with the same words.
import type { MaskedView, Policy, SyntheticView } from '@privet/core';
import { declared } from '@privet/core/policy/lookup';
import { PublishError } from './errors.js';

/** The requested views, split by tier (each with its name). */
export interface SelectedViews {
  masked: [string, MaskedView][];
  synthetic: [string, SyntheticView][];
}

/**
 * The views `names` asks for (an unknown or dp view is refused, as `privet publish --view` refuses
 * it), or without names every view of the policy.
 */
export function requestedViews(
  policy: Policy,
  names?: readonly string[],
): [string, Policy['views'][string]][] {
  if (!names) return Object.entries(policy.views);
  return names.map((name): [string, Policy['views'][string]] => {
    const view = declared(policy.views, name);
    if (!view)
      throw new PublishError(
        name,
        'no such view in the policy',
        `use one of ${Object.keys(policy.views).join(', ')}`,
      );
    if (view.tier === 'dp')
      throw new PublishError(
        name,
        'is a dp view: it answers aggregate queries and has nothing to publish',
        'publish masked or synthetic views only',
      );
    return [name, view];
  });
}

/** The requested views (see requestedViews) split into masked and synthetic ones. */
export function selectViews(policy: Policy, names?: string[]): SelectedViews {
  const entries = requestedViews(policy, names);
  return {
    masked: entries.filter((e): e is [string, MaskedView] => e[1].tier === 'masked'),
    synthetic: entries.filter((e): e is [string, SyntheticView] => e[1].tier === 'synthetic'),
  };
}
