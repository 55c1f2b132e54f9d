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
 * placeholders. The gateway's raw-value verdicts, which the local engine cannot know, count too
 * (gate.ts `savedHold`, verdict-memory.ts): an output whose content showed a raw value, or that the
 * gateway could not check, is withheld until a later clear verdict on it, signed in or not; and
 * while a check is possible (signed in, with an experiment) an output is written as it is only
 * once the gateway cleared its content — one still being checked, or never rendered (beyond
 * JupyterLab's `maxNumberOutputs`), is withheld and asked about, so a later save writes it.
 */
import type { ICellModel } from '@jupyterlab/cells';
import type { INotebookModel } from '@jupyterlab/notebook';
import type { PartialJSONObject, PartialJSONValue } from '@lumino/coreutils';
import {
  streamContextBefore,
  viewsUnknownFinding,
  withholdForSave,
  type NotebookLike,
  type NotebookOutput,
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
    return withholdForSave(content, filterOptions(host, content)).notebook;
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
    const copied = { cells: [json] };
    const { notebook } = withholdForSave(copied, filterOptions(host, copied));
    return notebook.cells[0] ?? json;
  };
}

/** The gate's current decisions on the outputs of `notebook`, as `withholdForSave` takes them. */
function filterOptions(host: GateHost, notebook: NotebookLike): SaveFilterOptions {
  const gate = host.gate;
  const experiment = host.experiment();
  const viewsKnown = gate.checkContext() !== null;
  const before = streamContexts(notebook);
  return {
    context: gate.saveContext(),
    approved: (text) => gate.wasApproved(experiment, text),
    // As on display: the gateway's raw-value verdict (or the lack of one while a check is
    // possible), and (fail closed) a possible table while the views are unknown.
    extraFinding: (output) =>
      gate.savedHold(experiment, output, before.get(output) ?? '') ??
      (viewsKnown ? null : viewsUnknownFinding(output)),
  };
}

/** Per stream output of `notebook`, the earlier parts of its stream in its cell (as on display). */
function streamContexts(notebook: NotebookLike): Map<NotebookOutput, string> {
  const contexts = new Map<NotebookOutput, string>();
  for (const cell of notebook.cells) {
    const outputs = cell.outputs;
    if (!Array.isArray(outputs)) continue;
    outputs.forEach((output: unknown, index) => {
      const o = output as NotebookOutput | null;
      if (o?.output_type === 'stream') contexts.set(o, streamContextBefore(outputs, index, o.name));
    });
  }
  return contexts;
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
