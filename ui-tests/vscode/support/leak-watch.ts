/**
 * A watch for content that must never be drawn: installed with `page.context().addInitScript`
 * in every frame, read back over all frames once the page settled.
 */
import type { Page } from '@playwright/test';

/**
 * Installed in every frame before VS Code loads: records whether any frame ever held the leaked
 * address, even for a moment, and whether it showed Privet's withheld notice, so the test can
 * tell "never drawn" from "drawn, then replaced". VS Code writes output frames with
 * document.open(), which drops observers, so the watch is renewed after every open().
 */
export function watchForLeak(secret: string): void {
  const seen = { leaked: false, withheld: false, opens: 0, scans: 0 };
  (window as unknown as { __privetSeen: typeof seen }).__privetSeen = seen;
  const scan = (): void => {
    seen.scans++;
    const text = document.documentElement?.textContent ?? '';
    if (text.includes(secret)) seen.leaked = true;
    if (text.includes('Privet withheld this output')) seen.withheld = true;
  };
  const watch = (): void =>
    new MutationObserver(scan).observe(document, {
      childList: true,
      subtree: true,
      characterData: true,
    });
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
): Promise<{ leaked: boolean; withheld: boolean; frames: string }> {
  const all = await Promise.all(
    page
      .frames()
      .map((f) =>
        f
          .evaluate(
            () =>
              (window as unknown as { __privetSeen?: { leaked: boolean; withheld: boolean } })
                .__privetSeen ?? { leaked: false, withheld: false },
          )
          .catch(() => ({ leaked: false, withheld: false })),
      ),
  );
  return {
    leaked: all.some((s) => s.leaked),
    withheld: all.some((s) => s.withheld),
    frames: JSON.stringify(all),
  };
}
