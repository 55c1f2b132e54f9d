/** A watch for text that must never be on the JupyterLab page, even for a moment. */
import type { ElementHandle, Page } from '@playwright/test';

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

/** The page's list of checks run every frame (installed by `checkEveryFrame`). */
interface FrameChecks {
  __privetFrameChecks: (() => void)[];
}

/**
 * Makes the page run the checks in `window.__privetFrameChecks` in every frame after its
 * animation-frame callbacks and layout, just before the paint: a ResizeObserver on a probe that is
 * resized each frame (idempotent).
 */
async function checkEveryFrame(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as Partial<FrameChecks>;
    if (w.__privetFrameChecks) return;
    const checks: (() => void)[] = [];
    w.__privetFrameChecks = checks;
    const probe = document.createElement('div');
    probe.style.cssText = 'position:fixed;left:0;top:0;height:1px;width:1px;pointer-events:none';
    document.body.appendChild(probe);
    new ResizeObserver(() => checks.forEach((check) => check())).observe(probe);
    let wide = false;
    const tick = (): void => {
      wide = !wide;
      probe.style.width = wide ? '2px' : '1px';
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** What the paint watch records in the page. */
interface PaintWatch {
  painted: boolean;
  frames: number;
}

/**
 * Records, from now on, whether text holding `secret` is ever painted: checked in every frame
 * just before the paint (`checkEveryFrame`), so text that is in the DOM but transparent, hidden or
 * not displayed at that moment does not count.
 */
export async function watchPainted(page: Page, secret: string): Promise<void> {
  await checkEveryFrame(page);
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
    (window as unknown as FrameChecks).__privetFrameChecks.push(check);
  }, secret);
}

/** Whether text holding the watched secret was painted since `watchPainted`, and frames checked. */
export async function paintWatch(page: Page): Promise<PaintWatch> {
  return page.evaluate(
    () => (window as unknown as { __privetPaintWatch: PaintWatch }).__privetPaintWatch,
  );
}

/** What the blink watch records in the page. */
interface BlinkWatch {
  /** Frames checked. */
  frames: number;
  /** Frames in which a widget in the element waited for its verdict. */
  waiting: number;
  /** Of those, frames in which nothing stood in for it (the widget blinked out). */
  blank: number;
  /** Distinct copies that stood in (a new one each time the copy moved on). */
  copies: number;
}

/**
 * Records, from now on, in every frame just before the paint (`checkEveryFrame`), whether a widget
 * in `element` waits for its raw-value verdict (`.jp-Privet-verifying`) and whether the copy of its
 * last verified paint (`.jp-Privet-lastVerified`) stands in for it in its gated output.
 */
export async function watchBlinks(page: Page, element: ElementHandle<Node>): Promise<void> {
  await checkEveryFrame(page);
  await page.evaluate((root) => {
    const seen: BlinkWatch = { frames: 0, waiting: 0, blank: 0, copies: 0 };
    const copies = new WeakSet<Element>();
    (window as unknown as { __privetBlinkWatch: BlinkWatch }).__privetBlinkWatch = seen;
    const check = (): void => {
      seen.frames++;
      const waiting = (root as Element).querySelectorAll(
        '.jp-Privet-verifying:not(.jp-Privet-lastVerified)',
      );
      if (waiting.length === 0) return;
      seen.waiting++;
      waiting.forEach((live) => {
        const copy = live.parentElement?.querySelector(':scope > .jp-Privet-lastVerified');
        const painted =
          copy && copy.getBoundingClientRect().height > 0 && getComputedStyle(copy).opacity !== '0';
        if (!copy || !painted) seen.blank++;
        else if (!copies.has(copy)) {
          copies.add(copy);
          seen.copies++;
        }
      });
    };
    (window as unknown as FrameChecks).__privetFrameChecks.push(check);
  }, element);
}

/** What the blink watch recorded since `watchBlinks`. */
export async function blinkWatch(page: Page): Promise<BlinkWatch> {
  return page.evaluate(
    () => (window as unknown as { __privetBlinkWatch: BlinkWatch }).__privetBlinkWatch,
  );
}
