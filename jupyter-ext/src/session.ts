/**
 * Sign-in state of one browser tab. Why sessionStorage: the token must survive a page reload of
 * this tab but never reach disk in a notebook, the settings or localStorage shared by all tabs.
 * Why a sign-in link never replaces a signed-in user by itself: anyone can send a link carrying
 * their own token (login CSRF), and the user's queries, review requests and exports would then go
 * to the sender's account. The link's user is looked up first and the user is asked; in a tab
 * nobody is signed in to, a link signs in at once only as the user this browser last signed in
 * as (browser-users.ts), so the link `npm start` printed for you works with one click the first
 * time and none after, and a link for anyone else is asked about.
 */
import { Signal, type ISignal } from '@lumino/signaling';
import type { WhoAmIResponse } from '@privet/core/protocol';
import { GatewayClient, GatewayError, PASTED_TOKEN_FIX, normalizeGatewayUrl } from './client.js';
import { restoreProblemOf, type RestoreProblem } from './restore-problem.js';
import { lastSignedInUser, rememberSignedInUser } from './browser-users.js';
import { tabStorage } from './tab-storage.js';

/** Why a kept sign-in could not be restored (restore-problem.ts), for the session's users. */
export { restoreProblemOf, type RestoreProblem } from './restore-problem.js';

const STORAGE_PREFIX = 'privet:token:';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{8,200}$/;

/** A signed-in user of one gateway. */
export interface SignedIn {
  client: GatewayClient;
  user: WhoAmIResponse;
  token: string;
}

/** Asks the user about a sign-in link that names someone other than the user they are. */
export interface LinkSignInPrompt {
  /** Resolves true only when the user chooses to leave `current` for the link's user. */
  confirmSwitch(current: SignedIn, link: WhoAmIResponse): Promise<boolean>;
  /**
   * Resolves true only when the user chooses to sign a tab nobody is signed in to in as the
   * link's user; `lastUser` is who last signed in to this gateway in this browser (null: nobody).
   */
  confirmFirst(link: WhoAmIResponse, lastUser: string | null): Promise<boolean>;
  /** Tells the user the gateway refused the link's token, so `current` stays signed in. */
  refused(current: SignedIn, error: unknown): Promise<void>;
}

/** Without a way to ask, a link for another user is ignored and the signed-in user stays. */
const KEEP_CURRENT: LinkSignInPrompt = {
  confirmSwitch: () => Promise.resolve(false),
  confirmFirst: () => Promise.resolve(false),
  refused: () => Promise.resolve(),
};

/** One resume(): which one it is (see `generation`), its gateway and what went wrong. */
interface Attempt {
  generation: number;
  baseUrl: string;
  problem: RestoreProblem | null;
}

/** Holds who is signed in (if anyone) and tells listeners when that changes. */
export class PrivetSession {
  private current: SignedIn | null = null;
  private readonly changedSignal = new Signal<this, SignedIn | null>(this);
  private problem: RestoreProblem | null = null;
  private readonly problemSignal = new Signal<this, RestoreProblem | null>(this);
  /**
   * Bumped by every signIn(), signOut() and resume(): a resume whose answer comes after a newer
   * one of these (e.g. a slow Retry after the user signed in through the form) changes nothing.
   */
  private generation = 0;
  /**
   * Resolves once resume() has dealt with the link token this session was made with: with who is
   * signed in then (the link's user, the user kept over it, or null); at once (null) without one.
   */
  readonly linkSettled: Promise<SignedIn | null>;
  private settleLink: (signedIn: SignedIn | null) => void = () => undefined;

  /**
   * `pendingToken` (e.g. from the URL fragment) is tried once by the first resume(); `prompt`
   * decides when it names another user than the one this tab is signed in as.
   */
  constructor(
    private pendingToken: string | null = null,
    private readonly prompt: LinkSignInPrompt = KEEP_CURRENT,
  ) {
    this.linkSettled = new Promise((resolve) => (this.settleLink = resolve));
    if (pendingToken === null) this.settleLink(null);
  }

  /** Emits after every sign-in and sign-out. */
  get changed(): ISignal<this, SignedIn | null> {
    return this.changedSignal;
  }

