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
import { RawValueChecks } from '@privet/core/client/index';
import type * as Fake from './fake-vscode/index.js';

// Loaded after register.js has made 'vscode' resolve to the fake (static imports link first).
const fake = (await import('vscode')) as unknown as typeof Fake;
const { RendererApprovals } = await import('../../vscode-ext/src/notebook/renderer-approvals.js');
const { HeldOutputs } = await import('../../vscode-ext/src/notebook/held.js');
const { Approvals } = await import('../../vscode-ext/src/notebook/approvals.js');
const { GATE_RENDERER_ID, isApprovalAnswer } =
  await import('../../vscode-ext/src/shared/gate-messages.js');

const STDOUT = 'application/vnd.code.notebook.stdout';
const REGIONS = 'clinics   count\nnorth     ';
const DIAGNOSES = 'diagnosis   patients\nflu         1200\nasthma      900\nHIV         ';
const PART: NotebookOutput = { output_type: 'stream', name: 'stdout', text: '3\n' };
/** What the reviewer approved: the "3" after the regions table. */
const APPROVED = await approvalHash(PART, REGIONS);

let notebooks = 0;

/** The host's answers over a notebook whose cells print `tables` (each, a warning, then "3"). */
function setUp(tables: string[]) {
  const client = {
    baseUrl: 'http://gateway.test',
    async checkOutputLeaks({ outputs }: { outputs: unknown[] }) {
      return { rawValue: outputs.map(() => false) };
    },
    async reviewStatus({ contentHashes }: { contentHashes: string[] }) {
      return {
        statuses: contentHashes.map((contentHash) => ({
          contentHash,
          state: contentHash === APPROVED ? 'approved' : 'none',
        })),
      };
    },
    async verifyReleases() {
      return { releases: [] };
    },
  };
  const session = {
    signedIn: { client, user: 'ana', roles: ['analyst'], experiment: 'exp-review' },
    onDidChange: new fake.EventEmitter<void>().event,
    whenRestored: () => Promise.resolve(),
  };
  const views = {
    current: () => [],
    whenKnown: () => Promise.resolve([]),
    onDidChange: new fake.EventEmitter<void>().event,
  };
  const notebook = new fake.FakeNotebook(`stream-approval-${++notebooks}`);
  fake.workspace.notebookDocuments.push(notebook);
  const answers = new RendererApprovals(
    new Approvals(),
    session as never,
    views as never,
    new HeldOutputs(),
    new RawValueChecks(),
  );
  const out = (item: Fake.NotebookCellOutputItem) => new fake.NotebookCellOutput([item]);
  for (const table of tables) {
    const cell = notebook.addCell('print(table)');
    fake.writeOutputs(cell, [
      out(fake.NotebookCellOutputItem.stdout(table)),
      out(fake.NotebookCellOutputItem.stderr('warning\n')),
      out(fake.NotebookCellOutputItem.stdout('3\n')),
    ]);
  }
  const messaging = fake.rendererMessagings.get(GATE_RENDERER_ID)!;
  let nextId = 1;
  return {
    /** Asks as the renderer does about a stdout item; resolves with the host's answer. */
    async ask(text: string): Promise<boolean> {
      const requestId = nextId++;
      messaging.send(notebook, { type: 'privet.approval?', requestId, mime: STDOUT, text });
      for (let i = 0; i < 800; i++) {
        const a = messaging.posted.find((m) => isApprovalAnswer(m) && m.requestId === requestId);
        if (a && isApprovalAnswer(a)) return a.approved;
        await new Promise((r) => setTimeout(r, 10));
      }
      return assert.fail(`no answer to question ${requestId}`);
    },
    dispose() {
      answers.dispose();
      notebook.isClosed = true;
      const all = fake.workspace.notebookDocuments;
      all.splice(all.indexOf(notebook), 1);
    },
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
