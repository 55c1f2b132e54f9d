/**
 * Why: the gateway checks what leaves (review, export) with its policy's `export` settings, and
 * the gate must hold exactly what that check would hold: a policy with `small_cell_threshold: 20`
 * showed a count of 14 that export would hold, and one with 5 held a count of 7 on screen that the
 * gateway then refused to review. GET /whoami carries those settings (`exportRules`); signed out,
 * or from a gateway that sends none or malformed ones, the gate uses core's defaults. The reading
 * is core's, shared with VS Code.
 */
import type { WhoAmIResponse } from '@privet/core/protocol';
import {
  displaySettings,
  displaySettingsKey,
  exportRulesOf,
  type DisplaySettings,
} from '@privet/core/review/index';

/** The review settings a display check passes as `ReviewContext.policy`. */
export type DisplayPolicy = DisplaySettings;

/** The settings the gate checks with for the signed-in `user` (null: signed out). */
export function displayPolicy(user: WhoAmIResponse | null | undefined): DisplayPolicy {
  return displaySettings(exportRulesOf(user));
}

/** A short text that changes exactly when the settings do (to tell when to check again). */
export const policyKey = displaySettingsKey;
