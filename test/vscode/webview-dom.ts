/**
 * Just enough of a browser page to run a Privet webview script (vscode-ext/media/*.js) under Node:
 * elements with text, attributes, children and click/focus events, a `document` whose #root and
 * #status come from the shell (src/webview/html.ts), focus that falls to the body when the focused
 * element is removed or disabled (as in Chromium), animation frames the test runs (`nextFrame`), and
 * the `acquireVsCodeApi` messaging. Tests load a page's scripts (webview-common.js, then its own)
 * with `loadWebview` and drive them with `send` and `click`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createContext, runInContext } from 'node:vm';

type Listener = (event: { target: PageElement; type: string }) => void;

/** An element of the page. */
export class PageElement {
  /** Child elements, in order. */
  children: PageElement[] = [];
  /** The element this one is a child of. */
  parent: PageElement | null = null;
  /** The class attribute. */
  className = '';
  /** Tab order (-1: focusable by script only). */
  tabIndex = 0;
  /** Inline style, as the scripts set it. */
  readonly style: Record<string, string> = {};
  /** A textarea's value and other properties the scripts set (rows, placeholder, src, alt). */
  value = '';
  rows = 0;
  placeholder = '';
  src = '';
  alt = '';
  private ownText = '';
  private isDisabled = false;
  private readonly attributes = new Map<string, string>();
  private readonly listeners = new Map<string, Listener[]>();

  /** Creates an element of `tagName` on `page`. */
  constructor(
    readonly tagName: string,
    private readonly page: Page,
  ) {}

  /** Own text followed by the children's, like the DOM's. */
  get textContent(): string {
    return this.ownText + this.children.map((c) => c.textContent).join('');
  }

  set textContent(text: string) {
    this.detach(this.children);
    this.ownText = text;
    this.children = [];
  }

  /** A disabled control; disabling the focused one drops focus to the body. */
  get disabled(): boolean {
    return this.isDisabled;
  }

  set disabled(value: boolean) {
    this.isDisabled = value;
    if (value && this.page.activeElement === this) this.page.activeElement = this.page.body;
  }

  /** A textarea's caret (undefined on other elements, as the scripts test). */
  get selectionStart(): number | undefined {
    return this.tagName === 'textarea' ? this.caret[0] : undefined;
  }

  /** A textarea's caret end. */
  get selectionEnd(): number | undefined {
    return this.tagName === 'textarea' ? this.caret[1] : undefined;
  }

  private caret: [number, number] = [0, 0];

  /** Sets a textarea's caret. */
  setSelectionRange(start: number, end: number): void {
    this.caret = [start, end];
  }

  /** Appends a child and returns it. */
  appendChild<T extends PageElement>(node: T): T {
    node.parent = this;
    this.children.push(node);
    return node;
  }

  /** Inserts `node` before `before` (a child). */
  insertBefore<T extends PageElement>(node: T, before: PageElement): T {
    node.parent = this;
    const at = this.children.indexOf(before);
    this.children.splice(at < 0 ? this.children.length : at, 0, node);
    return node;
  }

  /** Replaces text and children (a removed focused element drops focus to the body). */
  replaceChildren(...nodes: PageElement[]): void {
    this.detach(this.children);
    this.ownText = '';
    this.children = [];
    for (const n of nodes) this.appendChild(n);
  }

  private detach(nodes: PageElement[]): void {
    for (const n of nodes) {
      if (this.page.activeElement && n.contains(this.page.activeElement))
        this.page.activeElement = this.page.body;
      n.parent = null;
    }
  }

  /** Sets an attribute. */
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }

  /** An attribute, or null. */
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }

  /** True when `node` is this element or below it. */
  contains(node: PageElement | null): boolean {
    for (let n = node; n; n = n.parent) if (n === this) return true;
    return false;
  }

  /** Every element below this one, depth first. */
  descendants(): PageElement[] {
    return this.children.flatMap((c) => [c, ...c.descendants()]);
  }

  /** Elements below matching `tag`, `.class`, `[attr]` or `[attr="value"]`. */
  querySelectorAll(selector: string): PageElement[] {
    const attr = /^\[([\w-]+)(?:="([^"]*)")?\]$/.exec(selector);
    return this.descendants().filter((n) =>
      attr
        ? attr[2] === undefined
          ? n.getAttribute(attr[1]!) !== null
          : n.getAttribute(attr[1]!) === attr[2]
        : selector.startsWith('.')
          ? n.className.split(/\s+/).includes(selector.slice(1))
          : n.tagName === selector,
    );
  }

  /** Listens for `type` events on this element and below (they bubble). */
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  /** Fires `type` here and on every ancestor. */
  dispatch(type: string): void {
    this.bubble(type, this);
  }

  private bubble(type: string, target: PageElement): void {
    for (const l of this.listeners.get(type) ?? []) l({ target, type });
    this.parent?.bubble(type, target);
  }

  /** A user's click (none on a disabled control); a button click focuses it first. */
  click(): void {
    if (this.isDisabled) return;
    if (this.tagName === 'button') this.focus();
    this.dispatch('click');
  }

  /** Moves focus here (fires focusin). */
  focus(): void {
    this.page.activeElement = this;
    this.dispatch('focusin');
  }
}

