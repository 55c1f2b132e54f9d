/**
 * The gateway token inside notebook kernels, kept in step with the tab's sign-in. "Use in
 * notebook" gives a kernel the token. Why follow the sign-in: otherwise a later sign-in (a new
 * token after the old one expired, another user) or a sign-out would leave the old token in that
 * kernel, and its "load view" cells would keep failing or keep running as the old user (or as a
 * signed-out one). Why only the same user's new token: a kernel given an analyst's token runs
 * that analyst's code, which must not silently receive a steward's or another user's token when
 * the tab signs in as them; it loses the token instead. Why only kernels Privet gave a token: other
 * kernels never asked for one and must not receive it. Why the silent execution: the token must
 * never be written into a notebook, so it travels as an execute request with no history, no
 * output and no cell, and the inserted cells read it from os.environ. Why the record in
 * sessionStorage (kernel-token-record.ts): the kernels outlive a page reload with the token in
 * their environment while the sign-in is restored, so on start reattach() follows them again.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { ISignal } from '@lumino/signaling';
import { KernelRecord } from './kernel-token-record.js';
import {
  connectTo,
  listRunning,
  warnUnreached,
  type RunningKernels,
} from './kernel-token-running.js';
import type { SignedIn } from './session.js';

/** Name of the kernel environment variable holding the token. */
export const TOKEN_ENV = 'PRIVET_TOKEN';

/**
 * Name of the kernel environment variable holding the base URL of the token's gateway: load_view
 * sends the token to no other address (a pasted cell naming another host would get it otherwise).
 */
export const GATEWAY_ENV = 'PRIVET_GATEWAY';

/** The parts of a JupyterLab kernel connection that the token keeper uses. */
export type TokenKernel = Pick<
  Kernel.IKernelConnection,
  'id' | 'isDisposed' | 'status' | 'statusChanged' | 'disposed' | 'dispose' | 'requestExecute'
>;

/** Where the sign-in changes come from: the tab's PrivetSession (session.ts). */
export interface SignInSource {
  /** Emits after every sign-in and sign-out. */
  readonly changed: ISignal<object, SignedIn | null>;
  /** The signed-in user, or null. */
  readonly signedIn: SignedIn | null;
}

/** Statuses after which a kernel no longer holds what it was given (a new process, or none). */
const LOST: ReadonlySet<KernelMessage.Status> = new Set(['restarting', 'autorestarting', 'dead']);

/** Python that sets the token and its gateway in the kernel's environment (sent silently). */
function setTokenCode(token: string, gateway: string): string {
  return [
    'import os as _o',
    `_o.environ[${JSON.stringify(GATEWAY_ENV)}] = ${JSON.stringify(gateway)}`,
    `_o.environ[${JSON.stringify(TOKEN_ENV)}] = ${JSON.stringify(token)}`,
    'del _o',
  ].join('\n');
}

/** Python that removes the token and its gateway from the kernel's environment. */
const UNSET_TOKEN_CODE = [
  'import os as _o',
  `_o.environ.pop(${JSON.stringify(TOKEN_ENV)}, None)`,
  `_o.environ.pop(${JSON.stringify(GATEWAY_ENV)}, None)`,
  'del _o',
].join('\n');

/** Whose token a kernel was given: the gateway's base URL and the user. */
interface TokenHolder {
  readonly gateway: string;
  readonly user: string;
}

/**
 * The kernels "Use in notebook" gave a token, each with the gateway and user it was for. When the
 * sign-in changes, a kernel gets the new token when it is the same user's at the same gateway
 * (its cells load from that gateway's URLs), and loses its token otherwise (signed out, signed in
 * as another user, or to another gateway, which must not receive this one's cells' requests with
 * its token). A kernel stays known while signed out or signed in as someone else, so the same user
 * signing in again gives it the new token; a restarted, dead or closed kernel is forgotten (it
 * holds no token any more, and a new one comes only from "Use in notebook"). The ids of the known
 * kernels, their gateways and users are kept in `record`, for reattach() after a reload.
 */
