/**
 * Why: the gate decides what is shown, but the notebook model still holds every output, and a
 * saved .ipynb is the easiest way for one to leave (committed, mailed, opened as text, served by
 * /files). So what the notebook writes to disk goes through core's `withholdForSave`: an output
 * that does not pass review and that this session did not show as approved is written as a
 * placeholder. The document context serializes the model with `toJSON()` for every save, autosave
 * and "Save As"; JupyterLab has no hook between the model and the file, and replacing the
 * notebook's model factory would mean disabling its widget-factory plugin, so the model instance
 * gets a `toJSON` that filters. Copying cells (to JupyterLab's or the system clipboard) serializes
 * each cell model with its own `toJSON`, so code cell models get the same filter. The live notebook
 * keeps its outputs (the gate still holds them on screen); only what is serialized gets
 * placeholders. An output the gate holds on the gateway's raw-value verdict (which the local
 * engine cannot know) is withheld too, as long as the gate holds it.
 */
import type { ICellModel } from '@jupyterlab/cells';
import type { INotebookModel } from '@jupyterlab/notebook';
import type { PartialJSONObject, PartialJSONValue } from '@lumino/coreutils';
import {
  viewsUnknownFinding,
  withholdForSave,
  type NotebookLike,
  type SaveFilterOptions,
} from '@privet/core/review/index';
import type { GateHost } from './host.js';

/** The model's own serializer, per filtered model. */
const unfiltered = new WeakMap<INotebookModel, () => PartialJSONValue>();

/** Makes `model` and its code cells serialize held outputs as placeholders (once per model). */
export function filterSavedOutputs(model: INotebookModel, host: GateHost): void {
  if (unfiltered.has(model)) return;
  const serialize = model.toJSON.bind(model);
  unfiltered.set(model, serialize);
  model.toJSON = () => {
    const content = serialize();
    if (!isNotebook(content)) return content; // no cells: no outputs to withhold
    return withholdForSave(content, filterOptions(host)).notebook;
  };
  for (const cell of model.cells) filterCell(cell, host);
  model.cells.changed.connect((_, change) => {
    for (const cell of change.newValues) filterCell(cell, host);
  });
}

const filteredCells = new WeakSet<ICellModel>();

/** Makes a code cell model serialize held outputs as placeholders (copy, cut, duplicate). */
function filterCell(cell: ICellModel, host: GateHost): void {
  if (cell.type !== 'code' || filteredCells.has(cell)) return;
  filteredCells.add(cell);
  const serialize = cell.toJSON.bind(cell);
  cell.toJSON = () => {
    const json = serialize();
    const { notebook } = withholdForSave({ cells: [json] }, filterOptions(host));
    return notebook.cells[0] ?? json;
  };
}

/** The gate's current decisions, as `withholdForSave` takes them. */
function filterOptions(host: GateHost): SaveFilterOptions {
  const gate = host.gate;
  const viewsKnown = gate.checkContext() !== null;
  return {
    context: gate.saveContext(),
    approved: (text) => gate.wasApproved(host.experiment(), text),
    // As on display: held on the gateway's raw-value verdict, and (fail closed) a possible table
    // while the views are unknown.
    extraFinding: (output) =>
      gate.gatewayHold(output) ?? (viewsKnown ? null : viewsUnknownFinding(output)),
  };
}

/**
 * The notebook with every output, for the gateway's export check only: the gateway re-checks each
 * output and withholds what is not approved itself, and its manifest must count those as withheld.
 */
export function notebookForGateway(model: INotebookModel): PartialJSONValue {
  return (unfiltered.get(model) ?? (() => model.toJSON()))();
}

/** True for an nbformat notebook object (a `cells` array). */
function isNotebook(value: unknown): value is NotebookLike & PartialJSONObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { cells?: unknown }).cells)
  );
}
