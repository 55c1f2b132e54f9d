/**
 * "Privet: Check Review Status" with the gateway down says the check failed, why and the fix (an
 * error with "Show Log", logged to the "Privet" channel) instead of "nothing is approved yet":
 * Approvals.approvedHeld and the restorer's check reject with the gateway's error, while
 * approvedHashes (the output gate's question) still fails closed. The restore notice uses proper
 * plural wording. With the in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { checkReviewsNow } = await import('../../vscode-ext/src/notebook/check-reviews.js');
const { HeldOutputs } = await import('../../vscode-ext/src/notebook/held.js');
const { Approvals } = await import('../../vscode-ext/src/notebook/approvals.js');
const { ApprovedOutputRestorer, restoredText } =
  await import('../../vscode-ext/src/notebook/restore.js');
const { GatewayError } = await import('../../vscode-ext/src/client/gateway.js');

const DOWN = 'could not reach the Privet gateway at http://127.0.0.1:1';
const FIX = 'start the gateway, or set privet.gatewayUrl to where it runs';

/** A gateway client whose every review-status question fails as an unreachable gateway does. */
const downClient = {
  baseUrl: 'http://127.0.0.1:1',
  reviewStatus: () => Promise.reject(new GatewayError(DOWN, FIX, 'unreachable')),
} as never;

/** A held original with a submitted review request. */
function heldOne(): InstanceType<typeof HeldOutputs> {
  const held = new HeldOutputs();
  const id = held.hold({
    output: { output_type: 'stream', name: 'stdout', text: 'x' },
    review: { verdict: 'flag', findings: [] },
    cellSource: 'print(x)',
    viewsUsed: [],
  } as never);
  held.markSubmitted(id, 'rev-1', 'h1');
  return held;
}

/** A log that keeps its lines and counts "Show Log". */
function memoryLog(): { lines: string[]; shown: number; error(m: string): void; show(): void } {
  const log = {
    lines: [] as string[],
    shown: 0,
    error: (m: string) => void log.lines.push(m),
    show: () => void log.shown++,
  };
  return log;
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('review status with the gateway down', () => {
  beforeEach(() => {
    fake.shownMessageDetails.length = 0;
    fake.shownProgress.length = 0;
    fake.messageAnswer.pick = () => undefined;
  });

  it('approvedHeld rejects with the gateway error; approvedHashes still approves nothing', async () => {
    const approvals = new Approvals();
    await assert.rejects(approvals.approvedHeld(downClient, 'e1', heldOne()), (e: unknown) => {
      return e instanceof GatewayError && e.message === DOWN;
    });
    assert.deepEqual([...(await approvals.approvedHashes(downClient, 'e1', ['h1']))], []);
  });

  it("the restorer's check rejects instead of resolving to 0 restored", async () => {
    const session = {
      signedIn: { client: downClient, user: 'ana', roles: [], experiment: 'e1' },
      onDidChange: new fake.EventEmitter<void>().event,
    };
    const restorer = new ApprovedOutputRestorer(session as never, heldOne(), new Approvals());
    try {
      await assert.rejects(restorer.check(), /could not reach the Privet gateway/);
    } finally {
      restorer.dispose();
    }
  });

  it('the command shows the failure with its fix and Show Log, not "nothing approved"', async () => {
    fake.messageAnswer.pick = (shown) => (shown.severity === 'error' ? 'Show Log' : undefined);
    const log = memoryLog();
    const failing = { check: () => Promise.reject(new GatewayError(DOWN, FIX, 'unreachable')) };
    const signedIn = { client: {}, user: 'ana', roles: [], experiment: 'e1' } as never;
    await checkReviewsNow(signedIn, heldOne(), failing, log);
    await settle();
    assert.deepEqual(fake.shownProgress, ['Privet: checking review status…']);
    assert.equal(fake.shownMessageDetails.length, 1);
    const [shown] = fake.shownMessageDetails;
    assert.equal(shown!.severity, 'error');
    assert.equal(
      shown!.message,
      `Privet: checking review status with the gateway failed: ${DOWN}. Fix: ${FIX}`,
    );
    assert.doesNotMatch(shown!.message, /approved yet/);
    assert.deepEqual(shown!.items, ['Show Log']);
    assert.deepEqual(log.lines, [shown!.message]);
    assert.equal(log.shown, 1);
  });

  it('says how many outputs were restored in proper English', () => {
    assert.equal(
      restoredText(1),
      'Privet: a reviewer approved 1 withheld output; it is restored in the notebook.',
    );
    assert.equal(
      restoredText(3),
      'Privet: reviewers approved 3 withheld outputs; they are restored in the notebook.',
    );
    assert.doesNotMatch(restoredText(2), /\(s\)/);
  });
});
