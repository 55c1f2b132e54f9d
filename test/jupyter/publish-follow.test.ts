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
  publishSummary(job: PublishJob): string;
}>('panel/publish-follow.ts');
const view = await load<{
  PublishJobView: Component;
  isPublishing(job: PublishJob | null, stalled: Stalled | null): boolean;
  stalledBy(error: unknown): Stalled;
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

/** A client whose polls answer `script` in turn (an Error is thrown). */
function scripted(script: (PublishJob | Error)[]) {
  let polls = 0;
  return {
    get polls() {
      return polls;
    },
    getPublishJob: () => {
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
