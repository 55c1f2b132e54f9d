/**
 * Follows the kernel behind one notebook's or console's session: hands each change of kernel
 * (started, changed, shut down) to `onKernel`, which moves its listeners from the old connection
 * to the new one. Shared by the reply gate and the widget-state books, which both listen to the
 * kernel connection itself.
 */
import type { ISessionContext } from '@jupyterlab/apputils';
import type { Kernel } from '@jupyterlab/services';

/** Called with the kernel connection followed until now and the one to follow from now on. */
export type KernelChange = (
  previous: Kernel.IKernelConnection | null,
  next: Kernel.IKernelConnection | null,
) => void;

/** The kernel connection of one session, followed through kernel changes. */
export class SessionKernel {
  private kernel: Kernel.IKernelConnection | null = null;
  private session: ISessionContext | null = null;

  /** `onKernel` runs whenever the followed connection changes (never twice for the same one). */
  constructor(private readonly onKernel: KernelChange) {}

  /** Follows the session's kernel from now on (idempotent). */
  watch(session: ISessionContext): void {
    if (this.session === session) return;
    this.session?.kernelChanged.disconnect(this.onKernelChanged, this);
    this.session = session;
    session.kernelChanged.connect(this.onKernelChanged, this);
    this.follow(session.session?.kernel ?? null);
  }

  /** Stops following (the connection followed so far is handed over as `previous`). */
  dispose(): void {
    this.session?.kernelChanged.disconnect(this.onKernelChanged, this);
    this.session = null;
    this.follow(null);
  }

  private onKernelChanged(
    _: ISessionContext,
    change: { newValue: Kernel.IKernelConnection | null },
  ): void {
    this.follow(change.newValue);
  }

  private follow(kernel: Kernel.IKernelConnection | null): void {
    if (this.kernel === kernel) return;
    const previous = this.kernel;
    this.kernel = kernel;
    this.onKernel(previous, kernel);
  }
}
