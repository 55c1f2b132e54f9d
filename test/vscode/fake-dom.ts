/**
 * Just enough of the DOM for the gate renderer's code under Node: elements with children, text,
 * classes and an optional shadow root, and a `document` that creates them. Tests install it
 * around one case with `withFakeDocument`.
 */

/** An element: text of its own plus its children's, like textContent. */
export class FakeElement {
  /** Child nodes, in order. */
  children: FakeElement[] = [];
  /** A shadow root a renderer attached (the Markdown renderer does). */
  shadowRoot: FakeElement | null = null;
  private ownText = '';
  private readonly names = new Set<string>();

  /** Creates an element with this tag name. */
  constructor(readonly tagName = 'div') {}

  /** Class names, as the renderer code uses them. */
  readonly classList = {
    add: (name: string): void => void this.names.add(name),
    remove: (name: string): void => void this.names.delete(name),
    contains: (name: string): boolean => this.names.has(name),
  };

  /** Own text followed by the children's. */
  get textContent(): string {
    return this.ownText + this.children.map((c) => c.textContent).join('');
  }

  set textContent(text: string) {
    this.ownText = text;
    this.children = [];
  }

  /** Replaces text and children. */
  replaceChildren(...nodes: FakeElement[]): void {
    this.ownText = '';
    this.children = nodes;
  }

  /** Appends a child and returns it. */
  appendChild<T extends FakeElement>(node: T): T {
    this.children.push(node);
    return node;
  }

  /** Attributes are not modelled. */
  setAttribute(): void {}

  /** This element as the DOM type the renderer code takes. */
  get asHtml(): HTMLElement {
    return this as unknown as HTMLElement;
  }
}

/** Runs `body` with a global `document` that creates FakeElements, then removes it. */
export async function withFakeDocument<T>(body: () => Promise<T> | T): Promise<T> {
  const global = globalThis as { document?: unknown };
  const before = global.document;
  global.document = { createElement: (tag: string) => new FakeElement(tag) };
  try {
    return await body();
  } finally {
    if (before === undefined) delete global.document;
    else global.document = before;
  }
}
