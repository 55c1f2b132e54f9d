/**
 * The gate renderer does not say which output it draws an item for, so the host's answer
 * (vscode-ext/src/notebook/renderer-approvals.ts) says "yes" on an approval only when every output
 * in the notebook holding the item passes or was approved: a "3" a reviewer approved after
 * "clinics north" is not drawn while the notebook also shows "3" after "HIV" unapproved. Run with
 * an in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approvalHash, type NotebookOutput } from '@privet/core';
import type * as Fake from './fake-vscode/index.js';
import { reviewingGateway, setUpGate } from './gate-harness.js';

// Loaded after register.js has made 'vscode' resolve to the fake (static imports link first).
const fake = (await import('vscode')) as unknown as typeof Fake;

const STDOUT = 'application/vnd.code.notebook.stdout';
const REGIONS = 'clinics   count\nnorth     ';
const DIAGNOSES = 'diagnosis   patients\nflu         1200\nasthma      900\nHIV         ';
const PART: NotebookOutput = { output_type: 'stream', name: 'stdout', text: '3\n' };
/** What the reviewer approved: the "3" after the regions table. */
const APPROVED = await approvalHash(PART, REGIONS);

/** The host's answers over a notebook whose cells print `tables` (each, a warning, then "3"). */
function setUp(tables: string[]) {
  const client = reviewingGateway((hash) => (hash === APPROVED ? 'approved' : undefined));
  const t = setUpGate({
    name: 'stream-approval',
    signedIn: { client, experiment: 'exp-review' },
  });
  const out = (item: Fake.NotebookCellOutputItem) => new fake.NotebookCellOutput([item]);
  for (const table of tables) {
    const cell = t.notebook.addCell('print(table)');
    fake.writeOutputs(cell, [
      out(fake.NotebookCellOutputItem.stdout(table)),
      out(fake.NotebookCellOutputItem.stderr('warning\n')),
      out(fake.NotebookCellOutputItem.stdout('3\n')),
    ]);
  }
  return {
    /** Asks as the renderer does about a stdout item; resolves with the host's answer. */
    ask: (text: string): Promise<boolean> => t.ask(STDOUT, text),
    dispose: t.dispose,
  };
}

describe('VS Code renderer answers: an approved stream part is drawn only where it was approved', () => {
  it('draws the approved "3" while it is the only output holding that text', async () => {
    const t = setUp([REGIONS]);
    try {
      assert.equal(await t.ask('3\n'), true);
    } finally {
      t.dispose();
    }
  });

  it('holds it while another output shows the same "3" completing another table', async () => {
    const t = setUp([REGIONS, DIAGNOSES]);
    try {
      assert.equal(await t.ask('3\n'), false);
    } finally {
      t.dispose();
    }
  });

  it('draws it when the other output holding that text passes the check there', async () => {
    const t = setUp([REGIONS, 'steps done: ']);
    try {
      assert.equal(await t.ask('3\n'), true);
    } finally {
      t.dispose();
    }
  });
});
