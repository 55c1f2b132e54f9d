/**
 * The gateway token inside notebook kernels, kept in step with the tab's sign-in. "Use in
 * notebook" gives a kernel the token. Why follow the sign-in: otherwise a later sign-in (a new
 * token after the old one expired, another user) or a sign-out would leave the old token in that
 * kernel, and its "load view" cells would keep failing or keep running as the old user (or as a
 * signed-out one). Why only kernels Privet gave a token: other
 * kernels never asked for one and must not receive it. Why the silent execution: the token must
 * never be written into a notebook, so it travels as an execute request with no history, no
 * output and no cell, and the inserted cells read it from os.environ.
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { ISignal } from '@lumino/signaling';
import type { SignedIn } from './session.js';

/** Name of the kernel environment variable holding the token. */
export const TOKEN_ENV = 'PRIVET_TOKEN';

/** The parts of a JupyterLab kernel connection that the token keeper uses. */
export type TokenKernel = Pick<
  Kernel.IKernelConnection,
  'isDisposed' | 'status' | 'statusChanged' | 'disposed' | 'requestExecute'
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

/** Python that sets the token in the kernel's environment (sent silently, never shown). */
function setTokenCode(token: string): string {
  return `import os as _o\n_o.environ[${JSON.stringify(TOKEN_ENV)}] = ${JSON.stringify(token)}\ndel _o`;
}

/** Python that removes the token from the kernel's environment. */
const UNSET_TOKEN_CODE = `import os as _o\n_o.environ.pop(${JSON.stringify(TOKEN_ENV)}, None)\ndel _o`;

/**
 * The kernels "Use in notebook" gave a token, each with the gateway it was for. When the sign-in
 * changes, a kernel gets the new token when it is for the same gateway (its cells load from that
 * gateway's URLs), and loses its token otherwise (signed out, or signed in to another gateway,
 * which must not receive this one's cells' requests with its token). A kernel stays known while
 * signed out, so signing in again gives it the new token; a restarted, dead or closed kernel is
 * forgotten (it holds no token any more, and a new one comes only from "Use in notebook").
 */
export class KernelTokens {
  private readonly gateways = new Map<TokenKernel, string>();
  private source: SignInSource | null = null;

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
    if (!this.gateways.has(kernel)) {
      kernel.statusChanged.connect(this.onStatusChanged, this);
      kernel.disposed.connect(this.forget, this);
    }
    this.gateways.set(kernel, signedIn.client.baseUrl);
    const current = this.source ? this.source.signedIn : signedIn;
    const status = await run(kernel, this.codeFor(signedIn.client.baseUrl, current));
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
   * kept and warned about.
   */
  async update(signedIn: SignedIn | null): Promise<void> {
    const runs: Promise<void>[] = [];
    for (const [kernel, gateway] of this.gateways) {
      if (kernel.isDisposed || LOST.has(kernel.status)) {
        this.forget(kernel);
        continue;
      }
      runs.push(this.updateOne(kernel, this.codeFor(gateway, signedIn)));
    }
    await Promise.all(runs);
  }

  /** update() for one kernel. */
  private async updateOne(kernel: TokenKernel, code: string): Promise<void> {
    let status: string;
    try {
      status = await run(kernel, code);
    } catch {
      this.forget(kernel); // it died, restarted or closed meanwhile: it holds no token now
      return;
    }
    if (status !== 'ok') {
      console.warn(
        `Privet: a notebook kernel did not take the new sign-in (it answered "${status}"). ` +
          "Fix: click 'Use in notebook' on the view again once its running cells finish.",
      );
    }
  }

  /** The code that brings a kernel given a token for `gateway` in step with `signedIn`. */
  private codeFor(gateway: string, signedIn: SignedIn | null): string {
    return signedIn && signedIn.client.baseUrl === gateway
      ? setTokenCode(signedIn.token)
      : UNSET_TOKEN_CODE;
  }

  /** Slot of the followed session's `changed`. */
  private onSignInChanged(_sender: object, signedIn: SignedIn | null): void {
    void this.update(signedIn);
  }

  /** Slot of a kernel's `statusChanged`: a restarted or dead kernel holds no token any more. */
  private onStatusChanged(kernel: TokenKernel, status: KernelMessage.Status): void {
    if (LOST.has(status)) this.forget(kernel);
  }

  /** Stops following `kernel`. */
  private forget(kernel: TokenKernel): void {
    if (!this.gateways.delete(kernel)) return;
    kernel.statusChanged.disconnect(this.onStatusChanged, this);
    kernel.disposed.disconnect(this.forget, this);
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
