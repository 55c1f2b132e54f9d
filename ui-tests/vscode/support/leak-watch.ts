/**
 * A watch for content that must never be drawn: installed with `page.context().addInitScript`
 * in every frame, read back over all frames once the page settled.
 */
import type { Page } from '@playwright/test';

/**
 * Installed in every frame before VS Code loads: records whether any frame ever held the leaked
 * address, even for a moment, and whether it showed Privet's withheld notice, so the test can
 * tell "never drawn" from "drawn, then replaced". VS Code writes output frames with
 * document.open(), which drops observers, so the watch is renewed after every open(). Renderers
 * may draw into shadow roots (VS Code's Markdown renderer does), which neither textContent nor a
 * document observer reaches, so every shadow root attached is watched and scanned too (even
 * after its element left the document: anything ever put there counts).
 */
export function watchForLeak(secret: string | readonly string[]): void {
  const secrets = typeof secret === 'string' ? [secret] : secret;
  const seen = { leaked: false, withheld: false, opens: 0, scans: 0, shadowRoots: 0 };
  (window as unknown as { __privetSeen: typeof seen }).__privetSeen = seen;
  const roots: ShadowRoot[] = [];
  const scan = (): void => {
    seen.scans++;
    const text = [document.documentElement, ...roots].map((n) => n?.textContent ?? '').join('\n');
    if (secrets.some((s) => text.includes(s))) seen.leaked = true;
    if (text.includes('Privet withheld this output')) seen.withheld = true;
  };
  const options = { childList: true, subtree: true, characterData: true };
  const watch = (): void => new MutationObserver(scan).observe(document, options);
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit): ShadowRoot {
    const root = attachShadow.call(this, init);
    roots.push(root);
    seen.shadowRoots++;
    new MutationObserver(scan).observe(root, options);
    return root;
  };
  const open = Document.prototype.open;
  Document.prototype.open = function (this: Document, ...args: unknown[]): Document {
    const result = (open as (...a: unknown[]) => Document).apply(this, args);
    if (this === document) {
      seen.opens++;
      watch();
    }
    return result;
  } as typeof Document.prototype.open;
  watch();
}

/** What watchForLeak recorded, over every frame of the page. */
export async function leakSeen(
  page: Page,
): Promise<{ leaked: boolean; withheld: boolean; shadowRoots: number; frames: string }> {
  type Seen = { leaked: boolean; withheld: boolean; shadowRoots?: number };
  const none: Seen = { leaked: false, withheld: false, shadowRoots: 0 };
  const all = await Promise.all(
    page.frames().map((f) =>
      f
        .evaluate(() => (window as unknown as { __privetSeen?: Seen }).__privetSeen)
        .then((seen) => seen ?? none)
        .catch(() => none),
    ),
  );
  return {
    leaked: all.some((s) => s.leaked),
    withheld: all.some((s) => s.withheld),
    shadowRoots: all.reduce((n, s) => n + (s.shadowRoots ?? 0), 0),
    frames: JSON.stringify(all),
  };
}