export class KernelTokens {
  private readonly gateways = new Map<TokenKernel, TokenHolder>();
  /** The connections reattach() opened: closed when their kernel is forgotten. */
  private readonly owned = new Set<TokenKernel>();
  private source: SignInSource | null = null;
  /** Where reattach() finds the running kernels (set by its first call). */
  private running: RunningKernels | null = null;
  /** The reattach() in progress, so two never open connections to the same kernel. */
  private reattaching: Promise<void> = Promise.resolve();

  /** `record` keeps which kernels were given a token (by default in the tab's sessionStorage). */
  constructor(private readonly record: KernelRecord = new KernelRecord()) {}

  /** Follows `source`'s sign-in changes from now on (again for the same source: no change). */
  follow(source: SignInSource): void {
    if (this.source === source) return;
    this.source?.changed.disconnect(this.onSignInChanged, this);
    this.source = source;
    source.changed.connect(this.onSignInChanged, this);
  }

  /**
   * Gives `kernel` the token of `signedIn` and keeps it in step from now on. When a followed
   * session changed since `signedIn` was read, the kernel gets the current state instead. Throws
   * when the kernel cannot run the request, as "Use in notebook" should then say so.
   */
  async give(kernel: TokenKernel, signedIn: SignedIn): Promise<void> {
    const holder = { gateway: signedIn.client.baseUrl, user: signedIn.user.user };
    this.track(kernel, holder);
    const current = this.source ? this.source.signedIn : signedIn;
    const status = await run(kernel, this.codeFor(holder, current));
    if (status !== 'ok') {
      throw Object.assign(
        new Error(`the notebook's kernel did not take the gateway token (it answered "${status}")`),
        { fix: "wait until its running cells finish, then click 'Use in notebook' again" },
      );
    }
  }

  /**
   * Brings every known kernel in step with `signedIn` (null: signed out). Never throws: a kernel
   * that cannot take the request (dead, restarting, closed) is forgotten; one that refused it is
   * kept and warned about. A kernel whose connection was closed (its notebook closed, the kernel
   * left running) stays in the record, for reattach() to reach after the next sign-in change.
   */
  async update(signedIn: SignedIn | null): Promise<void> {
    const runs: Promise<void>[] = [];
    for (const [kernel, holder] of this.gateways) {
      if (kernel.isDisposed || LOST.has(kernel.status)) {
        this.forget(kernel, !LOST.has(kernel.status));
        continue;
      }
      runs.push(this.updateOne(kernel, this.codeFor(holder, signedIn)));
    }
    await Promise.all(runs);
  }

  /**
   * After a page reload: follows again the kernels this tab gave a token that still run (opening
   * its own connection to each), brings them in step with the followed session's current sign-in
   * (signed out when none is followed) and forgets the remembered ones that no longer run. Call
   * follow() first: a later sign-in change then reaches them too, and also reaches (through
   * `kernels`, again) a kernel whose notebook was closed with the kernel left running. Never
   * throws: when the running kernels cannot be listed or connected to, it warns once and says how
   * to fix it.
   */
  reattach(kernels: RunningKernels): Promise<void> {
    this.running = kernels;
    const next = this.reattaching.then(() => this.reattachNow(kernels));
    this.reattaching = next;
    return next;
  }

  /** reattach(), once the one before it is done. */
  private async reattachNow(kernels: RunningKernels): Promise<void> {
    const remembered = this.record.list().filter(({ id }) => !this.isKnown(id));
    if (remembered.length === 0) return;
    const running = await listRunning(kernels, remembered.length);
    if (!running) return;
    const signedIn = this.source?.signedIn ?? null;
    const failed: string[] = [];
    const runs: Promise<void>[] = [];
    for (const { id, gateway, user } of remembered) {
      const model = running.get(id);
      if (!model) {
        this.record.forget(id); // it no longer runs: no process holds the token
        continue;
      }
      if (this.isKnown(id)) continue; // followed meanwhile ("Use in notebook")
      const kernel = connectTo(kernels, model, failed);
      if (!kernel) continue;
      this.owned.add(kernel);
      this.track(kernel, { gateway, user });
      runs.push(this.updateOne(kernel, this.codeFor({ gateway, user }, signedIn)));
    }
    warnUnreached(failed);
    await Promise.all(runs);
  }

