/**
 * Why: a stderr write between two stdout writes splits a cell's stdout into separate outputs, and
 * each output is gated on its own. A table printed row by row with progress on stderr would then
 * arrive as one-row outputs that each pass alone. Each part is therefore checked with the earlier
 * parts of its stream as context (GatedOutput), and, as in the save filter, a part held on its own
 * findings holds every other part of that stream in the cell. This registry records which stream
 * outputs are held on their own findings and signals when that changes, so the other parts decide
 * again.
 */
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Signal, type ISignal } from '@lumino/signaling';
import type { Finding } from '@privet/core/review/index';

/** A stream output held on its own findings. */
export interface HeldStreamPart {
  /** The stream's name (stdout or stderr). */
  name: string;
  verdict: 'flag' | 'block';
  findings: readonly Finding[];
}

/** Which stream outputs of one notebook (or console) are held on their own findings. */
export class StreamParts {
  private readonly held = new WeakMap<IRenderMime.IMimeModel, HeldStreamPart>();
  private readonly changedSignal = new Signal<this, void>(this);

  /** Emitted when a stream output became held on its own findings, or stopped being held. */
  get changed(): ISignal<this, void> {
    return this.changedSignal;
  }

  /** Records that `model` is held on its own findings (`part`), or is not (null). */
  set(model: IRenderMime.IMimeModel, part: HeldStreamPart | null): void {
    const was = this.held.get(model);
    if (part === null) {
      if (!was) return;
      this.held.delete(model);
    } else {
      if (was && was.verdict === part.verdict && sameRules(was.findings, part.findings)) return;
      this.held.set(model, part);
    }
    this.changedSignal.emit();
  }

  /** The parts of stream `name` among `outputs`, other than `self`, held on their own findings. */
  heldAmong(
    outputs: Iterable<IRenderMime.IMimeModel>,
    self: IRenderMime.IMimeModel,
    name: string,
  ): HeldStreamPart[] {
    const parts: HeldStreamPart[] = [];
    for (const model of outputs) {
      const part = model === self ? undefined : this.held.get(model);
      if (part?.name === name) parts.push(part);
    }
    return parts;
  }
}

/** True when both lists name the same rules, in order. */
function sameRules(a: readonly Finding[], b: readonly Finding[]): boolean {
  return a.length === b.length && a.every((f, i) => f.rule === b[i]!.rule);
}
