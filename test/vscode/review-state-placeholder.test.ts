/**
 * A withheld output's placeholder follows its review once "Request Review" sent it: its second
 * line says it waits for a reviewer, was rejected, or needs changes, instead of offering "Request
 * Review" again. Both kinds of placeholder: the one the host wrote (its item carries a `review`
 * state, rewritten when the state changes) and the notice the gate renderer draws for a kernel
 * output it holds (the host's answer carries the state of that content, keyed as approvals are,
 * and a recheck notice redraws it). Only a known state is drawn, as Privet's own text; raw-value
 * hints stay as they are. Run with an in-memory VS Code API and DOM.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutputItem, RendererContext } from 'vscode-notebook-renderer';
import type { NotebookOutput, ReviewResult } from '@privet/core';
import type * as Fake from './fake-vscode/index.js';
import { FakeElement, withFakeDocument } from './fake-dom.js';
import { reviewingGateway, setUpGate } from './gate-harness.js';

// Loaded after register.js has made 'vscode' resolve to the fake (static imports link first).
const fake = (await import('vscode')) as unknown as typeof Fake;
const { renderWithheld, WITHHELD_HINT, RAW_VALUE_HINT } =
  await import('../../vscode-ext/src/renderer/dom.js');
const { activate: activateGate } = await import('../../vscode-ext/src/renderer/gate.js');
const { placeholderOutput, PLACEHOLDER_MIME_TYPE } =
  await import('../../vscode-ext/src/notebook/outputs.js');
const { HeldOutputs } = await import('../../vscode-ext/src/notebook/held.js');
const { Approvals, contentHashNow } = await import('../../vscode-ext/src/notebook/approvals.js');
const { ApprovedOutputRestorer } = await import('../../vscode-ext/src/notebook/restore.js');
const { toCellOutput, heldIdsOf } = await import('../../vscode-ext/src/notebook/convert.js');
const { isApprovalAnswer, isApprovalQuery, isRecheckNotice } =
  await import('../../vscode-ext/src/shared/gate-messages.js');

const EMAIL = 'jane.forged@example.org';
const PENDING = /sent for review and waits for a reviewer: it appears here once approved/;
const REJECTED = /A reviewer rejected it, so it stays withheld/;
const CHANGES = /asked for changes: see the comments .*change the code and run the cell again/;
const OFFERS_REVIEW = /Request Review/;

/** A flag review with these rules. */
function flagged(...rules: string[]): ReviewResult {
  return {
    verdict: 'flag',
    findings: rules.map((rule) => ({ rule, severity: 'flag', message: rule })),
  } as unknown as ReviewResult;
}

/** The placeholder's second line as renderWithheld draws `info`. */
function drawn(info: Record<string, unknown>): Promise<string> {
  return withFakeDocument(() => {
    const element = new FakeElement();
    renderWithheld(info, element.asHtml);
    return element.textContent;
  });
}

