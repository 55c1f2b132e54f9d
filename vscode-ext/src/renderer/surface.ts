/**
 * Why: VS Code re-renders an updated output into the same element, and the Markdown renderer
 * draws into a shadow root it attaches to that element. A shadow root cannot be removed and hides
 * the element's own children, so before the gate (a withheld notice, an error) or the built-in
 * renderer draws there, a leftover shadow root is emptied and given a <slot>: what it showed
 * goes, the new children show. The Markdown renderer reuses a shadow root of its own but cannot
 * draw into an emptied one, so it then draws into a fresh child.
 */
import { MARKDOWN_RENDERER_ID } from './delegates.js';

const emptied = new WeakSet<ShadowRoot>();

/** Clears `element` so that nothing drawn in it before stays visible. */
export function clearElement(element: HTMLElement): void {
  element.replaceChildren();
  element.classList.remove('privet-withheld');
  const shadow = element.shadowRoot;
  if (shadow && !emptied.has(shadow)) {
    shadow.replaceChildren(document.createElement('slot'));
    emptied.add(shadow);
  }
}

/** Where the delegate `rendererId` draws in `element`: the element itself, or a fresh child. */
export function drawingTarget(element: HTMLElement, rendererId: string): HTMLElement {
  const shadow = element.shadowRoot;
  const markdown = rendererId === MARKDOWN_RENDERER_ID;
  if (markdown && shadow && !emptied.has(shadow)) {
    element.replaceChildren(); // the Markdown renderer's own shadow root: it redraws in it
    return element;
  }
  clearElement(element);
  return markdown && shadow ? element.appendChild(document.createElement('div')) : element;
}
