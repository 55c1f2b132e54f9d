/**
 * "Export approved results": the notebook as it is now (held outputs included, not the placeholders
 * a save writes) goes to POST /exports; the gateway checks every output again (export mode), keeps
 * only passed or approved ones, signs the manifest and returns the bundle. The bundle is saved beside the notebook (`<name>.privet-export.json`, via
 * the Jupyter contents API, which writes atomically) and a dialog says what was withheld.
 * JupyterLab's own download and "Save and Export Notebook As…" plugins are disabled in
 * package.json (`disabledExtensions`), so this is the way out of the notebook UI.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { JupyterFrontEnd } from '@jupyterlab/application';
import { Widget } from '@lumino/widgets';
import type { ExportBundle } from '@privet/core/protocol';
import type { GatewayClient } from '../client.js';
import { notebookForGateway } from '../gate/save-filter.js';

/** Path of the bundle saved beside `notebookPath`. */
export function bundlePath(notebookPath: string): string {
  return notebookPath.replace(/\.ipynb$/i, '') + '.privet-export.json';
}

/** One line per withheld output or cell source: where it was and which rules fired. */
export function withheldLines(bundle: ExportBundle): string[] {
  const outputs = bundle.manifest.outputs
    .filter((o) => o.status === 'withheld')
    .map(
      (o) =>
        `cell ${o.cellIndex + 1}, output ${o.outputIndex + 1}: ${o.rules?.length ? o.rules.join(', ') : 'not approved'}`,
    );
  const sources = bundle.manifest.withheldSources.map(
    (s) =>
      `cell ${s.cellIndex + 1}, source: ${s.rules.join(', ')} (edit the cell to leave these values out, then export again)`,
  );
  return [...outputs, ...sources];
}

/** Exports the notebook through the gateway and saves the signed bundle; returns its path. */
export async function exportApproved(
  panel: NotebookPanel,
  client: GatewayClient,
  experiment: string,
  contents: JupyterFrontEnd['serviceManager']['contents'],
): Promise<{ path: string; bundle: ExportBundle }> {
  const notebook = notebookForGateway(panel.context.model) as Record<string, unknown>;
  const bundle = await client.createExport({
    experiment,
    name: panel.context.path,
    notebook,
  });
  const path = bundlePath(panel.context.path);
  await contents.save(path, {
    type: 'file',
    format: 'text',
    content: JSON.stringify(bundle, null, 2) + '\n',
  });
  return { path, bundle };
}

/** Tells the user where the bundle is and what was withheld. */
export async function showExportResult(path: string, bundle: ExportBundle): Promise<void> {
  const body = document.createElement('div');
  body.className = 'jp-Privet-exportResult';
  const counts = { passed: 0, approved: 0, withheld: 0 };
  for (const o of bundle.manifest.outputs) counts[o.status] += 1;
  const summary = document.createElement('p');
  const sources = bundle.manifest.withheldSources.length;
  summary.textContent =
    `Saved the signed bundle ${path} (key ${bundle.manifest.keyId.slice(0, 12)}…): ${counts.passed} passed, ${counts.approved} approved, ${counts.withheld} withheld` +
    (sources > 0 ? `; ${sources} cell source(s) withheld` : '') +
    (bundle.manifest.withheldKernelNames ? '; kernel names withheld.' : '.');
  body.appendChild(summary);
  const lines = withheldLines(bundle);
  if (lines.length > 0) {
    const title = document.createElement('p');
    title.textContent = 'Withheld (not in the bundle):';
    const list = document.createElement('ul');
    list.className = 'jp-Privet-exportWithheld';
    for (const line of lines) {
      const item = document.createElement('li');
      item.textContent = line;
      list.appendChild(item);
    }
    body.append(title, list);
  }
  const widget = new Widget({ node: body });
  await showDialog({
    title: 'Approved results exported',
    body: widget,
    buttons: [Dialog.okButton({ label: 'Close' })],
  });
}