  /** The signed-in user, or null. */
  get signedIn(): SignedIn | null {
    return this.current;
  }

  /** Why the kept sign-in could not be restored by the last resume(); null when it could. */
  get restoreProblem(): RestoreProblem | null {
    return this.problem;
  }

  /** Emits when restoreProblem changes. */
  get restoreProblemChanged(): ISignal<this, RestoreProblem | null> {
    return this.problemSignal;
  }

  /**
   * Retry after a RestoreProblem: resumes with `gatewayUrl`, the gateway URL the settings name
   * now (the problem's fix says to correct it there). The problem stays until this succeeds or
   * finds nothing left to restore.
   */
  async retryRestore(gatewayUrl: string): Promise<SignedIn | null> {
    return this.resume(gatewayUrl);
  }

  /**
   * Checks a pasted token (or a whole sign-in link holding one) against the gateway (/health,
   * then /whoami) and keeps it for this tab. A refused one's error says to check what was pasted.
   */
  async signIn(gatewayUrl: string, rawToken: string): Promise<SignedIn> {
    this.generation += 1;
    return this.adopt(await verify(gatewayUrl, pastedToken(rawToken), PASTED_TOKEN_FIX));
  }

  /**
   * Signs in again with the token this tab keeps for that gateway; null when there is none. A
   * pending link token's user is looked up first: it signs in directly only when the tab has no
   * working sign-in and the link names the user this browser last signed in as; otherwise the
   * prompt asks first (a refused token changes nothing, a declined one is forgotten).
   * When the gateway cannot check the kept token (or the link's), restoreProblem says why, and
   * both are kept for retryRestore(). An answer that comes after a newer signIn(), signOut() or
   * resume() is dropped (resolving with whoever is signed in then).
   */
  async resume(gatewayUrl: string): Promise<SignedIn | null> {
    let baseUrl: string;
    try {
      baseUrl = normalizeGatewayUrl(gatewayUrl);
    } catch {
      return null;
    }
    this.generation += 1;
    const attempt: Attempt = { generation: this.generation, baseUrl, problem: null };
    const link = this.pendingToken;
    this.pendingToken = null;
    const resumed = await this.resumeWith(attempt, link);
    if (link) this.settleLink(this.current);
    if (this.isStale(attempt)) return this.current;
    this.setProblem(resumed ? null : attempt.problem);
    if (!resumed && attempt.problem && link) this.pendingToken = link; // tried again on Retry
    return resumed;
  }

  /** resume() once the gateway URL is known and the link taken. */
  private async resumeWith(attempt: Attempt, link: string | null): Promise<SignedIn | null> {
    const stored = tabStorage()?.getItem(STORAGE_PREFIX + attempt.baseUrl) ?? null;
    if (!link || link === stored) return this.trySignIn(attempt, stored ?? link);
    const current = this.current ?? (await this.trySignIn(attempt, stored));
    if (this.isStale(attempt)) return null;
    if (!current) return this.offerFirstLink(attempt, link);
    return this.offerLink(attempt, current, link);
  }

  /** Forgets the token (memory and sessionStorage). */
  signOut(): void {
    this.generation += 1;
    if (this.current) tabStorage()?.removeItem(STORAGE_PREFIX + this.current.client.baseUrl);
    this.current = null;
    this.changedSignal.emit(null);
  }

  /** True once a newer signIn(), signOut() or resume() than `attempt` began. */
  private isStale(attempt: Attempt): boolean {
    return attempt.generation !== this.generation;
  }

  /** Sets restoreProblem, telling listeners when it changed. */
  private setProblem(problem: RestoreProblem | null): void {
    if (problem === null && this.problem === null) return;
    this.problem = problem;
    this.problemSignal.emit(problem);
  }

  /** Makes `next` the signed-in user of this tab (and this browser's last user of its gateway). */
  private adopt(next: SignedIn): SignedIn {
    this.setProblem(null);
    this.current = next;
    tabStorage()?.setItem(STORAGE_PREFIX + next.client.baseUrl, next.token);
    rememberSignedInUser(next.client.baseUrl, next.user.user);
    this.changedSignal.emit(next);
    return next;
  }

