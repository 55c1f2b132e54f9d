/**
 * Who last signed in to each gateway in this browser (its localStorage, shared by all tabs): only
 * the login, never a token. Why: a sign-in link carries whoever's token its sender chose (login
 * CSRF), so a link for someone other than the browser's own last user is asked about before it
 * signs a tab in (session.ts), while the link `npm start` printed for the same user signs in at once.
 */

const KEY_PREFIX = 'privet:last-user:';
/** What a kept login may look like (the storage is the origin's: it may hold anything). */
// eslint-disable-next-line no-control-regex
const LOGIN_SHAPE = /^[^\u0000-\u001f]{1,200}$/;

/** The browser's localStorage when it allows it (it may be disabled), else null. */
function browserStorage(): Storage | null {
  try {
    return window.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The login that last signed in to the gateway at `baseUrl` in this browser, or null. */
export function lastSignedInUser(baseUrl: string): string | null {
  try {
    const login = browserStorage()?.getItem(KEY_PREFIX + baseUrl) ?? null;
    return login !== null && LOGIN_SHAPE.test(login) ? login : null;
  } catch {
    return null;
  }
}

/** Records `login` as the last user of the gateway at `baseUrl` in this browser. */
export function rememberSignedInUser(baseUrl: string, login: string): void {
  try {
    browserStorage()?.setItem(KEY_PREFIX + baseUrl, login);
  } catch {
    // Storage full or refused: the next link for this user asks once more, nothing else.
  }
}
