/**
 * A sign-in link's token carried over the one reload JupyterLab may do at start. Why: a tab whose
 * workspace another tab uses already (the default one, when a second sign-in link is opened beside
 * a first tab) is reloaded by JupyterLab at `/lab/workspaces/auto-…`, and that reload keeps the
 * URL's fragment only as it is then: plugins/services.ts has removed the `#privet-token=…` by
 * then, so the token would be lost and the tab open on an empty sign-in form. Why sessionStorage:
 * it belongs to this tab alone and survives its reloads. Why so briefly: the token is stashed at
 * load, removed once this page's layout is restored (JupyterLab did not reload it), read at most
 * once by the next load (which removes it at once) and ignored once LINK_STASH_TTL_MS old, so a
 * later reload, or a tab the browser copies this one's sessionStorage into, never signs in with
 * it again. What the token then does is the session's to decide (session.ts): a tab signed in as
 * someone else is asked before switching, as with the link itself.
 */
import { tabStorage } from './tab-storage.js';

/** The sessionStorage key of the stashed link token. */
export const LINK_STASH_KEY = 'privet:link-token';

/** A stashed link token older than this is ignored (and removed). */
export const LINK_STASH_TTL_MS = 60_000;

/** The stash as stored: the token and when it was stashed (ms since the epoch). */
interface Stash {
  token: string;
  at: number;
}

/** The stash in `text` when it has the right shape (the stored text may be anything), else null. */
function stashOf(text: string | null): Stash | null {
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { token, at } = parsed as Record<string, unknown>;
  const valid = typeof token === 'string' && token.length <= 4096 && typeof at === 'number';
  return valid ? { token, at } : null;
}

/** Keeps the link's `token` for the next load of this tab (see the module's comment). */
export function stashLinkToken(token: string): void {
  try {
    tabStorage()?.setItem(LINK_STASH_KEY, JSON.stringify({ token, at: Date.now() }));
  } catch {
    // Storage full or refused: the link works unless JupyterLab reloads the tab.
  }
}

/**
 * The link token a load just before this one stashed, or null (none, garbled, or older than
 * LINK_STASH_TTL_MS). Removed at once, whichever it was: it is read at most once.
 */
export function takeStashedLinkToken(): string | null {
  let stash: Stash | null;
  try {
    const storage = tabStorage();
    stash = stashOf(storage?.getItem(LINK_STASH_KEY) ?? null);
    storage?.removeItem(LINK_STASH_KEY);
  } catch {
    return null;
  }
  if (!stash) return null;
  const age = Date.now() - stash.at;
  return age >= 0 && age <= LINK_STASH_TTL_MS ? stash.token : null;
}

/** Removes the stash when it holds `token` (this page was not reloaded: no later load needs it). */
export function dropStashedLinkToken(token: string): void {
  try {
    const storage = tabStorage();
    if (stashOf(storage?.getItem(LINK_STASH_KEY) ?? null)?.token === token) {
      storage?.removeItem(LINK_STASH_KEY);
    }
  } catch {
    // Storage refused: the stash expires on its own.
  }
}