  /**
   * Signs in with `token` for `attempt`, answering null on failure: forgets the stored token
   * when it is the one the gateway refused (a malformed link token leaves it), and notes the
   * problem when the gateway could not check it (unreachable, or an error of its own).
   */
  private async trySignIn(attempt: Attempt, token: string | null): Promise<SignedIn | null> {
    const next = await this.tryVerify(attempt, token);
    return next === null || this.isStale(attempt) ? null : this.adopt(next);
  }

  /** trySignIn() without signing in: whose `token` is, or null (with the same bookkeeping). */
  private async tryVerify(attempt: Attempt, token: string | null): Promise<SignedIn | null> {
    if (!token) return null;
    const key = STORAGE_PREFIX + attempt.baseUrl;
    try {
      return await verify(attempt.baseUrl, token);
    } catch (error) {
      const refused =
        error instanceof GatewayError &&
        (error.code === 'unauthenticated' || error.code === 'bad_token');
      if (!refused) attempt.problem ??= restoreProblemOf(attempt.baseUrl, error);
      else if (tabStorage()?.getItem(key) === token) tabStorage()?.removeItem(key);
      return null;
    }
  }

  /**
   * A link in a tab nobody is signed in to: signs in at once as the user this browser last signed
   * in as, and as anyone else only when the prompt says so (else the link is forgotten).
   */
  private async offerFirstLink(attempt: Attempt, link: string): Promise<SignedIn | null> {
    const next = await this.tryVerify(attempt, link);
    if (next === null || this.isStale(attempt)) return null;
    const lastUser = lastSignedInUser(next.client.baseUrl);
    if (lastUser !== next.user.user) {
      const accepted = await this.prompt.confirmFirst(next.user, lastUser).catch(() => false);
      if (!accepted || this.isStale(attempt)) return null;
    }
    return this.adopt(next);
  }

  /** Looks the link's token up and switches to its user only when the prompt says so. */
  private async offerLink(attempt: Attempt, current: SignedIn, link: string): Promise<SignedIn> {
    let next: SignedIn;
    try {
      next = await verify(attempt.baseUrl, link);
    } catch (error) {
      await this.prompt.refused(current, error).catch(() => undefined);
      return current;
    }
    if (next.user.user === current.user.user && next.client.baseUrl === current.client.baseUrl) {
      return current; // the same account: nothing to switch
    }
    const accepted = await this.prompt.confirmSwitch(current, next.user).catch(() => false);
    return accepted && !this.isStale(attempt) ? this.adopt(next) : current;
  }
}

/** The token in what was pasted: the whole of it, or the `privet-token` of a pasted sign-in link. */
function pastedToken(pasted: string): string {
  const inLink = /[#?&]privet-token=([^&#\s]*)/.exec(pasted);
  if (!inLink) return pasted;
  try {
    return decodeURIComponent(inLink[1] ?? '');
  } catch {
    return pasted; // not a link after all: its shape is checked as pasted
  }
}

/**
 * Checks a token's shape, then asks the gateway whose it is; keeps nothing. With `pastedFix`
 * (the sign-in form), a refused token's error says that instead of signing in again.
 */
async function verify(gatewayUrl: string, rawToken: string, pastedFix?: string): Promise<SignedIn> {
  const token = rawToken.trim();
  if (!TOKEN_SHAPE.test(token)) {
    throw new GatewayError(
      'that does not look like a Privet token',
      pastedFix
        ? `${pastedFix} (a token has only letters, digits, "-" and "_"), or ask a steward for a new one`
        : 'paste the whole token your steward gave you (letters, digits, "-" and "_")',
      'bad_token',
    );
  }
  const baseUrl = normalizeGatewayUrl(gatewayUrl);
  const checking = new GatewayClient(baseUrl, token, pastedFix);
  await checking.health();
  const user = await checking.whoami();
  // Once signed in, a token refused later is fixed by signing in again (the default fix).
  const client = pastedFix ? new GatewayClient(baseUrl, token) : checking;
  return { client, user, token };
}