  /** Follows `kernel` as given the token of `holder`, and records it. */
  private track(kernel: TokenKernel, holder: TokenHolder): void {
    if (!this.gateways.has(kernel)) {
      // A connection reattach() opened to the same kernel is replaced by this one.
      for (const other of this.owned) if (other.id === kernel.id) this.forget(other);
      kernel.statusChanged.connect(this.onStatusChanged, this);
      kernel.disposed.connect(this.onDisposed, this);
    }
    this.gateways.set(kernel, holder);
    this.record.remember(kernel.id, holder.gateway, holder.user);
  }

  /** True when a known connection is to the kernel `id`. */
  private isKnown(id: string): boolean {
    for (const kernel of this.gateways.keys()) if (kernel.id === id) return true;
    return false;
  }

  /** update() for one kernel. */
  private async updateOne(kernel: TokenKernel, code: string): Promise<void> {
    let status: string;
    try {
      status = await run(kernel, code);
    } catch {
      // It died or restarted meanwhile (it holds no token now), or its connection was closed
      // (the kernel may still run with the token: kept in the record for reattach()).
      this.forget(kernel, !LOST.has(kernel.status));
      return;
    }
    if (status !== 'ok') {
      console.warn(
        `Privet: a notebook kernel did not take the new sign-in (it answered "${status}"). ` +
          "Fix: click 'Use in notebook' on the view again once its running cells finish.",
      );
    }
  }

  /** The code that brings a kernel given `holder`'s token in step with `signedIn`. */
  private codeFor(holder: TokenHolder, signedIn: SignedIn | null): string {
    return signedIn &&
      signedIn.client.baseUrl === holder.gateway &&
      holder.user !== '' &&
      signedIn.user.user === holder.user
      ? setTokenCode(signedIn.token, holder.gateway)
      : UNSET_TOKEN_CODE;
  }

  /** Slot of the followed session's `changed`. */
  private onSignInChanged(_sender: object, signedIn: SignedIn | null): void {
    void this.update(signedIn);
    if (this.running) void this.reattach(this.running);
  }

  /** Slot of a kernel's `statusChanged`: a restarted or dead kernel holds no token any more. */
  private onStatusChanged(kernel: TokenKernel, status: KernelMessage.Status): void {
    if (LOST.has(status)) this.forget(kernel);
  }

  /** Slot of a connection's `disposed`: its notebook closed; the kernel may still run. */
  private onDisposed(kernel: TokenKernel): void {
    this.forget(kernel, true);
  }

  /**
   * Stops following the connection `kernel` (and closes it when reattach() opened it). Unless
   * `keepRecord` (the kernel may still run with the token), it is dropped from the record too.
   */
  private forget(kernel: TokenKernel, keepRecord = false): void {
    if (!this.gateways.delete(kernel)) return;
    kernel.statusChanged.disconnect(this.onStatusChanged, this);
    kernel.disposed.disconnect(this.onDisposed, this);
    if (!keepRecord && !this.isKnown(kernel.id)) this.record.forget(kernel.id);
    // After the signal being handled (e.g. its statusChanged) has reached everyone.
    if (this.owned.delete(kernel)) void Promise.resolve().then(() => kernel.dispose());
  }
}

/**
 * Runs `code` silently in `kernel` (no history, no output, no cell, and no abort of the cells
 * queued behind it) and answers the reply's status. Rejects when the kernel cannot take it.
 */
async function run(kernel: TokenKernel, code: string): Promise<string> {
  const future = kernel.requestExecute({
    code,
    silent: true,
    store_history: false,
    allow_stdin: false,
    stop_on_error: false,
  });
  const reply = await future.done;
  return reply.content.status;
}
