/**
 * A held item is asked about again when the extension host says what it checks with changed: at
 * start-up the host may answer "no" before the stored token is restored (no approvals, no views),
 * and then posts a recheck notice once it is. The gate renderer and the release renderer then
 * check their held items anew and draw those the host now confirms; a notice that arrives while a
 * decision is out counts too, and a disposed item is never drawn again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutputItem, RendererApi, RendererContext } from 'vscode-notebook-renderer';
import type { DpRelease } from '@privet/core/protocol';
import { activate as activateGate } from '../../vscode-ext/src/renderer/gate.js';
import { activate as activateReleases } from '../../vscode-ext/src/renderer/index.js';
import { HeldRedraws } from '../../vscode-ext/src/renderer/held-redraws.js';
import {
  isApprovalQuery,
  isRecheckNotice,
  type ApprovalQuery,
} from '../../vscode-ext/src/shared/gate-messages.js';
import { FakeElement, withFakeDocument } from './fake-dom.js';

const STDOUT = 'application/vnd.code.notebook.stdout';
const RELEASE_MIME = 'application/vnd.privet.dp-release+json';
const APPROVED = 'contact: approved.person@example.org\n';

/** An output item as the renderer API gives it. */
function item(id: string, mime: string, text: string): OutputItem {
  return {
    id,
    mime,
    metadata: {},
    text: () => text,
    json: () => JSON.parse(text) as unknown,
  } as unknown as OutputItem;
}

/** What the fake host answers: `now` (only for text `only`, if set), after `delay` ms (null: never). */
interface HostAnswers {
  now: boolean;
  delay: number | null;
  only?: string;
}

/**
 * The extension host as the renderers see it: it answers each question with `approves` as it
 * is when the question is asked, and `notify()` posts a recheck notice.
 */
