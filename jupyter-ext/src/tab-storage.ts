/** The browser tab's sessionStorage, shared by the sign-in (session.ts) and the kernel record. */

/** sessionStorage when the browser allows it (it may be disabled), else null. */
export function tabStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
