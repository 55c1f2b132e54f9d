/**
 * Why: the gateway checks what leaves (review, export) with its policy's `export` settings, so
 * the gate must check what it draws at least as strictly: a policy with `small_cell_threshold: 20`
 * showed a count of 14 that export would hold. GET /whoami carries those settings
 * (`exportRules`). Signed in, the gate uses the stricter of each and core's default (a higher
 * threshold; images held for review unless both allow them: they matter at export only); signed
 * out, or from a gateway that sends none, the defaults. A malformed value counts as absent.
 */
import type { WhoAmIResponse } from '@privet/core/protocol';
import {
  DEFAULT_REVIEW_SETTINGS,
  settingsFromExportRules,
  type ReviewContext,
} from '@privet/core/review/index';

/** The review settings a display check passes as `ReviewContext.policy`. */
export type DisplayPolicy = NonNullable<ReviewContext['policy']>;

/** The settings the gate checks with for the signed-in `user` (null: signed out). */
export function displayPolicy(user: WhoAmIResponse | null | undefined): DisplayPolicy {
  const defaults = DEFAULT_REVIEW_SETTINGS;
  const rules = (user as { exportRules?: unknown } | null | undefined)?.exportRules;
  const given =
    typeof rules === 'object' && rules !== null ? (rules as Record<string, unknown>) : {};
  const threshold = given['small_cell_threshold'];
  const valid = typeof threshold === 'number' && Number.isInteger(threshold) && threshold >= 1;
  return settingsFromExportRules({
    small_cell_threshold: Math.max(defaults.small_cell_threshold, valid ? threshold : 0),
    images: given['images'] === 'allow' && defaults.images === 'allow' ? 'allow' : 'review',
  });
}

/** A short text that changes exactly when the settings do (to tell when to check again). */
export function policyKey(policy: DisplayPolicy): string {
  return `${policy.small_cell_threshold ?? ''}/${policy.images ?? ''}`;
}
