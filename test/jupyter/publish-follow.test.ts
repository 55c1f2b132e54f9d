/**
 * The data panel following a publish job (jupyter-ext panel/publish-follow.ts and
 * PublishJobView.tsx): a failed poll no longer leaves the job "running" for ever (a frozen bar and
 * a disabled Publish button). A few failed polls in a row are retried; after that the box shows
 * what happened and how to fix it, with "Check again", and Publish is enabled again. A screen
 * reader is told each phase and the result, not every percentage.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PublishJob } from '@privet/core';
import { GatewayError } from '@privet/core/client/index';
import { html, load, text } from './render.js';

type Component = (props: Record<string, unknown>) => unknown;
interface Stalled {
  error: { message: string; fix?: string };
  canCheckAgain: boolean;
}
const follow = await load<{
  MAX_POLL_FAILURES: number;
  followWithRetries(
    client: { getPublishJob(id: string): Promise<PublishJob> },
    first: PublishJob,
    onProgress: (job: PublishJob) => void,
    options: { intervalMs: number; maxPolls: number; maxFailures: number },
  ): Promise<PublishJob>;
  publishAnnouncement(job: PublishJob): string;
  isJobLost(error: unknown): boolean;
  retryDelayMs(intervalMs: number, failures: number): number;
  publishSummary(job: PublishJob): string;
}>('panel/publish-follow.ts');
const view = await load<{
  PublishJobView: Component;
  isPublishing(job: PublishJob | null, stalled: Stalled | null): boolean;
  stalledBy(error: unknown): Stalled;
  publishButton(state: {
    starting: boolean;
    publishing: boolean;
    planning: boolean;
    planned: boolean;
  }): { disabled: boolean; label: string };
}>('panel/PublishJobView.tsx');

/** A job snapshot. */
function job(state: PublishJob['state'], fraction: number, phase = 'mask'): PublishJob {
  return {
    id: 'job1',
    state,
    startedAt: '2026-01-01T00:00:00Z',
    progress: { phase, view: 'people_masked', fraction, message: `${fraction} of the rows` },
    ...(state === 'done'
      ? { result: { published: [{ view: 'people_masked', rows: 40, rowsSuppressed: 0 }] } }
      : {}),
  };
}
const unreachable = (): GatewayError =>
  new GatewayError('could not reach the Privet gateway at http://gw', 'start it', 'unreachable');

