/** DOM helpers of Privet's notebook renderers: text-only nodes (no markup from outputs). */
import type { RuleId } from '@privet/core/review/index';
import { isHeldReviewState, reviewHint } from './held-review.js';

/** A new element with optional text content (textContent, never HTML) and inline style. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  style?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (style) node.setAttribute('style', style);
  return node;
}

/** Muted text in the VS Code theme. */
export const MUTED = 'color:var(--vscode-descriptionForeground)';

/** Default second line of a withheld output's placeholder (not sent for review yet). */
export const WITHHELD_HINT =
  'Use "Request Review" on this cell (its status bar; in the Interactive Window, its toolbar) to send it to a reviewer; it stays off the notebook.';

/** Second line of a placeholder held on a value the gateway found in the raw identifier columns. */
export const RAW_VALUE_HINT =
  "It shows a value from the raw data's identifier columns, so it cannot be approved or exported (no review can release it). Fix: remove the value from the output and run the cell again.";

/** Second line of a placeholder held because the gateway's raw-value check did not answer. */
export const RAW_VALUE_UNCHECKED_HINT =
  "The gateway could not check it for values from the raw data's identifier columns (the notification says why), so it is held. It is checked again when you sign in, change experiment or run the cell again.";

/** Every rule id of core's review (a Record, so a rule added to RuleId must be listed here). */
const RULE_IDS: Record<RuleId, true> = {
  email: true,
  phone: true,
  'payment-card': true,
  iban: true,
  ssn: true,
  'ip-address': true,
  credential: true,
  'date-of-birth': true,
  'small-cell': true,
  'row-level': true,
  dominance: true,
  'dp-provenance': true,
  image: true,
  malformed: true,
  'drawn-order': true,
  script: true,
  'raw-value': true,
};

function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RULE_IDS, value);
}

/**
 * Builds the DOM of a withheld output's placeholder (rules only, never content). A placeholder
 * item may come from any kernel, so only a known verdict, known rule ids, a known raw-value
 * reason and a known review state (each drawn as Privet's own text) are drawn: any other text it
 * carries (an address posing as a rule, a reason) is not. The second line is the raw-value hint
 * (no review can release such an output), else the review state's once it was sent for review
 * (held-review.ts), else `hint`.
 */
export function renderWithheld(
  info: { verdict?: unknown; rules?: unknown; rawValue?: unknown; review?: unknown },
  host: HTMLElement,
  hint: string = WITHHELD_HINT,
): void {
  host.replaceChildren();
  host.classList.add('privet-withheld');
  const known = Array.isArray(info.rules) ? info.rules.filter(isRuleId) : [];
  const rules = known.length > 0 ? known.join(', ') : 'review';
  const verdict = info.verdict === 'block' ? 'block' : 'flag';
  const box = el(
    'div',
    undefined,
    'border-left:3px solid var(--vscode-editorWarning-foreground);padding:4px 8px',
  );
  box.appendChild(
    el('div', `Privet withheld this output (${verdict}: ${rules}).`, 'font-weight:600'),
  );
  const why =
    info.rawValue === 'found'
      ? RAW_VALUE_HINT
      : info.rawValue === 'unchecked'
        ? RAW_VALUE_UNCHECKED_HINT
        : isHeldReviewState(info.review)
          ? reviewHint(info.review)
          : hint;
  box.appendChild(el('div', why, MUTED));
  host.appendChild(box);
}