/** Resolves once `check` holds, polling every 5 ms for at most 3 s. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 3000;
  while (!check()) {
    assert.ok(Date.now() < until, `timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('placeholder of a withheld output follows its review state', () => {
  it('draws each known review state as its own text, and an unknown one not at all', async () => {
    const base = { verdict: 'flag', rules: ['email'] };
    assert.ok((await drawn(base)).includes(WITHHELD_HINT), 'not sent: offers a review');
    assert.match(await drawn({ ...base, review: 'pending' }), PENDING);
    assert.match(await drawn({ ...base, review: 'rejected' }), REJECTED);
    assert.match(await drawn({ ...base, review: 'changes_requested' }), CHANGES);
    for (const review of [`pending ${EMAIL}`, EMAIL, 'approved', 'toString', 3, { EMAIL }]) {
      const text = await drawn({ ...base, review });
      assert.ok(text.includes(WITHHELD_HINT), String(review));
      assert.doesNotMatch(text, /example\.org/);
    }
    // A raw value: no review can release it, whatever the item says.
    const raw = await drawn({ ...base, rawValue: 'found', review: 'pending' });
    assert.ok(raw.includes(RAW_VALUE_HINT));
    assert.doesNotMatch(raw, PENDING);
  });

  it('the placeholder the host writes carries the state and says it in its text too', () => {
    const sent = placeholderOutput(flagged('email'), 'id-1', 'rejected') as {
      data: Record<string, unknown>;
    };
    assert.equal((sent.data[PLACEHOLDER_MIME_TYPE] as { review?: unknown }).review, 'rejected');
    assert.match(String(sent.data['text/plain']), REJECTED);
    assert.doesNotMatch(String(sent.data['text/plain']), OFFERS_REVIEW);
    const fresh = placeholderOutput(flagged('email'), 'id-1') as { data: Record<string, unknown> };
    assert.equal((fresh.data[PLACEHOLDER_MIME_TYPE] as { review?: unknown }).review, undefined);
    assert.match(String(fresh.data['text/plain']), OFFERS_REVIEW);
  });

  it('rewrites the placeholder the host wrote when a review is requested and when its state changes', async () => {
    const held = new HeldOutputs();
    const sessionChanged = new fake.EventEmitter<void>();
    const session = { signedIn: undefined, onDidChange: sessionChanged.event };
    const restorer = new ApprovedOutputRestorer(session as never, held, new Approvals());
    const notebook = new fake.FakeNotebook('review-state-placeholder');
    fake.workspace.notebookDocuments.push(notebook);
    try {
      const review = flagged('small-cell');
      const output: NotebookOutput = { output_type: 'stream', name: 'stdout', text: 'n 3\n' };
      const id = held.hold({ output, review, cellSource: 'print(n)', viewsUsed: [] });
      const placeholder = placeholderOutput(review, id);
      held.notePlaceholder(id, placeholder);
      const cell = notebook.addCell('print(n)');
      cell.outputs = [toCellOutput(placeholder) as unknown as Fake.NotebookCellOutput];
      /** The placeholder item of the notebook's cell as the renderer receives it. */
      const info = (): { review?: unknown; heldId?: unknown } => {
        const item = notebook.cells[0]!.outputs[0]!.items.find(
          (i) => i.mime === PLACEHOLDER_MIME_TYPE,
        )!;
        return JSON.parse(new TextDecoder().decode(item.data)) as { review?: unknown };
      };
      assert.equal(info().review, undefined);

      held.markSubmitted(id, 'rev-1', 'hash-1');
      await eventually(() => info().review === 'pending', 'the placeholder says pending');
      assert.equal(info().heldId, id, 'still the placeholder of the same original');
      assert.deepEqual(heldIdsOf(notebook.cells[0] as never), [id]);
      const text = (): string => {
        const item = notebook.cells[0]!.outputs[0]!.items.find((i) => i.mime === 'text/plain')!;
        return new TextDecoder().decode(item.data);
      };
      assert.match(text(), PENDING);
      // Privet's own: the output gate leaves it as it is.
      assert.equal(held.isPlaceholder(placeholderOutput(review, id, 'pending')), true);

      held.noteReviewState(id, 'changes_requested');
      await eventually(() => info().review === 'changes_requested', 'changes requested');
      held.noteReviewState(id, 'rejected');
      await eventually(() => info().review === 'rejected', 'rejected');
      assert.match(text(), REJECTED);
    } finally {
      restorer.dispose();
      const all = fake.workspace.notebookDocuments;
      all.splice(all.indexOf(notebook), 1);
    }
  });
});

