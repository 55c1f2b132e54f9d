/**
 * The VS Code gate renderer's decision, without a webview: an item is checked as VS Code would
 * draw it; a passing item that cannot be a table of rows is drawn at once; a held one, a
 * possible table of rows (only the host knows the views) or a stream part (only the host sees the
 * parts before it), only when the extension host says so.
 * No messaging, no answer in time or a "no" keep it held.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApprovalChannel,
  decideItem,
  type MessagingLike,
} from '../../vscode-ext/src/renderer/gate-decision.js';
import {
  isApprovalAnswer,
  isApprovalQuery,
  type ApprovalQuery,
} from '../../vscode-ext/src/shared/gate-messages.js';
import {
  asDrawn,
  LATEX_AS_MARKDOWN,
  outputOfItem,
  outputOfItems,
} from '../../vscode-ext/src/shared/output-items.js';

const STDOUT = 'application/vnd.code.notebook.stdout';
const ERROR = 'application/vnd.code.notebook.error';

/** An output item as the renderer API gives it. */
function item(mime: string, text: string): { mime: string; text(): string } {
  return { mime, text: () => text };
}

/** A renderer context's messaging whose host answers every question with `answer`. */
function host(answer: ((q: ApprovalQuery) => boolean) | null): {
  messaging: MessagingLike;
  asked: ApprovalQuery[];
} {
  const asked: ApprovalQuery[] = [];
  let listener: ((m: unknown) => void) | undefined;
  const messaging: MessagingLike = {
    postMessage(message: unknown) {
      assert.ok(isApprovalQuery(message), 'the renderer only sends well-formed questions');
      asked.push(message);
      if (answer)
        queueMicrotask(() =>
          listener?.({
            type: 'privet.approval',
            requestId: message.requestId,
            approved: answer(message),
          }),
        );
    },
    onDidReceiveMessage(l) {
      listener = l;
      return { dispose: () => (listener = undefined) };
    },
  };
  return { messaging, asked };
}

