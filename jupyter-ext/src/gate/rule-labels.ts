/**
 * How held content names the review rules that fired (the output placeholder, the held file
 * notice): human names, counts and MIME parts, never the content.
 */
import { RAW_VALUE_FINDING } from './raw-value.js';
import {
  WIDGET_STATE_MIME,
  WIDGET_VIEW_MIME,
  type Finding,
  type RuleId,
} from '@privet/core/review/index';

/** Human names of the review rules. */
const RULE_LABELS: Record<RuleId, string> = {
  email: 'email address',
  phone: 'phone number',
  'payment-card': 'payment card number',
  iban: 'IBAN',
  ssn: 'national ID number',
  'ip-address': 'IP address',
  credential: 'Privet gateway token',
  'date-of-birth': 'date of birth',
  'small-cell': 'small cell count',
  'row-level': 'row-level data',
  dominance: 'dominant contributor',
  'dp-provenance': 'unverified DP release',
  image: 'image (cannot be read)',
  malformed: 'unreadable output',
  'drawn-order': 'text drawn in another order than stored',
  script: 'runs code when shown',
  'raw-value': 'raw identifier value',
};

/** The human name of a rule (its id when it has none). */
export function ruleLabel(rule: RuleId): string {
  return RULE_LABELS[rule] ?? rule;
}

/** MIME parts named as a reader knows them. */
const PART_LABELS: Record<string, string> = {
  [WIDGET_STATE_MIME]: 'widget state',
  [WIDGET_VIEW_MIME]: 'widget',
};

/**
 * Rules that fired, with how often and in which MIME parts; no values, and no messages except
 * an unreadable output's, which says what could not be read and what to do, and the raw-value
 * rule's when the gateway could not check the output (never data).
 */
export function summarize(
  findings: readonly Finding[],
): { rule: RuleId; count: number; mimes: string[]; hints: string[] }[] {
  const byRule = new Map<RuleId, { count: number; mimes: Set<string>; hints: Set<string> }>();
  for (const f of findings) {
    if (f.severity === 'info') continue;
    const entry = byRule.get(f.rule) ?? { count: 0, mimes: new Set(), hints: new Set() };
    entry.count += 1;
    entry.mimes.add(PART_LABELS[f.mime] ?? f.mime);
    if (
      f.rule === 'malformed' ||
      f.rule === 'script' ||
      (f.rule === 'raw-value' && f.message !== RAW_VALUE_FINDING.message)
    )
      entry.hints.add(f.message); // a raw value itself is explained by the state line
    byRule.set(f.rule, entry);
  }
  return [...byRule].map(([rule, e]) => ({
    rule,
    count: e.count,
    mimes: [...e.mimes],
    hints: [...e.hints],
  }));
}
