/**
 * "Privet: Check Review Status" says what is true: signed out it opens Sign In; with no
 * experiment it says so and offers "Select Experiment"; with nothing withheld it says there is
 * nothing to check (not "nothing approved yet"); otherwise it checks with progress in the status
 * bar and, when nothing was approved, says how many outputs wait, were rejected or were never
 * sent. With the in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { checkReviewsNow } = await import('../../vscode-ext/src/notebook/check-reviews.js');
const { HeldOutputs } = await import('../../vscode-ext/src/notebook/held.js');

/** A restorer stub restoring `restored` outputs, counting its checks. */
function restorer(restored = 0): { check(): Promise<number>; checks: number } {
  const r = {
    checks: 0,
    check: () => {
      r.checks++;
      return Promise.resolve(restored);
    },
  };
  return r;
}

/** A held original (content irrelevant here). */
function hold(held: InstanceType<typeof HeldOutputs>): string {
  return held.hold({
    output: { output_type: 'stream', name: 'stdout', text: 'x' },
    review: { verdict: 'flag', findings: [] },
    cellSource: 'print(x)',
    viewsUsed: [],
  } as never);
}

const signedIn = (experiment: string | undefined): never =>
  ({ client: {}, user: 'ana', roles: [], experiment }) as never;

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('Check Review Status', () => {
  beforeEach(() => {
    fake.shownMessageDetails.length = 0;
    fake.executedCommands.length = 0;
    fake.shownProgress.length = 0;
    fake.messageAnswer.pick = () => undefined;
  });

  it('signed out: opens Sign In instead of saying nothing was approved', async () => {
    const r = restorer();
    await checkReviewsNow(undefined, new HeldOutputs(), r);
    assert.deepEqual(
      fake.executedCommands.map((c) => c.command),
      ['privet.signIn'],
    );
    assert.equal(r.checks, 0);
    assert.deepEqual(fake.shownMessageDetails, []);
  });

  it('no experiment: says so and offers Select Experiment', async () => {
    fake.messageAnswer.pick = (shown) => shown.items[0];
    await checkReviewsNow(signedIn(undefined), new HeldOutputs(), restorer());
    await settle();
    const [shown] = fake.shownMessageDetails;
    assert.equal(shown?.severity, 'warning');
    assert.match(shown!.message, /no experiment is selected/);
    assert.deepEqual(shown!.items, ['Select Experiment']);
    assert.deepEqual(
      fake.executedCommands.map((c) => c.command),
      ['privet.selectExperiment'],
    );
  });

  it('nothing withheld: says there is nothing to check', async () => {
    const r = restorer();
    await checkReviewsNow(signedIn('e1'), new HeldOutputs(), r);
    assert.match(fake.shownMessageDetails[0]!.message, /no output is withheld in this window/);
    assert.equal(r.checks, 0);
  });

  it('checks with progress and says how many wait, were rejected, or were never sent', async () => {
    const held = new HeldOutputs();
    held.markSubmitted(hold(held), 'rev-1', 'h1');
    held.markSubmitted(hold(held), 'rev-2', 'h2');
    held.get(held.entries()[1]![0])!.submitted!.state = 'rejected';
    hold(held);
    const r = restorer(0);
    await checkReviewsNow(signedIn('e1'), held, r);
    assert.equal(r.checks, 1);
    assert.deepEqual(fake.shownProgress, ['Privet: checking review status…']);
    const text = fake.shownMessageDetails[0]!.message;
    assert.match(text, /1 output waiting for a reviewer/);
    assert.match(text, /1 output rejected/);
    assert.match(text, /1 output not sent for review \(use "Request Review" on the cell\)/);
  });
});
