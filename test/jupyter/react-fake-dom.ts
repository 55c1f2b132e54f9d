/**
 * A small fake DOM for rendering JupyterLab panels with react-dom's client renderer in Node: only
 * what react-dom touches, made global (document, window) before react-dom loads, so effects and
 * events run as in JupyterLab. With helpers to find elements and dispatch events.
 */
import assert from 'node:assert/strict';
import type * as React from 'react';

/** A listener as a fake node keeps it. */
interface Listener {
  type: string;
  fn: (event: FakeEvent) => void;
  capture: boolean;
}
/** The part of a DOM event react-dom reads. */
export interface FakeEvent {
  type: string;
  target: FakeNode;
  bubbles: boolean;
  button: number;
  defaultPrevented: boolean;
  preventDefault(): void;
  stopPropagation(): void;
}

/** A DOM node as far as react-dom's client renderer uses one. */
export class FakeNode {
  [key: string]: unknown;
  readonly childNodes: FakeNode[] = [];
  parentNode: FakeNode | null = null;
  readonly listeners: Listener[] = [];
  constructor(
    readonly nodeType: number,
    readonly nodeName: string,
    readonly ownerDocument: FakeNode | null,
  ) {}
  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }
  get lastChild(): FakeNode | null {
    return this.childNodes[this.childNodes.length - 1] ?? null;
  }
  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  set textContent(text: string) {
    for (const child of this.childNodes.splice(0)) child.parentNode = null;
    if (text) this.appendChild(new FakeText(text));
  }
  appendChild(child: FakeNode): FakeNode {
    return this.insertBefore(child, null);
  }
  insertBefore(child: FakeNode, before: FakeNode | null): FakeNode {
    child.parentNode?.removeChild(child);
    const at = before ? this.childNodes.indexOf(before) : this.childNodes.length;
    this.childNodes.splice(at, 0, child);
    child.parentNode = this;
    return child;
  }
  removeChild(child: FakeNode): FakeNode {
    this.childNodes.splice(this.childNodes.indexOf(child), 1);
    child.parentNode = null;
    // As in browsers: focus does not stay on an element that left the page.
    const active = (document as { activeElement?: FakeNode | null }).activeElement ?? null;
    for (let n: FakeNode | null = active; n; n = n.parentNode) {
      if (n === child) Object.assign(document, { activeElement: null });
    }
    return child;
  }
  addEventListener(type: string, fn: Listener['fn'], options?: boolean | object): void {
    const capture =
      typeof options === 'boolean' ? options : (options as { capture?: boolean })?.capture === true;
    this.listeners.push({ type, fn, capture });
  }
  removeEventListener(type: string, fn: Listener['fn']): void {
    const at = this.listeners.findIndex((l) => l.type === type && l.fn === fn);
    if (at >= 0) this.listeners.splice(at, 1);
  }
}

/** A text node. */
export class FakeText extends FakeNode {
  constructor(public nodeValue: string) {
    super(3, '#text', null);
  }
  override get textContent(): string {
    return this.nodeValue;
  }
  override set textContent(text: string) {
    this.nodeValue = text;
  }
}

