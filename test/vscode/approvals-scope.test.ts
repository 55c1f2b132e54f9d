/**
 * Approvals are the answers of the gateway of one sign-in (vscode-ext/src/notebook/approvals.ts):
 * an approval one gateway answered never counts for another gateway or another sign-in, and a
 * session change to another sign-in (or a sign-out) forgets them, with the DP releases another
 * gateway vouched for. So pointing privet.gatewayUrl at a gateway that approves everything and
 * signing back in to the real one leaves nothing drawn or kept on its word. Run with an in-memory
 * VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approvalHash, type NotebookOutput } from '@privet/core';
import type * as Fake from './fake-vscode/index.js';
import { setUpGate } from './gate-harness.js';

// Loaded after register.js has made 'vscode' resolve to the fake (static imports link first).
const fake = (await import('vscode')) as unknown as typeof Fake;
const { Approvals } = await import('../../vscode-ext/src/notebook/approvals.js');
const { fromCellOutput } = await import('../../vscode-ext/src/notebook/convert.js');

const EXPERIMENT = 'exp-review';
/** An output the email rule holds. */
const FLAGGED = 'contact: jane.roe@example.org';
const OUTPUT: NotebookOutput = {
  output_type: 'display_data',
  data: { 'text/plain': FLAGGED },
  metadata: {},
};

/** A gateway at `baseUrl` that approves every content (or none); `delayMs` slows its answers. */
function gatewayAt(baseUrl: string, approves: boolean, delayMs = 0) {
  const asked: string[] = [];
  return {
    baseUrl,
    asked,
    async checkOutputLeaks({ outputs }: { outputs: unknown[] }) {
      return { rawValue: outputs.map(() => false) };
    },
    async reviewStatus({ contentHashes }: { contentHashes: string[] }) {
      asked.push(...contentHashes);
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const state = approves ? 'approved' : 'none';
      return { statuses: contentHashes.map((contentHash) => ({ contentHash, state })) };
    },
    async verifyReleases() {
      return { releases: [] };
    },
  };
}
type FakeGateway = ReturnType<typeof gatewayAt>;

/** The renderer's answers (and the document gate) over one notebook, signed in to `first`. */
function setUp(first: FakeGateway, withGate = true) {
  const t = setUpGate({
    name: 'approvals-scope',
    signedIn: { client: first, experiment: EXPERIMENT },
    gate: withGate,
  });
  const { notebook } = t;
  return {
    notebook,
    /** Signs in to `client` (undefined: out), as the session tells its listeners. */
    signIn(client: FakeGateway | undefined, user = 'ana') {
      t.signIn(client ? { client, user, experiment: EXPERIMENT } : undefined);
    },
    /** The views loaded again (as after every session change): the gate checks every output. */
    viewsLoaded: t.viewsLoaded,
    /** A new cell showing the flagged output. */
    writeFlagged() {
      const cell = notebook.addCell('print(contact)');
      fake.writeOutputs(cell, [
        new fake.NotebookCellOutput([fake.NotebookCellOutputItem.text(FLAGGED, 'text/plain')]),
      ]);
    },
    /** Which cells of the document show the flagged text now. */
    shown: () =>
      notebook
        .getCells()
        .map((c) => JSON.stringify(c.outputs.map((o) => fromCellOutput(o))).includes('jane.roe')),
    /** Asks as the renderer does; resolves with the host's answer. */
    ask: (text = FLAGGED): Promise<boolean> => t.ask('text/plain', text),
    dispose: t.dispose,
  };
}

/** Lets the gate's checks, edits and gateway questions settle. */
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('VS Code approvals: only the current sign-in’s gateway counts', () => {
  it('keys each approval by gateway and sign-in, not by experiment alone', async () => {
    const own = gatewayAt('http://127.0.0.1:9999', true);
    const real = gatewayAt('https://privet.example.org', false);
    const realAgain = gatewayAt('https://privet.example.org', false);
    const approvals = new Approvals();
    assert.equal(await approvals.isApproved(own as never, EXPERIMENT, OUTPUT, ''), true);
    assert.equal(approvals.knownApprovedOutput(own, EXPERIMENT, OUTPUT, ''), true);
    assert.equal(approvals.knownApprovedOutput(real, EXPERIMENT, OUTPUT, ''), false);
    assert.equal(await approvals.isApproved(real as never, EXPERIMENT, OUTPUT, ''), false);
    assert.equal(real.asked.length, 1, 'the real gateway is asked itself');
    // Another sign-in at the same URL (another token, maybe another user) asks again.
    approvals.remember(real, EXPERIMENT, await approvalHash(OUTPUT, ''));
    assert.equal(approvals.knownApprovedOutput(realAgain, EXPERIMENT, OUTPUT, ''), false);
  });

  it('forgets approvals on another sign-in or a sign-out, and releases on another gateway', async () => {
    const a = gatewayAt('http://a.test', true);
    const a2 = gatewayAt('http://a.test', true);
    const b = gatewayAt('http://b.test', true);
    const approvals = new Approvals();
    approvals.follow(a);
    const hash = await approvalHash(OUTPUT, '');
    approvals.remember(a, EXPERIMENT, hash);
    const releases = approvals.releases;
    approvals.follow(a); // an experiment change or a refresh: the same sign-in
    assert.equal(approvals.knownApproved(a, EXPERIMENT, hash), true);
    approvals.follow(a2); // signed in again to the same gateway
    assert.equal(approvals.knownApproved(a, EXPERIMENT, hash), false);
    assert.equal(approvals.releases, releases, 'the same ledger: its releases are kept');
    approvals.follow(b);
    assert.notEqual(approvals.releases, releases, 'another gateway: no release is vouched for');
    approvals.remember(b, EXPERIMENT, hash);
    approvals.follow(undefined);
    assert.equal(approvals.knownApproved(b, EXPERIMENT, hash), false, 'signed out');
  });

  it('after signing in to another gateway, draws and keeps nothing the first one approved', async () => {
    const own = gatewayAt('http://127.0.0.1:9999', true); // a gateway answering "approved"
    const real = gatewayAt('https://privet.example.org', false);
    const t = setUp(own);
    try {
      t.writeFlagged();
      await settle();
      assert.equal(await t.ask(), true, 'approved by the gateway signed in to');
      assert.deepEqual(t.shown(), [true]);

      t.signIn(real); // privet.gatewayUrl back to the real gateway
      await settle();
      t.writeFlagged();
      await settle();
      assert.equal(await t.ask(), false, 'the renderer draws it no more');
      assert.deepEqual(t.shown(), [true, false], 'the new output is swapped out');
      t.viewsLoaded(); // the views reload after every session change: every output is checked
      await settle();
      assert.deepEqual(t.shown(), [false, false], 'so is the one the other gateway approved');
    } finally {
      t.dispose();
    }
  });

  it('answers "no" when the session changed while the gateway was asked', async () => {
    const slow = gatewayAt('http://127.0.0.1:9999', true, 400);
    const real = gatewayAt('https://privet.example.org', false);
    const t = setUp(slow, false);
    try {
      t.writeFlagged();
      const answer = t.ask();
      await new Promise((r) => setTimeout(r, 100));
      t.signIn(real); // while the slow gateway's "approved" is on its way
      assert.equal(await answer, false);
    } finally {
      t.dispose();
    }
  });
});
