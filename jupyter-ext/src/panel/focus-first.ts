/**
 * Where keyboard focus goes when a Privet side panel is activated (the command palette's "Open
 * Privet …", a sidebar tab chosen by keyboard): its first control, as JupyterLab's own panels do,
 * instead of leaving focus in the notebook behind it.
 */

/** The elements that take keyboard focus in the panels (disabled ones are skipped). */
export const FOCUSABLE =
  'button:not(:disabled), input:not(:disabled):not([type="hidden"]), select:not(:disabled), ' +
  'textarea:not(:disabled), a[href], [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';

/** The part of an element focusFirstControl reads (a DOM element in JupyterLab). */
export interface FocusRoot {
  contains(node: unknown): boolean;
  querySelectorAll(selector: string): ArrayLike<{ focus(): void }>;
}

/**
 * Moves focus to the first control under `root` that takes it (one in a closed details element or
 * hidden does not), unless focus is inside `root` already; `active` tells what has focus. True
 * when focus is in `root` afterwards (false: no control took it, e.g. React has not drawn them).
 */
export function focusFirstControl(root: FocusRoot, active: () => unknown): boolean {
  if (isIn(root, active())) return true;
  const controls = root.querySelectorAll(FOCUSABLE);
  for (let i = 0; i < controls.length; i += 1) {
    controls[i]?.focus();
    if (isIn(root, active())) return true;
  }
  return false;
}

/** True when `node` is in `root`. */
function isIn(root: FocusRoot, node: unknown): boolean {
  return node !== null && node !== undefined && root.contains(node);
}