describe('gate renderer notice of a held kernel output follows its review state', () => {
  it('the host says the review state of the held content, keyed by its content hash', async () => {
    /** The gateway's review state per content hash (none for any other). */
    const states = new Map<string, string>();
    const client = reviewingGateway((hash) => states.get(hash));
    const t = setUpGate({ name: 'review-state-answer', signedIn: { client } });
    let next = 1000;
    /** Asks as the gate renderer does; resolves with the whole answer. */
    const ask = async (mime: string, text: string): Promise<Record<string, unknown>> => {
      const requestId = next++;
      t.messaging.send(t.notebook, { type: 'privet.approval?', requestId, mime, text });
      let answer: unknown;
      await eventually(
        () =>
          (answer = t.messaging.posted.find(
            (m) => isApprovalAnswer(m) && m.requestId === requestId,
          )) !== undefined,
        `the answer to ${requestId}`,
      );
      return answer as Record<string, unknown>;
    };
    try {
      const cell = t.notebook.addCell('print(contact)');
      const text = `contact ${EMAIL}\n`;
      fake.writeOutputs(cell, [
        new fake.NotebookCellOutput([fake.NotebookCellOutputItem.text(text)]),
      ]);
      const hash = contentHashNow(
        { output_type: 'display_data', data: { 'text/plain': text }, metadata: {} },
        '',
      );
      states.set(contentHashNow({ output_type: 'stream', name: 'stdout', text }, ''), 'rejected');
      const never = await ask('text/plain', text);
      assert.equal(never.approved, false);
      assert.equal(never.review, undefined, 'never sent (only other content was): no state');
      states.set(hash, 'pending');
      assert.deepEqual(await ask('text/plain', text), {
        type: 'privet.approval',
        requestId: (never.requestId as number) + 1,
        approved: false,
        review: 'pending',
      });
      states.set(hash, 'changes_requested');
      assert.equal((await ask('text/plain', text)).review, 'changes_requested');
      states.set(hash, 'rejected');
      assert.equal((await ask('text/plain', text)).review, 'rejected');
      // An item no output holds: nothing to say.
      assert.equal((await ask('text/plain', `other ${EMAIL}\n`)).review, undefined);

      // A review requested (or decided) in this window: the renderers are told to ask again.
      await eventually(() => t.messaging.posted.some(isRecheckNotice), 'the start-up notice');
      t.messaging.posted.length = 0;
      const id = t.held.hold({
        output: { output_type: 'stream', name: 'stdout', text: 'n 3\n' },
        review: flagged('small-cell'),
        cellSource: '',
        viewsUsed: [],
      });
      t.held.markSubmitted(id, 'rev-1', 'hash-1');
      await eventually(() => t.messaging.posted.some(isRecheckNotice), 'a recheck notice');
    } finally {
      t.dispose();
    }
  });

  it('draws the state the host gives, redraws it on a recheck notice, and never draws an unknown one', async () => {
    await withFakeDocument(async () => {
      const listeners = new Set<(m: unknown) => void>();
      const host = { review: 'pending' as unknown };
      const context = {
        getRenderer: async () => undefined,
        postMessage(message: unknown) {
          assert.ok(isApprovalQuery(message));
          const answer = { type: 'privet.approval', requestId: message.requestId };
          setTimeout(() => {
            for (const l of [...listeners]) l({ ...answer, approved: false, review: host.review });
          }, 0);
        },
        onDidReceiveMessage(l: (m: unknown) => void) {
          listeners.add(l);
          return { dispose: () => listeners.delete(l) };
        },
      } as unknown as RendererContext<unknown>;
      const gate = activateGate(context);
      const element = new FakeElement();
      const item = {
        id: 'o1',
        mime: 'text/plain',
        metadata: {},
        text: () => `contact ${EMAIL}`,
      } as unknown as OutputItem;
      await gate.renderOutputItem(item, element.asHtml, undefined as never);
      assert.match(element.textContent, /Privet withheld this output \(block: email\)/);
      assert.match(element.textContent, PENDING);
      assert.doesNotMatch(element.textContent, OFFERS_REVIEW);

      host.review = 'rejected';
      for (const l of [...listeners]) l({ type: 'privet.recheck' });
      await eventually(() => REJECTED.test(element.textContent), 'the rejected notice');

      host.review = `rejected <b>${EMAIL}</b>`;
      for (const l of [...listeners]) l({ type: 'privet.recheck' });
      await eventually(() => OFFERS_REVIEW.test(element.textContent), 'the default notice');
      assert.doesNotMatch(element.textContent, /example\.org|<b>/);
      assert.doesNotMatch(element.textContent, REJECTED);
    });
  });
});
