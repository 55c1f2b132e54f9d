/**
 * Finds where an output model lives in a notebook (cell, indices, source) and which experiment
 * the notebook belongs to. The experiment is kept in the notebook's metadata (`privet.experiment`,
 * an id, never a secret) once Privet puts anything into the notebook.
 */
import type { ICodeCellModel } from '@jupyterlab/cells';
import type { Notebook } from '@jupyterlab/notebook';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

/** Notebook metadata key of Privet's binding. */
export const METADATA_KEY = 'privet';

/** Where an output sits in its notebook. */
export interface OutputPlace {
  cell: ICodeCellModel;
  cellIndex: number;
  outputIndex: number;
}

/** Finds the code cell holding `model` (by identity); null when it is not in this notebook. */
export function locateOutput(
  notebook: Notebook,
  model: IRenderMime.IMimeModel,
): OutputPlace | null {
  const cells = notebook.model?.cells;
  if (!cells) return null;
  for (let cellIndex = 0; cellIndex < cells.length; cellIndex++) {
    const cell = cells.get(cellIndex);
    if (cell.type !== 'code') continue;
    const outputs = (cell as ICodeCellModel).outputs;
    for (let outputIndex = 0; outputIndex < outputs.length; outputIndex++) {
      if (outputs.get(outputIndex) === model) {
        return { cell: cell as ICodeCellModel, cellIndex, outputIndex };
      }
    }
  }
  return null;
}

/** The experiment id stored in the notebook's metadata, or null. */
export function notebookExperiment(notebook: Notebook | null): string | null {
  const meta = notebook?.model?.getMetadata(METADATA_KEY) as { experiment?: unknown } | undefined;
  return typeof meta?.experiment === 'string' && meta.experiment !== '' ? meta.experiment : null;
}

/** Binds the notebook to an experiment (kept in its metadata). */
export function bindExperiment(notebook: Notebook, experiment: string): void {
  if (notebookExperiment(notebook) === experiment) return;
  notebook.model?.setMetadata(METADATA_KEY, { experiment });
}
