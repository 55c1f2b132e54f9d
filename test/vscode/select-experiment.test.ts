/**
 * "Privet: Select Experiment" (vscode-ext/src/sidebar/select-experiment.ts): with no approved or
 * running experiment it says how to get one instead of opening an empty pick; otherwise it offers
 * only those. With an in-memory VS Code API and a stub gateway client.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { ACTIVE_STATES } from '@privet/core/record/lifecycle';
import { LIFECYCLE_STATES } from '@privet/core/record/types';
import type { Experiment, GatewayClient } from '../../vscode-ext/src/client/gateway.js';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { pickExperiment } = await import('../../vscode-ext/src/sidebar/select-experiment.js');

/** A stub client listing experiments in these states. */
function client(...states: string[]): GatewayClient {
  const experiments = states.map(
    (state, i) => ({ id: `e${i}`, title: `Study ${i}`, state, views: [] }) as unknown as Experiment,
  );
  return { listExperiments: () => Promise.resolve({ experiments }) } as unknown as GatewayClient;
}

describe('Select Experiment', () => {
  beforeEach(() => {
    fake.shownMessages.length = 0;
    fake.shownQuickPicks.length = 0;
    fake.quickPickAnswer.pick = () => undefined;
  });

  it('says how to get an experiment when none is approved or running, with no empty pick', async () => {
    assert.equal(await pickExperiment(client('proposal', 'dissolved')), undefined);
    assert.deepEqual(fake.shownQuickPicks, [], 'no empty quick pick');
    assert.equal(fake.shownMessages.length, 1);
    const [message] = fake.shownMessages;
    assert.match(message!, /no approved or running experiment/);
    assert.match(message!, /1 proposed experiment is still waiting: ask a steward to approve it/);
    assert.match(message!, /Fix: propose one .*privet experiment propose.*steward approve it/);

    fake.shownMessages.length = 0;
    await pickExperiment(client());
    assert.doesNotMatch(fake.shownMessages[0]!, /still waiting/, 'none proposed: not said');
  });

  it('offers only approved and running experiments, and returns the one picked', async () => {
    fake.quickPickAnswer.pick = (items) => items[1];
    const picked = await pickExperiment(client('approved', 'proposal', 'running'));
    assert.deepEqual(
      fake.shownQuickPicks[0]?.map((i) => (i as { id: string }).id),
      ['e0', 'e2'],
    );
    assert.equal(picked, 'e2');
    assert.deepEqual(fake.shownMessages, []);
  });

  it("offers exactly the states core's lifecycle allows data access in", async () => {
    fake.quickPickAnswer.pick = () => undefined;
    await pickExperiment(client(...LIFECYCLE_STATES));
    const offered = fake.shownQuickPicks[0]?.map((i) => (i as { description: string }).description);
    assert.deepEqual(
      offered?.map((d) => d.split(' · ')[1]),
      LIFECYCLE_STATES.filter((state) => ACTIVE_STATES.includes(state)),
    );
    // No second list of those states in the extension: it asks core.
    const source = readFileSync(
      resolve(import.meta.dirname, '../../vscode-ext/src/sidebar/select-experiment.ts'),
      'utf8',
    );
    assert.match(source, /from '@privet\/core\/record\/lifecycle'/);
    assert.doesNotMatch(source, /\['approved', 'running'\]/);
  });
});