describe('VS Code gate renderer', () => {
  it('draws a passing item only once the host confirms it (its raw-value check); without messaging, at once', async () => {
    const { messaging, asked } = host(() => true);
    const channel = new ApprovalChannel(messaging);
    assert.equal(channel.canAsk, true);
    const decision = await decideItem(
      item('text/plain', 'mean age 41.5'),
      (m, t) => channel.ask(m, t),
      channel.canAsk,
    );
    assert.deepEqual(decision, { show: true });
    assert.deepEqual(
      asked.map((q) => [q.mime, q.text]),
      [['text/plain', 'mean age 41.5']],
    );
    // The host says no (a value the gateway found, or no verdict in time): held, flagged by nothing here.
    const no = host(() => false);
    const noChannel = new ApprovalChannel(no.messaging);
    const held = await decideItem(
      item('text/plain', 'contact Quillon Vardemarsk'),
      (m, t) => noChannel.ask(m, t),
      noChannel.canAsk,
    );
    assert.equal(held.show, false);
    assert.ok(!held.show && held.hostUnconfirmed && held.review.verdict === 'pass');
    assert.ok(!held.show && !held.tableUnconfirmed && !held.streamUnconfirmed);
    // No messaging: no host to ask, so what passes here is drawn (the document gate still checks it).
    const none = new ApprovalChannel({});
    assert.equal(none.canAsk, false);
    assert.deepEqual(
      await decideItem(item('text/plain', 'mean age 41.5'), (m, t) => none.ask(m, t), none.canAsk),
      { show: true },
    );
  });

  it('a stream part that passes alone is drawn only once the host confirms it after the parts before it', async () => {
    // "Wsplita 3" alone passes; after the header printed in an earlier output (split off by a
    // stderr write) it is a table row with a small count, and only the host sees that header.
    const part = 'Wsplita 3\n';
    const no = host(() => false);
    const held = await decideItem(item(STDOUT, part), (m, t) =>
      new ApprovalChannel(no.messaging).ask(m, t),
    );
    assert.equal(held.show, false);
    assert.ok(!held.show && held.streamUnconfirmed && !held.tableUnconfirmed);
    assert.ok(!held.show && held.review.verdict === 'pass', 'nothing here flagged it');
    assert.deepEqual(
      no.asked.map((q) => [q.mime, q.text]),
      [[STDOUT, part]],
    );
    const yes = host(() => true);
    const shown = await decideItem(item(STDOUT, part), (m, t) =>
      new ApprovalChannel(yes.messaging).ask(m, t),
    );
    assert.deepEqual(shown, { show: true });
    // No host to ask (no messaging): held, fail closed.
    const none = new ApprovalChannel({});
    assert.equal((await decideItem(item(STDOUT, part), (m, t) => none.ask(m, t))).show, false);
  });

  it('a "yes" that comes after the question timed out leads to a recheck (a busy host), a late "no" does not', async () => {
    let listener: ((m: unknown) => void) | undefined;
    const questions: ApprovalQuery[] = [];
    const messaging: MessagingLike = {
      postMessage(message: unknown) {
        if (isApprovalQuery(message)) questions.push(message);
      },
      onDidReceiveMessage(l) {
        listener = l;
        return { dispose: () => (listener = undefined) };
      },
    };
    const channel = new ApprovalChannel(messaging, 20);
    let rechecks = 0;
    channel.onRecheck(() => (rechecks += 1));
    assert.equal(await channel.ask('text/plain', 'mean age 41.5'), false, 'no answer in time: no');
    assert.equal(await channel.ask('text/plain', 'contact Quillon Vardemarsk'), false);
    const [first, second] = questions;
    assert.ok(first && second);
    listener?.({ type: 'privet.approval', requestId: first.requestId, approved: false });
    assert.equal(rechecks, 0, 'a late "no" changes nothing: the item stays held');
    listener?.({ type: 'privet.approval', requestId: second.requestId, approved: true });
    assert.equal(rechecks, 1, 'a late "yes": the held item is asked about again');
    listener?.({ type: 'privet.approval', requestId: second.requestId, approved: true });
    assert.equal(rechecks, 1, 'each late answer counts once');
  });

  it('holds an email in stdout unless the host confirms an approval', async () => {
    const text = 'contact: jane.roe@example.org\n';
    const no = host(() => false);
    const held = await decideItem(item(STDOUT, text), (m, t) =>
      new ApprovalChannel(no.messaging).ask(m, t),
    );
    assert.equal(held.show, false);
    assert.ok(!held.show && held.review.findings.some((f) => f.rule === 'email'));
    assert.ok(!held.show && !held.tableUnconfirmed, 'flagged here, not only unconfirmed');
    assert.deepEqual(
      no.asked.map((q) => [q.mime, q.text]),
      [[STDOUT, text]],
      'the host is asked about exactly the drawn item',
    );

    const yes = host((q) => q.text === text);
    const shown = await decideItem(item(STDOUT, text), (m, t) =>
      new ApprovalChannel(yes.messaging).ask(m, t),
    );
    assert.deepEqual(shown, { show: true });
  });

  it('a possible table of rows waits for the host, which knows the views', async () => {
    const rows = [
      '<table><thead><tr><th>patient_id</th><th>date_of_birth</th><th>sex</th><th>zip</th></tr></thead><tbody>',
      ...Array.from(
        { length: 12 },
        (_, i) => `<tr><td>t${i}</td><td>40-49</td><td>F</td><td>021</td></tr>`,
      ),
      '</tbody></table>',
    ].join('\n');
    // Nothing here flags it (no views in the webview), yet it is not drawn before the host says so.
    const no = host(() => false);
    const held = await decideItem(item('text/html', rows), (m, t) =>
      new ApprovalChannel(no.messaging).ask(m, t),
    );
    assert.equal(held.show, false);
    assert.ok(!held.show && held.review.findings.some((f) => f.rule === 'row-level'));
    assert.ok(!held.show && held.tableUnconfirmed, 'held only for want of the host check');
    assert.deepEqual(
      no.asked.map((q) => q.mime),
      ['text/html'],
    );
    const yes = host(() => true);
    const shown = await decideItem(item('text/html', rows), (m, t) =>
      new ApprovalChannel(yes.messaging).ask(m, t),
    );
    assert.deepEqual(shown, { show: true });
    // Without messaging (no host to ask) it stays held.
    const none = new ApprovalChannel({});
    assert.equal((await decideItem(item('text/html', rows), (m, t) => none.ask(m, t))).show, false);
    // Short text that cannot be a table of rows is drawn without asking.
    const short = host(() => false);
    const plain = await decideItem(item('text/plain', 'rows: 12\nmean age 44'), (m, t) =>
      new ApprovalChannel(short.messaging).ask(m, t),
    );
    assert.deepEqual(plain, { show: true });
    assert.equal(short.asked.length, 0);
  });

  it('fails closed: no messaging, or no answer in time, keeps the item held', async () => {
    const html = '<table><tr><td>jane.roe@example.org</td></tr></table>';
    const none = new ApprovalChannel({});
    assert.equal((await decideItem(item('text/html', html), (m, t) => none.ask(m, t))).show, false);
    const silent = host(null);
    const slow = new ApprovalChannel(silent.messaging, 20);
    assert.equal((await decideItem(item('text/html', html), (m, t) => slow.ask(m, t))).show, false);
    assert.equal(silent.asked.length, 1);
  });

  it('answers are matched to their question; stray or malformed messages are ignored', async () => {
    let listener: ((m: unknown) => void) | undefined;
    const posted: ApprovalQuery[] = [];
    const channel = new ApprovalChannel(
      {
        postMessage: (m) => posted.push(m as ApprovalQuery),
        onDidReceiveMessage: (l) => {
          listener = l;
          return { dispose: () => undefined };
        },
      },
      1000,
    );
    const first = channel.ask('text/plain', 'a');
    const second = channel.ask('text/plain', 'b');
    listener?.({ type: 'privet.approval', requestId: 999, approved: true });
    listener?.({ type: 'privet.approval', requestId: posted[1]!.requestId, approved: 'yes' });
    listener?.({ type: 'privet.approval', requestId: posted[1]!.requestId, approved: true });
    listener?.({ type: 'privet.approval', requestId: posted[0]!.requestId, approved: false });
    assert.deepEqual(await Promise.all([first, second]), [false, true]);
    assert.equal(isApprovalAnswer({ type: 'privet.approval', requestId: 1 }), false);
    assert.equal(isApprovalQuery({ type: 'privet.approval?', requestId: 1, mime: 'x' }), false);
  });

  it('holds Markdown outputs with an address or a small count; plain Markdown passes', async () => {
    const never = async (): Promise<boolean> => false;
    const table = '| name | email |\n|---|---|\n| Jane | jane.roe@example.org |\n';
    const email = await decideItem(item('text/markdown', table), never);
    assert.ok(!email.show && email.review.findings.some((f) => f.rule === 'email'));
    // An address written with Markdown escapes is drawn as the plain address.
    const escaped = await decideItem(item('text/markdown', 'jane\\.roe@example\\.org'), never);
    assert.ok(!escaped.show && escaped.review.findings.some((f) => f.rule === 'email'));
    const counts = '| sex | n |\n|---|---|\n| F | 3 |\n| M | 40 |\n';
    const small = await decideItem(item('text/markdown', counts), never);
    assert.ok(!small.show && small.review.findings.some((f) => f.rule === 'small-cell'));
    assert.deepEqual(await decideItem(item('text/markdown', '# Hello'), never), { show: true });
  });

  it('reads LaTeX as VS Code draws it: as Markdown too, the original left as it is', async () => {
    const never = async (): Promise<boolean> => false;
    // VS Code's Markdown renderer draws text/latex as Markdown: the escapes vanish on screen.
    const escaped = 'contact jane\\.roe@example\\.org';
    const held = await decideItem(item('text/latex', escaped), never);
    assert.ok(!held.show && held.review.findings.some((f) => f.rule === 'email'));
    assert.ok(held.review.findings.some((f) => f.mime === LATEX_AS_MARKDOWN));
    const tabular = '\\begin{tabular}{lr} sex & n \\\\ F & 3 \\\\ M & 40 \\\\ \\end{tabular}';
    const small = await decideItem(item('text/latex', tabular), never);
    assert.ok(!small.show && small.review.findings.some((f) => f.rule === 'small-cell'));
    assert.deepEqual(await decideItem(item('text/latex', '$x^2$'), never), { show: true });

    const original = outputOfItem('text/latex', escaped);
    assert.deepEqual(asDrawn(original), {
      ...original,
      data: { 'text/latex': escaped, [LATEX_AS_MARKDOWN]: escaped },
    });
    assert.deepEqual(original.output_type === 'display_data' && Object.keys(original.data), [
      'text/latex',
    ]);
    const plain = outputOfItem('text/plain', 'x');
    assert.equal(asDrawn(plain), plain);
  });

  it('reads items as the review engine expects them', async () => {
    assert.deepEqual(outputOfItem(STDOUT, 'hi\n'), {
      output_type: 'stream',
      name: 'stdout',
      text: 'hi\n',
    });
    assert.deepEqual(
      outputOfItem(ERROR, JSON.stringify({ name: 'KeyError', message: 'x', stack: 'tb' })),
      { output_type: 'error', ename: 'KeyError', evalue: 'x', traceback: ['tb'] },
    );
    // An error item that is not VS Code's JSON is still checked, as the error's message.
    const bad = await decideItem(item(ERROR, 'boom jane.roe@example.org'), async () => false);
    assert.equal(bad.show, false);
    assert.deepEqual(outputOfItem('application/json', '{"a":1}'), {
      output_type: 'display_data',
      data: { 'application/json': { a: 1 } },
      metadata: {},
    });
    // A stream a kernel appended in pieces is one stream: an address split across pieces is seen.
    const pieces = outputOfItems([
      { mime: STDOUT, text: 'contact: jane.roe@exa' },
      { mime: STDOUT, text: 'mple.org\n' },
    ]);
    assert.deepEqual(pieces, {
      output_type: 'stream',
      name: 'stdout',
      text: 'contact: jane.roe@example.org\n',
    });
    assert.deepEqual(
      outputOfItems([
        { mime: 'text/html', text: '<b>x</b>' },
        { mime: 'text/plain', text: 'x' },
      ]),
      {
        output_type: 'display_data',
        data: { 'text/html': '<b>x</b>', 'text/plain': 'x' },
        metadata: {},
      },
    );
    // An item whose text cannot be read is blocked, never drawn.
    const unreadable = await decideItem(
      {
        mime: 'text/plain',
        text: () => {
          throw new Error('bad bytes');
        },
      },
      async () => false,
    );
    assert.ok(!unreadable.show && unreadable.review.verdict === 'block');
  });
});
