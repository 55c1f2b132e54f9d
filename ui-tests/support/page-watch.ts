/** A watch for text that must never be on the JupyterLab page, even for a moment. */
import type { Page } from '@playwright/test';

/** What the watch records in the page. */
interface PageWatch {
  leaked: boolean;
}

/** Records, from now on, whether `secret` is ever in the page's text (checked on every change). */
export async function watchPage(page: Page, secret: string): Promise<void> {
  await page.evaluate((s) => {
    const seen: PageWatch = { leaked: false };
    (window as unknown as { __privetPageWatch: PageWatch }).__privetPageWatch = seen;
    new MutationObserver(() => {
      if (document.body.textContent?.includes(s)) seen.leaked = true;
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  }, secret);
}

/** True if the watched secret was ever in the page's text since `watchPage`. */
export async function pageLeaked(page: Page): Promise<boolean> {
  return page.evaluate(
    () => (window as unknown as { __privetPageWatch: PageWatch }).__privetPageWatch.leaked,
  );
}

/** What the paint watch records in the page. */
interface PaintWatch {
  painted: boolean;
  frames: number;
}

/**
 * Records, from now on, whether text holding `secret` is ever painted: checked in every frame
 * after the page's animation-frame callbacks and layout, just before the paint (a ResizeObserver
 * on a probe resized each frame), so text that is in the DOM but transparent, hidden or not
 * displayed at that moment does not count.
 */
export async function watchPainted(page: Page, secret: string): Promise<void> {
  await page.evaluate((s) => {
    const seen: PaintWatch = { painted: false, frames: 0 };
    (window as unknown as { __privetPaintWatch: PaintWatch }).__privetPaintWatch = seen;
    const shown = (node: Node): boolean => {
      for (let el = node.parentElement; el; el = el.parentElement) {
        const style = getComputedStyle(el);
        if (style.display === 'none' || style.visibility === 'hidden' || style.opacity === '0')
          return false;
      }
      return node.isConnected;
    };
    const check = (): void => {
      seen.frames++;
      if (!document.body.textContent?.includes(s)) return;
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode())
        if (n.nodeValue?.includes(s) && shown(n)) seen.painted = true;
    };
    const probe = document.createElement('div');
    probe.style.cssText = 'position:fixed;left:0;top:0;height:1px;width:1px;pointer-events:none';
    document.body.appendChild(probe);
    new ResizeObserver(check).observe(probe);
    let wide = false;
    const tick = (): void => {
      wide = !wide;
      probe.style.width = wide ? '2px' : '1px';
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, secret);
}

/** Whether text holding the watched secret was painted since `watchPainted`, and frames checked. */
export async function paintWatch(page: Page): Promise<PaintWatch> {
  return page.evaluate(
    () => (window as unknown as { __privetPaintWatch: PaintWatch }).__privetPaintWatch,
  );
}
