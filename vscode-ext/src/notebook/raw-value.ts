/**
 * The gateway's raw-value verdict as the output gate holds an output (pure, so it is tested
 * without VS Code). The gateway alone keeps the keyed index of the raw identifier columns' values;
 * the gate gets back only a verdict (core's RawValueChecks), never a value or the key. A value
 * found becomes a blocking finding of core's `raw-value` rule, which no reviewer can approve (the
 * gateway refuses the review request and withholds it at export); no answer (429, network, no
 * membership) holds the output too (fail closed), with the gateway's reason and fix, until the
 * gate's next pass asks again. No message here ever repeats the output's content.
 */
import type { Finding, ReviewResult } from '@privet/core';
import type { RawValueVerdict } from '@privet/core/client/index';

/** The message of the finding for a value the gateway found. */
export const RAW_VALUE_MESSAGE =
  "this output shows a value from the raw data's identifier columns; it cannot be approved: remove the value from the output and run the cell again";

/** How the message of the finding for an unanswered check starts. */
const UNCHECKED_PREFIX =
  "the gateway could not check this output for values from the raw data's identifier columns: ";

/** Why the gateway holds an output: a raw value it found, or a check it could not answer. */
export type RawValueHold = 'found' | 'unchecked';

/** The finding a verdict adds to the gate's review (`raw-value`, block); null when clear. */
export function rawValueFinding(verdict: RawValueVerdict): Finding | null {
  if (verdict.state === 'clear') return null;
  const message =
    verdict.state === 'raw'
      ? RAW_VALUE_MESSAGE
      : `${UNCHECKED_PREFIX}${verdict.reason}. Fix: ${verdict.fix}`;
  return {
    rule: 'raw-value',
    severity: 'block',
    mime: 'output',
    location: { start: 0, end: 0 },
    message,
  };
}

/** Whether a review holds its output on a raw value found, on an unanswered check, or neither. */
export function rawValueHold(review: Pick<ReviewResult, 'findings'>): RawValueHold | undefined {
  const findings = review.findings.filter((f) => f.rule === 'raw-value');
  if (findings.some((f) => f.message === RAW_VALUE_MESSAGE)) return 'found';
  return findings.length > 0 ? 'unchecked' : undefined;
}

/** The reason and fix of an unanswered check, as its finding says them ('' when none). */
export function uncheckedReason(review: Pick<ReviewResult, 'findings'>): string {
  const finding = review.findings.find(
    (f) => f.rule === 'raw-value' && f.message.startsWith(UNCHECKED_PREFIX),
  );
  return finding ? finding.message.slice(UNCHECKED_PREFIX.length) : '';
}

/** The verdict of a check that did not answer within `ms` (fail closed). */
export function unansweredVerdict(ms: number): RawValueVerdict {
  return {
    state: 'unavailable',
    reason: `the gateway did not answer the raw-value check within ${Math.round(ms / 1000)} s`,
    fix: 'check that the gateway is running, then run the cell again',
  };
}

/** The verdict of an output the check could not read (fail closed). */
export const UNREADABLE_VERDICT: RawValueVerdict = {
  state: 'unavailable',
  reason: 'the raw-value check could not read this output',
  fix: 'show the result as plain text or a table, then run the cell again',
};
