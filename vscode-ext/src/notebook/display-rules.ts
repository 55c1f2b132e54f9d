/**
 * The review settings of the policy the signed-in gateway enforces, as GET /whoami sends them
 * (`exportRules`: small-cell threshold, images), so the display checks hold what the gateway's
 * check would (a policy's threshold of 20 holds a count of 14, which core's default of 10 passes).
 * Signed out, or from a gateway that sends none or malformed ones, the checks use core's defaults.
 */
import { settingsFromExportRules, type ReviewContext } from '@privet/core';
import type { WhoAmIResponse } from '@privet/core/protocol';

/** The policy's review settings a gateway's whoami answers. */
export type ExportRules = WhoAmIResponse['exportRules'];

/** The rules of a whoami answer; undefined when it has none or they are malformed. */
export function exportRulesOf(me: { exportRules?: unknown }): ExportRules | undefined {
  const rules = me.exportRules as Partial<Record<keyof ExportRules, unknown>> | undefined;
  if (typeof rules !== 'object' || rules === null) return undefined;
  const { small_cell_threshold: threshold, images } = rules;
  if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 1)
    return undefined;
  if (images !== 'allow' && images !== 'review') return undefined;
  return { small_cell_threshold: threshold, images };
}

/** The review context's `policy` for these rules (undefined: core's defaults). */
export function displayPolicy(rules: ExportRules | undefined): ReviewContext['policy'] {
  return rules ? settingsFromExportRules(rules) : undefined;
}
