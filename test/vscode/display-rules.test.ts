/**
 * VS Code's display checks use the review settings of the signed-in gateway's policy (GET /whoami
 * `exportRules`, read by core's review/display-rules.ts): with a small-cell threshold of 20, a
 * count of 14 is held by the document gate and the renderer's answers, as the gateway's own check
 * would hold it; signed out (or from a gateway that sends none), core's defaults. Run with an
 * in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';
import { exportRulesOf, type DisplayRules } from '@privet/core';
import { setUpGate } from './gate-harness.js';
import { noApprovals } from './no-approvals.js';

// Loaded after register.js has made 'vscode' resolve to the fake (static imports link first).
const fake = (await import('vscode')) as unknown as typeof Fake;

const { fromCellOutput } = await import('../../vscode-ext/src/notebook/convert.js');

/** A count of 14: core's default threshold (10) passes it, a policy's 20 holds it. */
const TABLE =
  '<table><tr><th>diagnosis</th><th>count</th></tr><tr><td>HIV</td><td>14</td></tr>' +
  '<tr><td>flu</td><td>1200</td></tr></table>';
const STRICT: DisplayRules = { small_cell_threshold: 20, images: 'review' };
/** A policy below core's default: the gateway's export passes a count of 7, so must the hosts. */
const LENIENT: DisplayRules = { small_cell_threshold: 5, images: 'review' };
const SEVEN = TABLE.replace('<td>14</td>', '<td>7</td>');

/** The document gate and the renderer's answers, signed in with `rules` (or signed out). */
function setUp(signedIn: { rules?: DisplayRules } | undefined) {
  const client = {
    baseUrl: 'http://gateway.test',
    async checkOutputLeaks({ outputs }: { outputs: unknown[] }) {
      return { rawValue: outputs.map(() => false) };
    },
    ...noApprovals,
  };
  const t = setUpGate({
    name: 'display-rules',
    signedIn: signedIn && { client, exportRules: signedIn.rules },
    gate: true,
  });
  const { notebook } = t;
  return {
    /** Writes the table in a new cell; resolves, once the gate settled, to whether it is shown. */
    async shownAfterGate(table = TABLE): Promise<boolean> {
      const cell = notebook.addCell('display(HTML(table))');
      fake.writeOutputs(cell, [
        new fake.NotebookCellOutput([fake.NotebookCellOutputItem.text(table, 'text/html')]),
      ]);
      await new Promise((r) => setTimeout(r, 300));
      const now = notebook.getCells().at(-1)!;
      return JSON.stringify(now.outputs.map((o) => fromCellOutput(o))).includes('HIV');
    },
    /** Asks as the renderer does about the table; resolves with the host's answer. */
    ask: (table = TABLE): Promise<boolean> => t.ask('text/html', table),
    dispose: t.dispose,
  };
}

describe('VS Code display checks: the signed-in gateway’s policy rules', () => {
  it('reads the rules of a whoami answer, and none from a malformed or missing one', () => {
    assert.deepEqual(exportRulesOf({ exportRules: STRICT }), STRICT);
    assert.equal(exportRulesOf({}), undefined);
    for (const bad of [
      { small_cell_threshold: 0, images: 'review' },
      { small_cell_threshold: '20', images: 'review' },
      { small_cell_threshold: 20.5, images: 'review' },
      { small_cell_threshold: 20, images: 'maybe' },
      null,
    ])
      assert.equal(exportRulesOf({ exportRules: bad }), undefined, JSON.stringify(bad));
  });

  it('holds a count of 14 under a threshold of 20, in the document and in the renderer', async () => {
    const t = setUp({ rules: STRICT });
    try {
      assert.equal(await t.ask(), false, 'the renderer is told not to draw it');
      assert.equal(await t.shownAfterGate(), false, 'the document gate swaps it out');
    } finally {
      t.dispose();
    }
  });

  it('shows a count of 7 under a threshold of 5, as the gateway’s export passes it', async () => {
    const t = setUp({ rules: LENIENT });
    try {
      assert.equal(await t.ask(SEVEN), true, 'the renderer is told to draw it');
      assert.equal(await t.shownAfterGate(SEVEN), true, 'the document gate leaves it');
    } finally {
      t.dispose();
    }
    const signedOut = setUp(undefined);
    try {
      assert.equal(await signedOut.ask(SEVEN), false, 'signed out: core’s default 10 holds it');
    } finally {
      signedOut.dispose();
    }
  });

  it('uses core’s defaults when signed out or given no rules', async () => {
    for (const signedIn of [undefined, {}]) {
      const t = setUp(signedIn);
      try {
        assert.equal(await t.ask(), true, JSON.stringify(signedIn));
        assert.equal(await t.shownAfterGate(), true, JSON.stringify(signedIn));
      } finally {
        t.dispose();
      }
    }
  });
});
