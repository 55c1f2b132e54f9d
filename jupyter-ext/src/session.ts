/**
 * Sign-in state of one browser tab. Why sessionStorage: the token must survive a page reload of
 * this tab but never reach disk in a notebook, the settings or localStorage shared by all tabs.
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

/** Holds who is signed in (if anyone) and tells listeners when that changes. */
export class PrivetSession {
  private current: SignedIn | null = null;
  private readonly changedSignal = new Signal<this, SignedIn | null>(this);

  /** `pendingToken` (e.g. from the URL fragment) is tried once by the first resume(). */
  constructor(private pendingToken: string | null = null) {}

  /** Emits after every sign-in and sign-out. */
  get changed(): ISignal<this, SignedIn | null> {
    return this.changedSignal;
  }

  /** The signed-in user, or null. */
  get signedIn(): SignedIn | null {
    return this.current;
  }

  /** Checks the token against the gateway (/health, then /whoami) and keeps it for this tab. */
  async signIn(gatewayUrl: string, rawToken: string): Promise<SignedIn> {
    const token = rawToken.trim();
    if (!TOKEN_SHAPE.test(token)) {
      throw new GatewayError(
        'that does not look like a Privet token',
        'paste the whole token your steward gave you (letters, digits, "-" and "_")',
        'bad_token',
      );
    }
    const baseUrl = normalizeGatewayUrl(gatewayUrl);
    const client = new GatewayClient(baseUrl, token);
    await client.health();
    const user = await client.whoami();
    this.current = { client, user, token };
    storage()?.setItem(STORAGE_PREFIX + baseUrl, token);
    this.changedSignal.emit(this.current);
    return this.current;
  }

  /** Signs in again with a token kept by this tab for that gateway; null when there is none. */
  async resume(gatewayUrl: string): Promise<SignedIn | null> {
    let baseUrl: string;
    try {
      baseUrl = normalizeGatewayUrl(gatewayUrl);
    } catch {
      return null;
    }
    const token = this.pendingToken ?? storage()?.getItem(STORAGE_PREFIX + baseUrl);
    this.pendingToken = null;
    if (!token) return null;
    try {
      return await this.signIn(baseUrl, token);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'unauthenticated') {
        storage()?.removeItem(STORAGE_PREFIX + baseUrl);
      }
      return null;
    }
  }

  /** Forgets the token (memory and sessionStorage). */
  signOut(): void {
    if (this.current) storage()?.removeItem(STORAGE_PREFIX + this.current.client.baseUrl);
    this.current = null;
    this.changedSignal.emit(null);
  }
}

/** sessionStorage when the browser allows it (it may be disabled). */
function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
