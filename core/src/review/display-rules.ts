/**
 * Why: both hosts check what they draw with the review settings of the policy the signed-in
 * gateway enforces (GET /whoami's `exportRules`), and they must agree with the gateway: a host
 * stricter than it holds outputs that the gateway then refuses to review ("needs no review"), so
 * they stay hidden for good; a looser one draws what export would hold. One reading serves both:
 * the policy's rules as they are, core's defaults when signed out or when the rules are missing
 * or malformed (an older gateway).
 */
import type { WhoAmIResponse } from '../protocol.js';
import { DEFAULT_REVIEW_SETTINGS, settingsFromExportRules, type ReviewContext } from './types.js';

/** A policy's export rules as GET /whoami sends them (its `export` block's review part). */
export type DisplayRules = WhoAmIResponse['exportRules'];

/** The review settings a display check passes as `ReviewContext.policy`. */
export type DisplaySettings = NonNullable<ReviewContext['policy']>;

/** The rules of a whoami answer; undefined when it has none or they are malformed. */
export function exportRulesOf(me: unknown): DisplayRules | undefined {
  if (typeof me !== 'object' || me === null) return undefined;
  const rules = (me as { exportRules?: unknown }).exportRules;
  if (typeof rules !== 'object' || rules === null) return undefined;
  const { small_cell_threshold: threshold, images } = rules as Record<string, unknown>;
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 1)
    return undefined;
  if (images !== 'allow' && images !== 'review') return undefined;
  return { small_cell_threshold: threshold, images };
}

/** The settings a display check uses: the policy's rules as they are; core's defaults without. */
export function displaySettings(rules: DisplayRules | undefined): DisplaySettings {
  return settingsFromExportRules(
    rules ?? {
      small_cell_threshold: DEFAULT_REVIEW_SETTINGS.small_cell_threshold,
      images: DEFAULT_REVIEW_SETTINGS.images,
    },
  );
}

/** A short text that changes exactly when the settings do (to tell when to check again). */
export function displaySettingsKey(settings: DisplaySettings): string {
  return `${settings.small_cell_threshold ?? ''}/${settings.images ?? ''}`;
}