/** The page a webview script runs in, and what it posted to the extension. */
export class Page {
  readonly body: PageElement;
  readonly root: PageElement;
  readonly status: PageElement;
  /** The focused element (the body when none). */
  activeElement: PageElement;
  /** Messages the script posted (acquireVsCodeApi().postMessage). */
  readonly posted: unknown[] = [];
  private readonly messageListeners: ((event: { data: unknown }) => void)[] = [];
  /** Callbacks of requestAnimationFrame not run yet, by handle. */
  private readonly frames = new Map<number, () => void>();
  private frameHandle = 0;

  constructor() {
    this.body = new PageElement('body', this);
    // The shell's two elements (src/webview/html.ts): the status line and the rebuilt root.
    this.status = this.body.appendChild(new PageElement('div', this));
    this.status.setAttribute('id', 'status');
    this.status.setAttribute('role', 'status');
    this.root = this.body.appendChild(new PageElement('main', this));
    this.root.setAttribute('id', 'root');
    this.activeElement = this.body;
  }

  /** Sends a message from the extension to the script. */
  send(message: unknown): void {
    for (const l of this.messageListeners) l({ data: message });
  }

  /** Runs every callback requested for the next animation frame (as the browser paints). */
  nextFrame(): void {
    const due = [...this.frames.values()];
    this.frames.clear();
    for (const callback of due) callback();
  }

  /** Runs the scripts `sources` on this page, in order, sharing one global scope (as <script>s do). */
  run(...sources: string[]): void {
    const document = {
      body: this.body,
      hasFocus: () => true,
      getElementById: (id: string) =>
        this.body.descendants().find((n) => n.getAttribute('id') === id) ?? null,
      createElement: (tag: string) => new PageElement(tag, this),
    };
    Object.defineProperty(document, 'activeElement', { get: () => this.activeElement });
    const window = {
      addEventListener: (type: string, l: (event: { data: unknown }) => void) => {
        if (type === 'message') this.messageListeners.push(l);
      },
      requestAnimationFrame: (callback: () => void) => {
        this.frames.set(++this.frameHandle, callback);
        return this.frameHandle;
      },
      cancelAnimationFrame: (handle: number) => void this.frames.delete(handle),
    };
    // Posted messages are copied, as postMessage clones them (and out of the script's realm).
    const acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => void this.posted.push(JSON.parse(JSON.stringify(m))),
    });
    const context = createContext({ document, window, acquireVsCodeApi });
    for (const source of sources) runInContext(source, context);
  }

  /** The elements below #root whose own text (with their children's) is `text`, in order. */
  byText(text: string, tag?: string): PageElement[] {
    return this.root
      .descendants()
      .filter((n) => n.textContent === text && (tag === undefined || n.tagName === tag));
  }

  /** The one button labelled `label` inside `within` (the root by default). */
  button(label: string, within: PageElement = this.root): PageElement {
    const found = within.querySelectorAll('button').filter((b) => b.textContent === label);
    if (found.length !== 1) throw new Error(`${found.length} buttons "${label}"`);
    return found[0]!;
  }
}

/** The text of `vscode-ext/media/<file>`. */
function media(file: string): string {
  return readFileSync(resolve(import.meta.dirname, `../../vscode-ext/media/${file}`), 'utf8');
}

/** A page running `vscode-ext/media/<name>.js` after webview-common.js, as the shell loads them. */
export function loadWebview(name: 'review' | 'budget'): Page {
  const page = new Page();
  page.run(media('webview-common.js'), media(`${name}.js`));
  return page;
}
