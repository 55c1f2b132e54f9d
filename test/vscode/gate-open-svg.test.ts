/**
 * Opening a notebook from its file: outputs of a type another renderer may draw are gated at once
 * rather than after the open-time check asks the gateway (up to 10 s). SVG counts among them: in
 * Jupyter notebooks VS Code prefers the Jupyter extension's renderers (ms-toolsai.jupyter-renderers)
 * to Privet's gate renderer, so a flagged SVG would be drawn unchecked until the swap.
 * vscode-ext/src/notebook/gate.ts (drawnElsewhere). Run with an in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';
import { setUpGate } from './gate-harness.js';

// Loaded after register.js has made 'vscode' resolve to the fake (static imports link first).
const fake = (await import('vscode')) as unknown as typeof Fake;
const { PLACEHOLDER_MIME_TYPE } = await import('../../vscode-ext/src/notebook/outputs.js');

/** A gateway that never answers (the open-time check waits for it up to its bound). */
const silent = {
  baseUrl: 'http://gateway.test',
  reviewStatus: () => new Promise<never>(() => undefined),
  verifyReleases: () => new Promise<never>(() => undefined),
  checkOutputLeaks: () => new Promise<never>(() => undefined),
};

/** An SVG chart whose label is an e-mail address (the check flags it). */
const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">' +
  '<text x="4" y="20">pat.smith@example.org</text></svg>';

/** The mime types of each output of the cell at `index` now (a swap replaces the cell). */
const mimes = (notebook: Fake.FakeNotebook, index: number): string[][] =>
  notebook.getCells()[index]!.outputs.map((o) => o.items.map((i) => i.mime));

describe('VS Code gate: a notebook opened from its file', () => {
  it('swaps a flagged SVG output at once, not after the gateway answers', async () => {
    const t = setUpGate({
      name: 'open-svg',
      signedIn: { client: silent },
      gate: true,
      answers: false,
    });
    const saved = new fake.FakeNotebook('open-svg-saved');
    saved.isDirty = false; // as in its file: the open-time check asks the gateway first
    const svg = saved.addCell('plot()');
    svg.outputs = [
      new fake.NotebookCellOutput([fake.NotebookCellOutputItem.text(SVG, 'image/svg+xml')]),
    ];
    const html = saved.addCell('display(HTML(x))');
    const flaggedHtml = '<p>pat.smith@example.org</p>';
    html.outputs = [
      new fake.NotebookCellOutput([fake.NotebookCellOutputItem.text(flaggedHtml, 'text/html')]),
    ];
    try {
      fake.openNotebook(saved);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(mimes(saved, 0)[0]?.[0], PLACEHOLDER_MIME_TYPE, 'the SVG is swapped at once');
      assert.deepEqual(
        mimes(saved, 1),
        [['text/html']],
        'HTML waits: only the gate renderer draws it, and it holds what the check flags',
      );
      assert.equal(t.held.entries().length, 1, 'the SVG original is kept for a review');
    } finally {
      saved.isClosed = true;
      const all = fake.workspace.notebookDocuments;
      all.splice(all.indexOf(saved), 1);
      t.dispose();
    }
  });
});