/** An element: attributes, a style and any property react-dom sets (value, checked, open…). */
export class FakeElement extends FakeNode {
  readonly namespaceURI = 'http://www.w3.org/1999/xhtml';
  readonly attributes = new Map<string, string>();
  readonly style = { setProperty: (): void => undefined };
  constructor(tag: string, doc: FakeNode) {
    super(1, tag.toUpperCase(), doc);
  }
  get tagName(): string {
    return this.nodeName;
  }
  get type(): string {
    return this.attributes.get('type') ?? '';
  }
  setAttribute(name: string, value: unknown): void {
    this.attributes.set(name, String(value));
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  hasAttribute(name: string): boolean {
    return this.attributes.has(name);
  }
  /** HTMLElement.focus: the element becomes document.activeElement (null: the page's body). */
  focus(): void {
    Object.assign(document, { activeElement: this });
  }
  /** A select's options, as react-dom reads them to mark the selected one (value: the attribute). */
  get options(): FakeElement[] {
    const options = findAll(this, (e) => e.tagName === 'OPTION');
    for (const option of options) option.value ??= option.getAttribute('value') ?? shown(option);
    return options;
  }
}

/** The fake document, made global (with a window) before react-dom loads. */
export const document = new FakeNode(9, '#document', null);
Object.assign(document, {
  oninput: null,
  activeElement: null,
  createElement: (tag: string) => new FakeElement(tag, document),
  createElementNS: (_ns: string, tag: string) => new FakeElement(tag, document),
  createTextNode: (text: string) => new FakeText(text),
});
Object.assign(globalThis, {
  document,
  window: { document, HTMLIFrameElement: class {}, event: undefined, top: null },
  IS_REACT_ACT_ENVIRONMENT: true,
});
const CLIENT: string = 'react-dom/client';
export const { createRoot } = (await import(CLIENT)) as {
  createRoot(container: FakeNode): { render(element: React.ReactElement): void; unmount(): void };
};

/**
 * Dispatches a DOM event from `target` up: capture listeners first, then bubbling ones; `extra`:
 * more fields of the event (e.g. a key). Returns the event (to see whether it was prevented).
 */
export function dispatch(
  target: FakeNode,
  type: string,
  extra: Record<string, unknown> = {},
): FakeEvent {
  const path: FakeNode[] = [];
  for (let n: FakeNode | null = target; n; n = n.parentNode) path.push(n);
  const event: FakeEvent = {
    type,
    target,
    bubbles: true,
    button: 0,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
    stopPropagation: () => undefined,
    ...extra,
  };
  const call = (node: FakeNode, capture: boolean): void => {
    for (const l of [...node.listeners]) if (l.type === type && l.capture === capture) l.fn(event);
  };
  for (const node of [...path].reverse()) call(node, true);
  for (const node of path) call(node, false);
  return event;
}

/** Every element below `root` (depth first) that `keep` selects. */
export function findAll(root: FakeNode, keep: (e: FakeElement) => boolean): FakeElement[] {
  const found: FakeElement[] = [];
  for (const child of root.childNodes) {
    if (child instanceof FakeElement && keep(child)) found.push(child);
    found.push(...findAll(child, keep));
  }
  return found;
}
/** The one element below `root` that `keep` selects. */
export function find(root: FakeNode, keep: (e: FakeElement) => boolean): FakeElement {
  const [found, ...more] = findAll(root, keep);
  assert.ok(found, 'the element is shown');
  assert.equal(more.length, 0, 'only one such element');
  return found;
}
/** The text shown below `node`, a space between nodes, spaces collapsed. */
export const shown = (node: FakeNode): string => words(node).replace(/\s+/g, ' ').trim();
/** The text of `node` with a space around each node's. */
const words = (node: FakeNode): string =>
  node instanceof FakeText ? ` ${node.nodeValue} ` : node.childNodes.map(words).join('');
/** The button labelled `label`. */
export const button = (root: FakeNode, label: string): FakeElement =>
  find(root, (e) => e.tagName === 'BUTTON' && shown(e) === label);

/** A React function component as the panels export them. */
export type Component = (props: Record<string, unknown>) => React.ReactElement;

/** The modifier keys held during a key press (dispatchKey). */
export interface KeyModifiers {
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
}
/**
 * Dispatches a keydown of `key` from `target` up, as `dispatch` does, with the key and modifiers
 * react-dom's keyboard events read; returns the event (to see whether it was prevented).
 */
export function dispatchKey(
  target: FakeNode,
  key: string,
  modifiers: KeyModifiers = {},
): FakeEvent {
  const keys = { ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...modifiers };
  return dispatch(target, 'keydown', { key, ...keys });
}
