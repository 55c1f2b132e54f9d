/**
 * Whether the gateway refused the signed-in user's token (HTTP 401: revoked or expired) while the
 * gate asked about reviews. The review cache (approvals.ts) sets it and stops polling; held
 * placeholders (held-text.ts) read it to tell the user to sign in again. A new session clears it.
 */

/** True when `error` is the gateway refusing the token (401, code `unauthenticated`). */
export function isSignInRefused(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { status?: unknown; code?: unknown };
  return e.status === 401 || e.code === 'unauthenticated';
}

/** A flag shared by the review cache (writer) and the held placeholders' texts (reader). */
export class SignInRefusal {
  private value = false;

  /** Whether the current sign-in was refused. */
  get refused(): boolean {
    return this.value;
  }

  /** Sets the flag; true when it changed. */
  set(refused: boolean): boolean {
    const changed = this.value !== refused;
    this.value = refused;
    return changed;
  }
}

/** The app's one refusal flag (it has one output gate and one session). */
export const signInRefusal = new SignInRefusal();
