/**
 * Finds where an output model lives in a notebook or code console (cell, indices, source) and
 * which experiment the notebook belongs to. The experiment is kept in the notebook's metadata (`privet.experiment`,
 * an id, never a secret) once Privet puts anything into the notebook.
 */
import type { ICellModel, ICodeCellModel } from '@jupyterlab/cells';
import type { CodeConsole } from '@jupyterlab/console';
import type { Notebook } from '@jupyterlab/notebook';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';

/** Notebook metadata key of Privet's binding. */
export const METADATA_KEY = 'privet';

/** Where an output sits in its notebook or console. */
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
  return cells ? findOutput(cells.length, (i) => cells.get(i), model) : null;
}

/** Finds the console cell holding `model` (by identity); null when it is not in this console. */
export function locateConsoleOutput(
  codeConsole: CodeConsole,
  model: IRenderMime.IMimeModel,
): OutputPlace | null {
  const cells = codeConsole.cells;
  return findOutput(cells.length, (i) => cells.get(i).model, model);
}

/** Searches `count` cells (by index) for the code cell whose outputs include `model`. */
function findOutput(
  count: number,
  cellAt: (index: number) => ICellModel,
  model: IRenderMime.IMimeModel,
): OutputPlace | null {
  for (let cellIndex = 0; cellIndex < count; cellIndex++) {
    const cell = cellAt(cellIndex);
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
