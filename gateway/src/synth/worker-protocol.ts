// Why: the messages between the publishing thread and the synthesis worker, defined once. Rationals
// and class instances do not survive structured cloning, so amounts travel as exact rational text.
import type { ViewWarning } from '@privet/core';
import type { FidelityReport } from '@privet/core/synth/fidelity-types';
import type { SynthStage } from '@privet/core/synth/options';
import type { RawValues, SyntheticValues, ViewColumn } from '@privet/core/synth/view';

/** What the worker is asked to do: synthesize one view and compute its fidelity report. */
export interface SynthJob {
  view: string;
  columns: ViewColumn[];
  raw: RawValues[];
  epsilon: number;
  delta: number;
  /** Secret seed of the ChaCha20 stream (never logged; the manifest holds only its hash). */
  seed: string;
  rows?: number;
  target?: string;
  createdAt: string;
  /** Tests only: the gateway never sets it. */
  test?: SynthJobTestHooks;
}

/** Hooks tests set on a job to observe and break its first random draw. */
export interface SynthJobTestHooks {
  /** The job dies of an uncaught error just before or just after its first random draw, as a crash would. */
  crash?: 'before-first-draw' | 'after-first-draw';
  /** Shared with the test: element 0 is set to 1 (and notified) right after the first draw. */
  firstDrawn?: Int32Array;
}

/** One measurement with exact rational amounts as text. */
export interface MeasurementText {
  kind: string;
  attrs: string[];
  rho: string;
  sigma2?: string;
  epsilon?: string;
  delta?: number;
}

/** What the worker returns. */
export interface SynthJobResult {
  values: SyntheticValues[];
  rows: number;
  measurements: MeasurementText[];
  rhoTotal: string;
  rhoSpent: string;
  structure: { column: string; parents: string[]; level: 'fine' | 'coarse' }[];
  fidelity: FidelityReport;
  /** Columns the published values cannot serve (no value survived DP discovery). */
  warnings: ViewWarning[];
}

/** Worker → parent messages. */
export type WorkerMessage =
  | { type: 'progress'; stage: SynthStage | 'fidelity'; fraction: number }
  /**
   * The job is about to draw its first random number: from here on, a failure is a DP outcome.
   * The worker draws nothing until the parent has recorded it and set the shared noise ack.
   */
  | { type: 'noise' }
  | { type: 'done'; result: SynthJobResult }
  | { type: 'error'; code: string; message: string; fix: string };
