/**
 * The "Experiments & views" tree (vscode-ext/src/sidebar/tree.ts): empty while signed out, so VS
 * Code shows the welcome content with its Sign In button; an experiment without views says so
 * instead of expanding to nothing; a failed read gives the gateway's fix and refreshes on click.
 * With an in-memory VS Code API and a stub gateway client.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Experiment } from '../../vscode-ext/src/client/gateway.js';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { PrivetTree } = await import('../../vscode-ext/src/sidebar/tree.js');
const { GatewayError } = await import('../../vscode-ext/src/client/gateway.js');
const { noUsableExperimentText } =
  await import('../../vscode-ext/src/sidebar/select-experiment.js');

/** An experiment as the gateway lists it, requesting `views`. */
function experiment(id: string, views: string[]): Experiment {
  return {
    id,
    title: `Study ${id}`,
    state: 'running',
    purpose: 'p',
    views,
  } as unknown as Experiment;
}

/** A session over a stub client (`signedIn` undefined: signed out). */
function session(client: object | undefined): unknown {
  return {
    signedIn: client ? { client, user: 'ana', roles: ['analyst'], experiment: 'e1' } : undefined,
    onDidChange: new fake.EventEmitter<void>().event,
  };
}

describe('Privet tree', () => {
  it('is empty while signed out, so the welcome content and its Sign In button show', async () => {
    const tree = new PrivetTree(session(undefined) as never);
    assert.deepEqual(await tree.getChildren(), []);
  });

  it('says "No views" for an experiment without views, and why', async () => {
    const client = {
      listExperiments: () =>
        Promise.resolve({ experiments: [experiment('e1', []), experiment('e2', ['later'])] }),
      listViews: () => Promise.resolve({ views: [] }),
    };
    const tree = new PrivetTree(session(client) as never);
    const [e1, e2] = await tree.getChildren();
    assert.ok(e1 && e2);
    for (const [node, why] of [
      [e1, /requests no views/],
      [e2, /view this experiment requests is published on the gateway yet\. Fix: ask a steward/],
    ] as const) {
      const children = await tree.getChildren(node);
      assert.equal(children.length, 1);
      const item = tree.getTreeItem(children[0]!) as unknown as Fake.TreeItem;
      assert.equal(item.label, 'No views');
      assert.match(String(item.tooltip), why);
    }
  });

  it("gives the gateway's fix for a failed read, and refreshes on click", async () => {
    const client = {
      listExperiments: () =>
        Promise.reject(
          new GatewayError(
            'could not reach the Privet gateway at http://127.0.0.1:1',
            'start it (npm start) and check the setting privet.gatewayUrl',
            'unreachable',
          ),
        ),
    };
    const tree = new PrivetTree(session(client) as never);
    const [node, ...rest] = await tree.getChildren();
    assert.ok(node);
    assert.equal(rest.length, 0);
    const item = tree.getTreeItem(node) as unknown as Fake.TreeItem;
    assert.equal(
      item.label,
      'Could not load: could not reach the Privet gateway at http://127.0.0.1:1',
    );
    assert.equal(
      item.description,
      'Fix: start it (npm start) and check the setting privet.gatewayUrl',
    );
    assert.match(String(item.tooltip), /Fix: start it .*Click to refresh\./);
    assert.equal(item.command?.command, 'privet.refresh');
  });

  it('says why the experiment list is empty and how to get one, as Select Experiment does', async () => {
    const client = { listExperiments: () => Promise.resolve({ experiments: [] }) };
    const tree = new PrivetTree(session(client) as never);
    const [node, ...rest] = await tree.getChildren();
    assert.ok(node);
    assert.equal(rest.length, 0);
    const item = tree.getTreeItem(node) as unknown as Fake.TreeItem;
    assert.equal(item.label, 'No experiments yet');
    assert.equal(
      item.tooltip,
      noUsableExperimentText([]).replace(/^Privet: you/, 'You'),
      'the same words as the notification',
    );
    assert.match(String(item.tooltip), /Fix: propose one .*steward approve it/);
  });
});
