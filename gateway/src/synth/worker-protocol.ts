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
  /** The first random draw of the job: from here on, a failure is a DP outcome. */
  | { type: 'noise' }
  | { type: 'done'; result: SynthJobResult }
  | { type: 'error'; code: string; message: string; fix: string };
