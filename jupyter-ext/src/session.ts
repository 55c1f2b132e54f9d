/**
 * Sign-in state of one browser tab. Why sessionStorage: the token must survive a page reload of
 * this tab but never reach disk in a notebook, the settings or localStorage shared by all tabs.
 * Why a sign-in link never replaces a signed-in user by itself: anyone can send a link carrying
 * their own token (login CSRF), and the user's queries, review requests and exports would then go
 * to the sender's account. The link's user is looked up first and the user is asked.
 */
import { Signal, type ISignal } from '@lumino/signaling';
import type { WhoAmIResponse } from '@privet/core/protocol';
import { GatewayClient, GatewayError, normalizeGatewayUrl } from './client.js';

const STORAGE_PREFIX = 'privet:token:';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{8,200}$/;

/** A signed-in user of one gateway. */
export interface SignedIn {
  client: GatewayClient;
  user: WhoAmIResponse;
  token: string;
}

/** Asks the user about a sign-in link that names someone other than the signed-in user. */
export interface LinkSignInPrompt {
  /** Resolves true only when the user chooses to leave `current` for the link's user. */
  confirmSwitch(current: SignedIn, link: WhoAmIResponse): Promise<boolean>;
  /** Tells the user the gateway refused the link's token, so `current` stays signed in. */
  refused(current: SignedIn, error: unknown): Promise<void>;
}

/** Why the sign-in this tab keeps could not be restored (the gateway did not answer, …). */
export interface RestoreProblem {
  /** The gateway the kept sign-in is for. */
  gatewayUrl: string;
  /** What happened, e.g. that the gateway is unreachable. */
  message: string;
  /** How to fix it, ending with the Retry that resumes the kept sign-in. */
  fix: string;
}

/** The RestoreProblem of a kept token the gateway at `baseUrl` could not check. */
export function restoreProblemOf(baseUrl: string, error: unknown): RestoreProblem {
  if (error instanceof GatewayError && error.code === 'unreachable') {
    return {
      gatewayUrl: baseUrl,
      message: `The Privet gateway at ${baseUrl} is unreachable, so your sign-in in this tab could not be restored.`,
      fix: `start the gateway (npm start) or check the gateway URL in Settings → Privet, then choose Retry`,
    };
  }
  const why = error instanceof Error ? error.message : 'the gateway gave no answer';
  const fix = error instanceof GatewayError && error.fix ? error.fix : 'check the gateway log';
  return {
    gatewayUrl: baseUrl,
    message: `Your sign-in in this tab could not be restored from the Privet gateway at ${baseUrl}: ${why}.`,
    fix: `${fix}, then choose Retry`,
  };
}

/** Without a way to ask, a link for another user is ignored and the signed-in user stays. */
const KEEP_CURRENT: LinkSignInPrompt = {
  confirmSwitch: () => Promise.resolve(false),
  refused: () => Promise.resolve(),
};

/** Holds who is signed in (if anyone) and tells listeners when that changes. */
export class PrivetSession {
  private current: SignedIn | null = null;
  private readonly changedSignal = new Signal<this, SignedIn | null>(this);
  private problem: RestoreProblem | null = null;
  private readonly problemSignal = new Signal<this, RestoreProblem | null>(this);
  /** The gateway of the last resume(), for retryRestore(). */
  private resumedUrl: string | null = null;

  /**
   * `pendingToken` (e.g. from the URL fragment) is tried once by the first resume(); `prompt`
   * decides when it names another user than the one this tab is signed in as.
   */
  constructor(
    private pendingToken: string | null = null,
    private readonly prompt: LinkSignInPrompt = KEEP_CURRENT,
  ) {}

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

  /** Resumes again with the gateway of the last resume() (Retry after a RestoreProblem). */
  async retryRestore(): Promise<SignedIn | null> {
    return this.resumedUrl === null ? null : this.resume(this.resumedUrl);
  }

  /** Checks the token against the gateway (/health, then /whoami) and keeps it for this tab. */
  async signIn(gatewayUrl: string, rawToken: string): Promise<SignedIn> {
    return this.adopt(await verify(gatewayUrl, rawToken));
  }

