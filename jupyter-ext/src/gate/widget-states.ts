/**
 * Why: an ipywidgets output holds only a model id; what it draws comes from the kernel in comm
 * messages that never pass through an output (core's widget-state.ts). This keeps the states of
 * one notebook's (or console's) kernel twice. `received`: as messages arrive (`anyMessage` fires
 * before the kernel connection hands a message to the widget manager), so a drawn widget can be
 * held before an update that reveals data is drawn. `applied`: once the connection has handled a
 * message (`iopubMessage` fires after the widget manager's handler, which returns once the model
 * holds the new state), i.e. what a widget would draw right now. A widget is drawn only when both
 * pass, and drawn again only once the state that passes has been applied. A received state that
 * only echoes what the frontend itself sent (FrontendEchoes: a slider dragged) is marked as such.
 */
import type { ISessionContext } from '@jupyterlab/apputils';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { Signal, type ISignal } from '@lumino/signaling';
import { FrontendEchoes, WidgetStateBook, type KernelMessageLike } from '@privet/core/review/index';
import { SessionKernel } from './session-kernel.js';

/** A widget model's new state arrived: `echo` when it only repeats what the frontend sent. */
export interface WidgetStateArrival {
  model: string;
  echo: boolean;
}

/** The widget model states of the kernel behind one session. */
export class WidgetStates {
  /** States as the kernel's messages arrive (cleared when the kernel changes or restarts). */
  readonly received = new WidgetStateBook();
  /** States as the widget manager holds them (its messages handled). */
  readonly applied = new WidgetStateBook();
  /** What the frontend sent, to tell the kernel's echoes of it from state it made. */
  private readonly echoes = new FrontendEchoes();
  private readonly receivedSignal = new Signal<this, WidgetStateArrival>(this);
  private readonly appliedSignal = new Signal<this, string>(this);
  private readonly kernel = new SessionKernel((previous, next) => {
    previous?.anyMessage.disconnect(this.onReceived, this);
    previous?.iopubMessage.disconnect(this.onApplied, this);
    previous?.statusChanged.disconnect(this.onStatus, this);
    this.clear();
    next?.anyMessage.connect(this.onReceived, this);
    next?.iopubMessage.connect(this.onApplied, this);
    next?.statusChanged.connect(this.onStatus, this);
  });

  /** Emits a widget model whose new state arrived (before the widget draws it). */
  get stateReceived(): ISignal<this, WidgetStateArrival> {
    return this.receivedSignal;
  }

  /** Emits the id of a widget model once the widget manager holds its new state. */
  get stateApplied(): ISignal<this, string> {
    return this.appliedSignal;
  }

  /** Both books: what arrived and what is applied (a widget passes only if both pass). */
  books(): WidgetStateBook[] {
    return [this.received, this.applied];
  }

  /** Follows the session's kernel from now on (idempotent). */
  watch(session: ISessionContext): void {
    this.kernel.watch(session);
  }

  /** Stops listening. */
  dispose(): void {
    this.kernel.dispose();
    Signal.clearData(this);
  }

  private clear(): void {
    this.received.clear();
    this.applied.clear();
    this.echoes.clear();
  }

  private onStatus(_: Kernel.IKernelConnection, status: Kernel.Status): void {
    // A restarted kernel has no widgets: what it had must not vouch for anything.
    if (status === 'restarting' || status === 'autorestarting') this.clear();
  }

  private onReceived(_: Kernel.IKernelConnection, args: Kernel.IAnyMessageArgs): void {
    const msg = args.msg as unknown as KernelMessageLike;
    if (args.direction === 'send') {
      // The frontend's control comm: both books believe its `update_states` replies.
      this.received.apply(msg, true);
      this.applied.apply(msg, true);
      this.echoes.noteSent(msg);
      return;
    }
    const echo = this.echoes.isEcho(msg);
    for (const model of this.received.apply(msg)) this.receivedSignal.emit({ model, echo });
  }

  private onApplied(_: Kernel.IKernelConnection, msg: KernelMessage.IIOPubMessage): void {
    for (const id of this.applied.apply(msg as unknown as KernelMessageLike))
      this.appliedSignal.emit(id);
  }
}
