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
