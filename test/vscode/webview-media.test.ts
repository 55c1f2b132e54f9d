/**
 * The webview scripts (vscode-ext/media/review.js, budget.js) in a minimal page (webview-dom.ts):
 * a failed load of a request's whole output can be tried again (and Approve of a partial preview
 * is enabled once it loads); a rebuild gives focus back to the control that had it and says
 * notices through the one status line; the page's root is no live region; budget bars are meters
 * with their values; a whole output is asked for once at a time (a rebuild keeps its "Loading…");
 * the same text is said again when it answers a Retry; the shared code is in webview-common.*.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { loadWebview, type Page, type PageElement } from './webview-dom.js';

const { webviewHtml } = await import('../../vscode-ext/src/webview/html.js');

/** A pending review request as the queue lists it. */
function request(id: string): Record<string, unknown> {
  return {
    id,
    state: 'pending',
    experiment: 'exp1',
    experimentPurpose: 'Study',
    requester: 'ana',
    createdAt: '2026-12-05T10:00:00.000Z',
    justification: 'Figure 2',
    viewsUsed: ['people_masked'],
    verdict: 'flag',
    findings: [{ rule: 'image', severity: 'flag', message: 'a picture' }],
    redactedPreview: '[image]',
    comments: [],
  };
}

/** The queue message of the extension: `partial` requests must be opened before approval. */
function queue(reviews: Record<string, unknown>[], notice?: string): Record<string, unknown> {
  return {
    type: 'queue',
    user: 'rita',
    reviewer: true,
    reviews,
    partial: reviews.map((r) => r.id),
    ...(notice ? { notice } : {}),
  };
}

/** The card of request `id`. */
function card(page: Page, id: string): PageElement {
  const found = page.root.querySelectorAll('[data-review-id]');
  const c = found.find((n) => n.getAttribute('data-review-id') === id);
  assert.ok(c, `a card for ${id}`);
  return c;
}