function fakeHost(): {
  context: RendererContext<unknown>;
  asked: ApprovalQuery[];
  approves: HostAnswers;
  notify(): void;
} {
  const asked: ApprovalQuery[] = [];
  const approves: HostAnswers = { now: false, delay: 0 };
  const listeners = new Set<(m: unknown) => void>();
  const send = (m: unknown): void => {
    for (const l of [...listeners]) l(m);
  };
  const builtin: RendererApi = {
    renderOutputItem(output, element) {
      element.textContent = `drawn: ${output.text()}`;
    },
    disposeOutputItem() {},
  };
  const context = {
    getRenderer: async (id: string) => (id === 'vscode.builtin-renderer' ? builtin : undefined),
    postMessage(message: unknown) {
      assert.ok(isApprovalQuery(message));
      asked.push(message);
      if (approves.delay === null) return;
      const approved =
        approves.now && (approves.only === undefined || approves.only === message.text);
      setTimeout(
        () => send({ type: 'privet.approval', requestId: message.requestId, approved }),
        approves.delay,
      );
    },
    onDidReceiveMessage(l: (m: unknown) => void) {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
  } as unknown as RendererContext<unknown>;
  return { context, asked, approves, notify: () => send({ type: 'privet.recheck' }) };
}

/** Resolves once `check` holds, polling every 5 ms for at most 2 s. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 2000;
  while (!check()) {
    assert.ok(Date.now() < until, `timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A release as the gateway returns one. */
function release(): DpRelease {
  return {
    releaseId: '3f2a9c0d4b5e6f708192a3b4c5d6e7f8',
    mechanism: 'discrete_laplace',
    alpha: 0.05,
    cost: { epsilon: '0.5' },
    columns: [],
    rows: [{ keys: { ward: 'A' }, values: { n: { value: 40, interval: [37, 43] } } }],
    sql: 'SELECT ward, COUNT(*) AS n FROM patients_dp GROUP BY ward',
    planHash: 'ab'.repeat(32),
    warnings: [],
  } as unknown as DpRelease;
}

describe('held items are asked about again on the host’s notice', () => {
  it('the recheck notice is recognised; other messages are not', () => {
    assert.equal(isRecheckNotice({ type: 'privet.recheck' }), true);
    assert.equal(isRecheckNotice({ type: 'privet.approval', requestId: 1, approved: true }), false);
    assert.equal(isRecheckNotice(null), false);
  });

  it('an approved output held before the host could answer is drawn after the notice', async () => {
    await withFakeDocument(async () => {
      const host = fakeHost();
      const gate = activateGate(host.context);
      const element = new FakeElement();
      await gate.renderOutputItem(item('o1', STDOUT, APPROVED), element.asHtml, undefined as never);
      assert.match(element.textContent, /Privet withheld this output \(block: email\)/);
      assert.doesNotMatch(element.textContent, /approved\.person/);

      // A notice while the host still says no: asked again, still held.
      host.notify();
      await eventually(() => host.asked.length === 2, 'the host is asked again');
      await new Promise((r) => setTimeout(r, 20));
      assert.match(element.textContent, /Privet withheld this output/);

      // Signed in now: the host approves, and the next notice draws the output.
      host.approves.now = true;
      host.notify();
      await eventually(() => /drawn: contact/.test(element.textContent), 'the output is drawn');
      assert.doesNotMatch(element.textContent, /withheld/);
      // Drawn: a later notice asks nothing more.
      host.notify();
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(host.asked.length, 3);
    });
  });

  it('a stream part the host has not confirmed is asked about again even if no notice comes', async () => {
    await withFakeDocument(async () => {
      const host = fakeHost();
      const gate = activateGate(host.context);
      const element = new FakeElement();
      const part = 'contact Quillon Vardemarsk\n';
      await gate.renderOutputItem(item('o2', STDOUT, part), element.asHtml, undefined as never);
      assert.match(element.textContent, /Privet withheld this output/);
      // The host could place it now, but its notice is lost: the renderer asks again by itself.
      host.approves.now = true;
      const until = Date.now() + 4000;
      while (!/drawn: contact Quillon/.test(element.textContent)) {
        assert.ok(Date.now() < until, 'not drawn within 4 s without a notice');
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(host.asked.length, 2, 'asked once more, after 2 s');
    });
  });

  it('retries of a held item are bounded and stop once it is shown or forgotten', async () => {
    const redraws = new HeldRedraws();
    let drawn = 0;
    redraws.asked('x', async () => {
      drawn++;
      redraws.retryLater('x', [5, 5]);
    });
    redraws.begin('x');
    redraws.hold('x');
    redraws.retryLater('x', [5, 5]);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(drawn, 2, 'two retries, then none');
    redraws.asked('y', async () => void drawn++);
    redraws.begin('y');
    redraws.hold('y');
    redraws.retryLater('y', [5]);
    redraws.shown('y');
    redraws.asked('z', async () => void drawn++);
    redraws.begin('z');
    redraws.hold('z');
    redraws.retryLater('z', [5]);
    redraws.forget('z');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(drawn, 2, 'a shown or forgotten item is not redrawn');
  });

  it('a notice that arrives while the decision is out leads to a redraw once it holds', async () => {
    await withFakeDocument(async () => {
      const host = fakeHost();
      host.approves.delay = 30;
      const gate = activateGate(host.context);
      const element = new FakeElement();
      const first = gate.renderOutputItem(
        item('o1', STDOUT, APPROVED),
        element.asHtml,
        undefined as never,
      );
      await eventually(() => host.asked.length === 1, 'the host is asked');
      host.notify(); // the item is not held yet: its answer ("no") may predate what changed
      host.approves.now = true; // the answer already on its way says "no"
      await first;
      await eventually(() => /drawn: contact/.test(element.textContent), 'the output is drawn');
      assert.equal(host.asked.length, 2);
    });
  });

  it('a disposed item, or one VS Code drew again meanwhile, is not redrawn by the notice', async () => {
    await withFakeDocument(async () => {
      const host = fakeHost();
      const gate = activateGate(host.context);
      const gone = new FakeElement();
      await gate.renderOutputItem(item('o1', STDOUT, APPROVED), gone.asHtml, undefined as never);
      gate.disposeOutputItem?.('o1');
      host.approves.now = true;
      host.notify();
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(host.asked.length, 1, 'nothing asked about a disposed item');
      assert.match(gone.textContent, /withheld/);
    });
    const redraws = new HeldRedraws();
    let drawn = 0;
    redraws.asked('x', async () => void drawn++);
    const first = redraws.begin('x');
    redraws.hold('x');
    const second = redraws.begin('x'); // VS Code draws the item again
    assert.equal(first.aborted, true);
    assert.equal(second.aborted, false);
    redraws.shown('x');
    await redraws.redrawAll();
    assert.equal(drawn, 0, 'drawn by its newer rendering: not redrawn');
    const outer = new AbortController();
    const third = redraws.begin('y', outer.signal);
    outer.abort();
    assert.equal(third.aborted, true, 'VS Code’s abort reaches the drawing');
  });

  it('a redraw draws the content VS Code asked for last, not an earlier part of the stream', async () => {
    await withFakeDocument(async () => {
      const host = fakeHost();
      const gate = activateGate(host.context);
      const element = new FakeElement();
      const half = 'contact Quill';
      const whole = 'contact Quillon Vardemarsk\n';
      // The stream's first half: the host cannot place it, so it is held (with a retry pending).
      await gate.renderOutputItem(item('o4', STDOUT, half), element.asHtml, undefined as never);
      assert.match(element.textContent, /withheld/);
      // VS Code appends the rest; the host's answer about the whole line is on its way when a
      // recheck notice comes. The redraw must not draw the half again over the whole line.
      Object.assign(host.approves, { now: true, delay: 40, only: whole });
      const newer = gate.renderOutputItem(
        item('o4', STDOUT, whole),
        element.asHtml,
        undefined as never,
      );
      await eventually(() => host.asked.length === 2, 'the host is asked about the whole line');
      host.notify();
      await newer;
      await eventually(
        () => /drawn: contact Quillon Vardemarsk/.test(element.textContent),
        'the whole line is drawn',
      );
      assert.ok(
        host.asked.slice(1).every((q) => q.text === whole),
        'after VS Code appended, only the whole line is asked about',
      );
      // The half's retry (after 2 s) was dropped when VS Code drew the item anew.
      const asked = host.asked.length;
      await new Promise((r) => setTimeout(r, 2300));
      assert.equal(host.asked.length, asked, 'no retry of the half after the line is drawn');
      assert.match(element.textContent, /drawn: contact Quillon Vardemarsk/);
    });
  });

  it('a release held before the host could vouch for it is drawn after the notice', async () => {
    await withFakeDocument(async () => {
      const host = fakeHost();
      const gate = activateGate(host.context);
      const releaseContext = {
        getRenderer: async (id: string) => (id === 'privet.gate' ? gate : undefined),
      } as unknown as RendererContext<unknown>;
      const releases = (await activateReleases(releaseContext)) as RendererApi;
      const element = new FakeElement();
      const text = JSON.stringify(release());
      await releases.renderOutputItem(
        item('r1', RELEASE_MIME, text),
        element.asHtml,
        new AbortController().signal,
      );
      assert.match(element.textContent, /Privet withheld this output \(flag: dp-provenance\)/);
      assert.doesNotMatch(element.textContent, /3f2a9c0d/);
      host.approves.now = true;
      host.notify();
      await eventually(
        () => /release id 3f2a9c0d/.test(element.textContent),
        'the release is drawn',
      );
      assert.doesNotMatch(element.textContent, /withheld/);
    });
  });
});