/** A client whose polls answer `script` in turn (an Error is thrown); `at`: when each came. */
function scripted(script: (PublishJob | Error)[]) {
  let polls = 0;
  const at: number[] = [];
  return {
    get polls() {
      return polls;
    },
    at,
    getPublishJob: () => {
      at.push(performance.now());
      const next = script[Math.min(polls++, script.length - 1)]!;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
  };
}
const options = { intervalMs: 1, maxPolls: 100, maxFailures: follow.MAX_POLL_FAILURES };

describe('publish box: a poll that fails', () => {
  test('a few failed polls in a row are retried, and the job is followed to its end', async () => {
    const client = scripted([
      unreachable(),
      unreachable(),
      job('running', 0.5),
      unreachable(),
      job('done', 1),
    ]);
    const seen: number[] = [];
    const last = await follow.followWithRetries(
      client,
      job('running', 0),
      (j) => seen.push(j.progress.fraction),
      options,
    );
    assert.equal(last.state, 'done');
    assert.deepEqual(seen, [0.5, 1]);
  });

  test('after MAX_POLL_FAILURES in a row it stops with the error, and Publish is enabled again', async () => {
    const client = scripted([unreachable()]);
    const running = job('running', 0.3);
    const error = await follow
      .followWithRetries(client, running, () => undefined, options)
      .then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
    assert.equal(client.polls, follow.MAX_POLL_FAILURES);
    assert.equal(view.isPublishing(running, null), true, 'while followed');
    const stalled = view.stalledBy(error);
    assert.equal(view.isPublishing(running, stalled), false, 'Publish views… is enabled again');
    const shown = text(
      html(view.PublishJobView, { job: running, stalled, onCheckAgain: () => undefined }),
    );
    assert.match(
      shown,
      /Lost track of the publish job: could not reach the Privet gateway at http:\/\/gw/,
    );
    assert.match(shown, /Fix: start it; then choose Check again/);
    assert.match(shown, /Check again$/);
  });

  test('a job the gateway forgot is not polled again and offers no Check again', async () => {
    const client = scripted([new GatewayError('no such job', 'none', 'not_found', 404)]);
    const running = job('running', 0.1);
    const error = await follow
      .followWithRetries(client, running, () => undefined, options)
      .then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
    assert.equal(client.polls, 1);
    const stalled = view.stalledBy(error);
    assert.equal(stalled.canCheckAgain, false);
    assert.equal(view.isPublishing(running, stalled), false);
    const shown = text(
      html(view.PublishJobView, { job: running, stalled, onCheckAgain: () => undefined }),
    );
    assert.doesNotMatch(shown, /Check again/);
    assert.match(shown, /restarted while publishing.* Fix: check the views' publish times/);
  });
});

describe('publish box: which failed polls are retried, and when', () => {
  test('a refusal (401) is not retried: asking again cannot help', async () => {
    const refused = new GatewayError(
      'your token was not accepted',
      'sign in again',
      'unauthenticated',
      401,
    );
    const client = scripted([refused]);
    const error = await follow
      .followWithRetries(client, job('running', 0.1), () => undefined, options)
      .catch((e: unknown) => e);
    assert.equal(error, refused);
    assert.equal(client.polls, 1);
  });

  test('a gateway failing on its side (503) or not answering in time is retried', async () => {
    for (const error of [
      new GatewayError('the gateway is busy', 'wait a moment', 'error', 503),
      new GatewayError('the Privet gateway did not answer within 60 s', 'retry', 'timeout'),
    ]) {
      const client = scripted([error, job('done', 1)]);
      const last = await follow.followWithRetries(
        client,
        job('running', 0.1),
        () => undefined,
        options,
      );
      assert.equal(last.state, 'done', error.code);
      assert.equal(client.polls, 2);
    }
  });

  test('each retry waits twice as long as the last (0.5, 1, 2, 4, 8 s at 500 ms), at most 16 intervals', async () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 9].map((n) => follow.retryDelayMs(500, n)),
      [500, 1000, 2000, 4000, 8000, 8000, 8000],
    );
    const client = scripted([unreachable()]);
    const intervalMs = 10;
    await follow
      .followWithRetries(client, job('running', 0.1), () => undefined, { ...options, intervalMs })
      .catch(() => undefined);
    const gaps = client.at.slice(1).map((t, i) => t - client.at[i]!);
    assert.equal(gaps.length, follow.MAX_POLL_FAILURES - 1);
    gaps.forEach((gap, i) => {
      const expected = follow.retryDelayMs(intervalMs, i + 1);
      assert.ok(gap >= expected - 2, `retry ${i + 1} came after ${gap} ms, not ${expected} ms`);
    });
  });

  test('one isJobLost for following and for the box', () => {
    const lost = new GatewayError('the gateway restarted', 'publish again', 'job_lost', 404);
    assert.equal(follow.isJobLost(lost), true);
    assert.equal(follow.isJobLost(unreachable()), false);
    assert.equal(view.stalledBy(lost).canCheckAgain, false);
  });
});

describe('publish box: the "Publish views…" button', () => {
  const idle = { starting: false, publishing: false, planning: false, planned: false };
  test('disabled while the request that starts the job is in flight (no second job)', () => {
    assert.deepEqual(view.publishButton({ ...idle, starting: true }), {
      disabled: true,
      label: 'Starting…',
    });
  });
  test('disabled while publishing, checking the cost or showing the plan; enabled otherwise', () => {
    assert.equal(view.publishButton({ ...idle, publishing: true }).label, 'Publishing…');
    assert.equal(view.publishButton({ ...idle, planning: true }).disabled, true);
    assert.equal(view.publishButton({ ...idle, planned: true }).disabled, true);
    assert.deepEqual(view.publishButton(idle), { disabled: false, label: 'Publish views…' });
  });
});

describe('publish box: what a screen reader is told', () => {
  test('each phase, not every percentage or message; then the result', () => {
    const a = follow.publishAnnouncement(job('running', 0.1));
    assert.equal(follow.publishAnnouncement(job('running', 0.2)), a, 'the same phase: no new text');
    assert.equal(a, 'Publishing: masking · people_masked');
    assert.notEqual(follow.publishAnnouncement(job('running', 0.6, 'arrow')), a);
    assert.equal(
      follow.publishAnnouncement(job('done', 1)),
      'Published 1 views: people_masked (40 rows)',
    );
  });

  test('the bar keeps the percentage; only the announcement is a live region', () => {
    const markup = html(view.PublishJobView, {
      job: job('running', 0.42),
      stalled: null,
      onCheckAgain: () => undefined,
    });
    assert.match(follow.publishSummary(job('running', 0.42)), /^42% · masking/);
    const live = /<span[^>]*aria-live="polite"[^>]*>([^<]*)<\/span>/.exec(markup);
    assert.equal(live?.[1], 'Publishing: masking · people_masked');
    assert.equal((markup.match(/aria-live/g) ?? []).length, 1);
    assert.match(text(markup), /42% · masking/);
  });
});