  /**
   * Signs in again with the token this tab keeps for that gateway; null when there is none. A
   * pending link token signs in directly only when the tab has no working sign-in: otherwise its
   * user is looked up and the prompt asks before switching (a refused token changes nothing).
   * When the gateway cannot check the kept token (or the link's), restoreProblem says why, and
   * both are kept for retryRestore().
   */
  async resume(gatewayUrl: string): Promise<SignedIn | null> {
    let baseUrl: string;
    try {
      baseUrl = normalizeGatewayUrl(gatewayUrl);
    } catch {
      return null;
    }
    this.resumedUrl = baseUrl;
    this.setProblem(null);
    const link = this.pendingToken;
    this.pendingToken = null;
    const resumed = await this.resumeWith(baseUrl, link);
    if (!resumed && this.problem && link) this.pendingToken = link; // tried again on Retry
    return resumed;
  }

  /** resume() once the gateway URL is known and the link taken. */
  private async resumeWith(baseUrl: string, link: string | null): Promise<SignedIn | null> {
    const stored = storage()?.getItem(STORAGE_PREFIX + baseUrl) ?? null;
    if (!link || link === stored) return this.trySignIn(baseUrl, stored ?? link);
    const current = this.current ?? (await this.trySignIn(baseUrl, stored));
    if (!current) return this.trySignIn(baseUrl, link);
    return this.offerLink(current, baseUrl, link);
  }

  /** Forgets the token (memory and sessionStorage). */
  signOut(): void {
    if (this.current) storage()?.removeItem(STORAGE_PREFIX + this.current.client.baseUrl);
    this.current = null;
    this.changedSignal.emit(null);
  }

  /** Sets restoreProblem, telling listeners when it changed. */
  private setProblem(problem: RestoreProblem | null): void {
    if (problem === null && this.problem === null) return;
    this.problem = problem;
    this.problemSignal.emit(problem);
  }

  /** Makes `next` the signed-in user of this tab. */
  private adopt(next: SignedIn): SignedIn {
    this.setProblem(null);
    this.current = next;
    storage()?.setItem(STORAGE_PREFIX + next.client.baseUrl, next.token);
    this.changedSignal.emit(next);
    return next;
  }

  /**
   * signIn() that answers null on failure: forgets a stored token the gateway refuses, and sets
   * restoreProblem when the gateway could not check it (unreachable, or an error of its own).
   */
  private async trySignIn(baseUrl: string, token: string | null): Promise<SignedIn | null> {
    if (!token) return null;
    try {
      return await this.signIn(baseUrl, token);
    } catch (error) {
      const refused =
        error instanceof GatewayError &&
        (error.code === 'unauthenticated' || error.code === 'bad_token');
      if (refused) storage()?.removeItem(STORAGE_PREFIX + baseUrl);
      else this.setProblem(restoreProblemOf(baseUrl, error));
      return null;
    }
  }

  /** Looks the link's token up and switches to its user only when the prompt says so. */
  private async offerLink(current: SignedIn, baseUrl: string, link: string): Promise<SignedIn> {
    let next: SignedIn;
    try {
      next = await verify(baseUrl, link);
    } catch (error) {
      await this.prompt.refused(current, error).catch(() => undefined);
      return current;
    }
    if (next.user.user === current.user.user && next.client.baseUrl === current.client.baseUrl) {
      return current; // the same account: nothing to switch
    }
    const accepted = await this.prompt.confirmSwitch(current, next.user).catch(() => false);
    return accepted ? this.adopt(next) : current;
  }
}

/** Checks a token's shape, then asks the gateway whose it is; keeps nothing. */
async function verify(gatewayUrl: string, rawToken: string): Promise<SignedIn> {
  const token = rawToken.trim();
  if (!TOKEN_SHAPE.test(token)) {
    throw new GatewayError(
      'that does not look like a Privet token',
      'paste the whole token your steward gave you (letters, digits, "-" and "_")',
      'bad_token',
    );
  }
  const client = new GatewayClient(normalizeGatewayUrl(gatewayUrl), token);
  await client.health();
  const user = await client.whoami();
  return { client, user, token };
}

/** sessionStorage when the browser allows it (it may be disabled). */
function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
