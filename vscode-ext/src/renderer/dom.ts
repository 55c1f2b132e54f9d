/** DOM helpers of Privet's notebook renderers: text-only nodes (no markup from outputs). */
import type { RuleId } from '@privet/core/review/index';

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

/** Default second line of a withheld output's placeholder. */
export const WITHHELD_HINT =
  'Use "Request review" on this cell (its status bar; in the Interactive Window, its toolbar) to send it to a reviewer; it stays off the notebook.';

/** Every rule id of core's review (a Record, so a rule added to RuleId must be listed here). */
const RULE_IDS: Record<RuleId, true> = {
  email: true,
  phone: true,
  'payment-card': true,
  iban: true,
  ssn: true,
  'ip-address': true,
  'date-of-birth': true,
  'small-cell': true,
  'row-level': true,
  dominance: true,
  'dp-provenance': true,
  image: true,
  malformed: true,
  'raw-value': true,
};

function isRuleId(value: unknown): value is RuleId {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RULE_IDS, value);
}

/**
 * Builds the DOM of a withheld output's placeholder (rules only, never content). A placeholder
 * item may come from any kernel, so only a known verdict and known rule ids are drawn: any other
 * text it carries (an address posing as a rule) is not.
 */
export function renderWithheld(
  info: { verdict?: unknown; rules?: unknown },
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
  box.appendChild(el('div', hint, MUTED));
  host.appendChild(box);
}
