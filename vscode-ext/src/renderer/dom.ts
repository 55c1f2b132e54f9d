/** DOM helpers of Privet's notebook renderers: text-only nodes (no markup from outputs). */

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

/** Builds the DOM of a withheld output's placeholder (rules only, never content). */
export function renderWithheld(
  info: { verdict?: unknown; rules?: unknown },
  host: HTMLElement,
  hint: string = WITHHELD_HINT,
): void {
  host.replaceChildren();
  host.classList.add('privet-withheld');
  const rules = Array.isArray(info.rules) ? info.rules.map(String).join(', ') : 'review';
  const box = el(
    'div',
    undefined,
    'border-left:3px solid var(--vscode-editorWarning-foreground);padding:4px 8px',
  );
  box.appendChild(
    el(
      'div',
      `Privet withheld this output (${String(info.verdict ?? 'flag')}: ${rules}).`,
      'font-weight:600',
    ),
  );
  box.appendChild(el('div', hint, MUTED));
  host.appendChild(box);
}