describe('review queue webview', () => {
  it('lists each finding with its part, the readings that found it and how many times', () => {
    const page = loadWebview('review');
    const grouped = {
      ...request('rev-1'),
      findings: [
        {
          rule: 'small-cell',
          severity: 'flag',
          mime: 'image/svg+xml (text, SVG text, as written)',
          message: 'a count stated in text below the threshold of 10',
          count: 3,
        },
        { rule: 'email', severity: 'block', mime: 'text/plain', message: 'an email', count: 1 },
      ],
    };
    page.send(queue([grouped]));
    const list = card(page, 'rev-1').querySelectorAll('.findings')[0]!;
    const items = list.querySelectorAll('li');
    assert.deepEqual(
      items.map((li) => li.textContent),
      [
        'small-cell flag in image/svg+xml (text, SVG text, as written): a count stated in text below the threshold of 10 ×3',
        'email block in text/plain: an email',
      ],
    );
  });

  it('offers "Try again" when the whole output failed to load, and enables Approve once it loads', () => {
    const page = loadWebview('review');
    page.send(queue([request('rev-1')]));
    assert.equal(page.button('Approve', card(page, 'rev-1')).disabled, true, 'partial: open first');

    page.button('Show the whole output').click();
    assert.deepEqual(page.posted.at(-1), { type: 'output', id: 'rev-1' });
    page.send({
      type: 'outputError',
      id: 'rev-1',
      message: 'could not reach the Privet gateway. Fix: start it',
    });
    const error = page.root.querySelectorAll('.error');
    assert.equal(error.length, 1);
    assert.match(error[0]!.textContent, /could not be loaded: could not reach the Privet gateway/);
    assert.equal(page.button('Approve').disabled, true, 'still closed: Approve stays disabled');

    // Try again: the failure is forgotten and the output is asked for again.
    page.posted.length = 0;
    page.button('Try again').click();
    assert.deepEqual(page.posted, [{ type: 'output', id: 'rev-1' }]);
    page.send({
      type: 'output',
      id: 'rev-1',
      parts: [{ kind: 'text', mime: 'text/plain', text: 'the table' }],
    });
    assert.equal(page.root.querySelectorAll('.error').length, 0);
    assert.equal(page.byText('Try again', 'button').length, 0);
    assert.equal(page.button('Approve').disabled, false, 'opened: Approve is enabled');
    assert.equal(page.root.querySelectorAll('.open-first').length, 0);

    // A later refresh of the queue keeps the loaded output (no panel reopening needed).
    page.send(queue([request('rev-1')]));
    assert.equal(page.button('Approve').disabled, false);
  });

  it('gives focus back to the same control after a rebuild, and says notices in the status line', () => {
    const page = loadWebview('review');
    page.send(queue([request('rev-1'), request('rev-2')]));
    page.button('Request changes', card(page, 'rev-2')).focus();
    page.send(queue([request('rev-1'), request('rev-2')]));
    const focused = page.activeElement;
    assert.notEqual(focused, page.body, 'focus did not drop to the page');
    assert.equal(focused.textContent, 'Request changes');
    assert.ok(card(page, 'rev-2').contains(focused), 'the same request’s button');
    page.nextFrame();
    assert.equal(page.status.textContent, '', 'nothing to say');

    // Typing a comment survives a rebuild, focus and caret included.
    const comment = card(page, 'rev-1').querySelectorAll('textarea')[0]!;
    comment.focus();
    comment.value = 'needs a bigger group';
    comment.dispatch('input');
    comment.setSelectionRange(5, 5);
    page.send(queue([request('rev-1'), request('rev-2')]));
    const again = page.activeElement;
    assert.equal(again.tagName, 'textarea');
    assert.equal(again.value, 'needs a bigger group');
    assert.deepEqual([again.selectionStart, again.selectionEnd], [5, 5]);

    // Reject (the clicked buttons are disabled, focus falls to the page), then the queue comes
    // back decided: focus goes to that request's heading, and the notice is said once.
    page.button('Reject', card(page, 'rev-1')).click();
    assert.equal(page.activeElement, page.body);
    const decided = { ...request('rev-1'), state: 'rejected', decidedBy: 'rita' };
    page.send(queue([decided, request('rev-2')], 'rev-1 is now rejected'));
    page.nextFrame();
    assert.equal(page.activeElement.tagName, 'h2');
    assert.ok(card(page, 'rev-1').contains(page.activeElement));
    assert.equal(page.status.textContent, 'rev-1 is now rejected');
    assert.equal(page.root.querySelectorAll('[role]').length, 0, 'no second live region');

    // The whole output: focus moves from its button to the output once loaded.
    page.button('Show the whole output', card(page, 'rev-2')).click();
    page.send({ type: 'output', id: 'rev-2', parts: [] });
    page.nextFrame();
    assert.ok(page.activeElement.className.includes('whole-output'));
    assert.match(page.status.textContent, /whole output of rev-2 is shown/);
  });

  it('keeps one whole-output request in flight across rebuilds, and ignores a stale answer', () => {
    const page = loadWebview('review');
    page.send(queue([request('rev-1')]));
    page.button('Show the whole output').click();
    assert.deepEqual(page.posted.at(-1), { type: 'output', id: 'rev-1' });
    const asked = page.posted.length;
    // The queue is rebuilt while it loads: the button stays a disabled "Loading…".
    page.send(queue([request('rev-1')]));
    assert.equal(page.byText('Show the whole output', 'button').length, 0);
    const loading = page.button('Loading…');
    assert.equal(loading.disabled, true);
    loading.click();
    assert.equal(page.posted.length, asked, 'no second request');
    assert.equal(page.button('Approve').disabled, true, 'not opened yet');

    // It fails; Try again loads again, and a rebuild meanwhile keeps "Loading…".
    page.send({ type: 'outputError', id: 'rev-1', message: 'the gateway timed out' });
    page.nextFrame();
    const failed = 'The whole output of rev-1 could not be loaded: the gateway timed out';
    assert.equal(page.status.textContent, failed);
    page.button('Try again').click();
    page.send(queue([request('rev-1')]));
    assert.equal(page.byText('Show the whole output', 'button').length, 0, 'not offered again');
    assert.equal(page.button('Loading…').disabled, true);
    // It fails the same way: said again (cleared, then set on the next frame).
    page.send({ type: 'outputError', id: 'rev-1', message: 'the gateway timed out' });
    assert.equal(page.status.textContent, '');
    page.nextFrame();
    assert.equal(page.status.textContent, failed);

    // An answer nobody is waiting for (a late duplicate) changes nothing.
    page.send({
      type: 'output',
      id: 'rev-1',
      parts: [{ kind: 'text', mime: 'text/plain', text: 'x' }],
    });
    page.nextFrame();
    assert.equal(page.button('Try again').disabled, false, 'still the failure');
    assert.equal(page.status.textContent, failed);

    // Asked for while signed out (the extension answers with signedOut): offered again later.
    page.send(queue([request('rev-2')]));
    page.button('Show the whole output', card(page, 'rev-2')).click();
    page.send({ type: 'signedOut' });
    page.send(queue([request('rev-2')]));
    assert.equal(page.button('Show the whole output', card(page, 'rev-2')).disabled, false);
  });

  it('the shell has one status line and no live region around the rebuilt page', () => {
    const uri = { toString: () => 'vscode-resource:/media' };
    const html = webviewHtml(
      { cspSource: 'vscode-resource:', asWebviewUri: (u: unknown) => u } as never,
      uri as never,
      'review',
      'Privet review queue',
    );
    assert.doesNotMatch(html, /aria-live/);
    assert.match(html, /<div id="status" class="status" role="status"><\/div><main id="root">/);
    // What the pages share loads first, with the same nonce as the page's own script.
    const scripts = [...html.matchAll(/<script nonce="([^"]+)" src="([^"]+)"><\/script>/g)];
    assert.deepEqual(
      scripts.map((m) => m[2]),
      ['vscode-resource:/media/webview-common.js', 'vscode-resource:/media/review.js'],
    );
    assert.equal(scripts[0]![1], scripts[1]![1]);
    assert.match(
      html,
      new RegExp(`script-src 'nonce-${scripts[0]![1]!.replace(/[+/]/g, '\\$&')}'`),
    );
    const styles = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(styles, [
      'vscode-resource:/media/webview-common.css',
      'vscode-resource:/media/review.css',
    ]);
  });

  it('the shared rules are in webview-common only: no page redefines them', () => {
    const read = (file: string) =>
      readFileSync(resolve(import.meta.dirname, `../../vscode-ext/media/${file}`), 'utf8');
    for (const page of ['review', 'budget']) {
      assert.doesNotMatch(read(`${page}.js`), /function (announce|focusedKey|restoreFocus|el)\(/);
      assert.doesNotMatch(read(`${page}.css`), /^(\.status|button:focus-visible|button) \{/m);
    }
    assert.match(read('webview-common.css'), /^\.status \{/m);
  });
});

describe('budget webview', () => {
  /** A budget state message with ε 0.3 spent and 0.2 reserved of 1. */
  function state(): Record<string, unknown> {
    const amount = (value: number) => ({
      epsilon: { exact: String(value), text: String(value), value },
      delta: { exact: '0', text: '0', value: 0 },
    });
    return {
      type: 'state',
      user: 'ana',
      experiment: {
        id: 'exp1',
        title: 'Study',
        state: 'running',
        purpose: 'p',
        owner: 'ana',
        members: [],
        views: ['people_dp'],
        updatedAt: '2026-12-05',
      },
      budget: {
        budgets: [
          {
            source: 'people',
            scope: 'experiment',
            total: amount(1),
            spent: amount(0.3),
            reserved: amount(0.2),
            remaining: amount(0.5),
          },
        ],
        charges: [],
      },
      chargeEpsilon: [],
      perQuery: [null],
    };
  }

  it('draws each budget as a meter with its values and words', () => {
    const page = loadWebview('budget');
    page.send(state());
    const [meter] = page.root.querySelectorAll('[role="meter"]');
    assert.ok(meter);
    assert.equal(meter.getAttribute('aria-valuemin'), '0');
    assert.equal(meter.getAttribute('aria-valuemax'), '1');
    assert.equal(meter.getAttribute('aria-valuenow'), '0.5');
    assert.equal(
      meter.getAttribute('aria-valuetext'),
      'ε 0.3 spent and 0.2 reserved of 1; 0.5 left',
    );
  });

  it("shows the policy's per-query limit under its budget, and nothing when there is none", () => {
    const page = loadWebview('budget');
    page.send(state());
    const texts = () => page.root.querySelectorAll('.gauge')[0]?.children.map((c) => c.textContent);
    assert.deepEqual(texts()?.slice(2), ['spent ε 0.3, reserved ε 0.2']);
    page.send({ ...state(), perQuery: ['At most ε 0.5 per query'] });
    assert.deepEqual(texts()?.slice(2), ['spent ε 0.3, reserved ε 0.2', 'At most ε 0.5 per query']);
  });

  it('keeps focus on Refresh across updates and says errors in the status line', () => {
    const page = loadWebview('budget');
    page.send(state());
    page.button('Refresh').click();
    assert.deepEqual(page.posted.at(-1), { type: 'refresh' });
    page.send(state());
    assert.equal(page.activeElement.textContent, 'Refresh');
    page.send({ type: 'error', message: 'could not reach the gateway', fix: 'start it' });
    assert.equal(page.activeElement.textContent, 'Retry', 'Retry takes the place of Refresh');
    page.nextFrame();
    assert.equal(
      page.status.textContent,
      'The budget could not be read: could not reach the gateway. Fix: start it',
    );
  });

  it('says a Retry that failed the same way again, and an unasked repeat not', () => {
    const page = loadWebview('budget');
    const error = { type: 'error', message: 'could not reach the gateway', fix: 'start it' };
    const said = 'The budget could not be read: could not reach the gateway. Fix: start it';
    page.send(error);
    page.nextFrame();
    assert.equal(page.status.textContent, said);
    // The same error again, nobody asked (e.g. another session change): not said again.
    page.send(error);
    assert.equal(page.status.textContent, said, 'left as it is');
    // Retry fails the same way: cleared, then said again on the next frame.
    page.button('Retry').click();
    page.send(error);
    assert.equal(page.status.textContent, '', 'cleared first');
    page.nextFrame();
    assert.equal(page.status.textContent, said, 'said again');
  });
});
