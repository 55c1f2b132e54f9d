/**
 * Why: the local review rules cannot know the raw data. The gateway keeps a keyed index of the raw
 * identifier columns' values and answers only a verdict per output (POST /leak-check/outputs,
 * through core's RawValueChecks); the notebook side never holds the values or the key. This file
 * turns that verdict into what the gate holds an output with. A raw value blocks the output and no
 * review can release it (the gateway refuses the request); no answer holds it too (fail closed),
 * with the gateway's reason, until the gate asks again. Pure: no host APIs, so it is unit-tested.
 */
import type { RawValueVerdict } from '@privet/core/client/index';
import { withFinding, type Finding, type ReviewResult } from '@privet/core/review/index';

/** How the gateway's verdict holds an output: a raw value, or no verdict (and why). */
export type RawValueHold =
  { kind: 'raw-value' } | { kind: 'raw-unavailable'; reason: string; fix: string };

/** The finding of an output that shows a raw identifier value (never which one). */
export const RAW_VALUE_FINDING: Finding = {
  rule: 'raw-value',
  severity: 'block',
  mime: 'output',
  location: { start: 0, end: 0 },
  message: "shows a value from the raw data's identifier columns (which one is not shown)",
};

/** The finding of an output the gateway could not check against the raw data (held: fail closed). */
export const RAW_VALUE_UNCHECKED_FINDING: Finding = {
  ...RAW_VALUE_FINDING,
  message: "not yet checked against the raw data's identifier columns",
};

/**
 * Why an output the gateway could not check when last asked stays held while no check can be
 * made (signed out, or no experiment), and what to do: its placeholder's reason and fix.
 */
export const RAW_VALUE_NO_CHECK = {
  reason:
    'the gateway could not check it when last asked, and no check can be made now (signed out of Privet, or no experiment selected)',
  fix: 'sign in to Privet and select the experiment: the output is checked again then',
} as const;

/** The hold a verdict asks for; null when it adds nothing (no raw value, or no check was made). */
export function rawValueHold(verdict: RawValueVerdict | null): RawValueHold | null {
  if (verdict === null || verdict.state === 'clear') return null;
  if (verdict.state === 'raw') return { kind: 'raw-value' };
  return { kind: 'raw-unavailable', reason: verdict.reason, fix: verdict.fix };
}

/** The finding a hold adds to the local check. */
export function rawValueFinding(hold: RawValueHold): Finding {
  return hold.kind === 'raw-value' ? RAW_VALUE_FINDING : RAW_VALUE_UNCHECKED_FINDING;
}

/** The local check's result, blocked by the hold (unchanged without one). */
export function withRawValueHold(result: ReviewResult, hold: RawValueHold | null): ReviewResult {
  return hold ? withFinding(result, rawValueFinding(hold)) : result;
}

/** What the placeholder says of an output that shows a raw value (never the value). */
export const RAW_VALUE_TEXT =
  "This output shows a value from the raw data's identifier columns (which one is not shown), so no review can approve it. Fix: remove the value from the output (aggregate it, or leave the column out) and run the cell again.";

/** What the placeholder says while the gateway's verdict is awaited. */
export const RAW_VALUE_CHECKING_TEXT =
  "Checking this output against the raw data's identifier columns…";

/** What the placeholder says of an output the gateway could not check: its reason and fix. */
export function rawValueUnavailableText(reason: string, fix: string): string {
  return `Could not check this output against the raw data: ${sentence(reason)} Fix: ${sentence(fix)} The output stays hidden until the check succeeds.`;
}

/** `text` trimmed, ending with one full stop. */
function sentence(text: string): string {
  const trimmed = text.trim().replace(/[.\s]+$/, '');
  return trimmed === '' ? 'no reason given.' : `${trimmed}.`;
}
