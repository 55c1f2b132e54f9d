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
const { PrivetTree, REFRESH_COALESCE_MS } = await import('../../vscode-ext/src/sidebar/tree.js');
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

/** A session over a stub client (`signedIn` undefined: signed out); `changes` fires its event. */
function session(client: object | undefined, changes = new fake.EventEmitter<void>()): unknown {
  return {
    signedIn: client ? { client, user: 'ana', roles: ['analyst'], experiment: 'e1' } : undefined,
    onDidChange: changes.event,
  };
}

/** A view summary as the gateway lists it. */
function view(name: string): unknown {
  return { name, tier: 'masked', source: 'patients', columns: [], published: true };
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

  it('marks a view whose manifest cannot be read, with what happened and the fix', async () => {
    const damaged = {
      ...(view('people_synthetic') as object),
      published: false,
      unreadable: { message: 'its manifest is not valid JSON', fix: 'publish it again' },
    };
    const client = {
      listExperiments: () =>
        Promise.resolve({ experiments: [experiment('e1', ['people_synthetic'])] }),
      listViews: () => Promise.resolve({ views: [damaged] }),
    };
    const tree = new PrivetTree(session(client) as never);
    const [e1] = await tree.getChildren();
    const [node] = await tree.getChildren(e1);
    const item = tree.getTreeItem(node!) as unknown as Fake.TreeItem;
    assert.match(String(item.description), /· unreadable/);
    assert.match(
      String((item.tooltip as { value?: string }).value ?? item.tooltip),
      /unreadable: its manifest is not valid JSON\. Fix: publish it again\./,
    );
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
      listViews: () => Promise.resolve({ views: [] }),
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

  it("reads an experiment's views with the experiments: expanding it needs no second round trip", async () => {
    let reads = 0;
    const client = {
      listExperiments: () =>
        Promise.resolve({ experiments: [experiment('e1', ['a', 'gone', 'b'])] }),
      listViews: () => {
        reads++;
        return Promise.resolve({ views: [view('b'), view('a'), view('other')] });
      },
    };
    const tree = new PrivetTree(session(client) as never);
    const [e1] = await tree.getChildren();
    assert.ok(e1);
    assert.equal(reads, 1);
    // A refresh may land while VS Code resolves an expanded experiment's children; with nothing
    // left to await there is no window in which the answer can be dropped.
    const children = await tree.getChildren(e1);
    assert.equal(reads, 1, 'no gateway read when the experiment expands');
    assert.deepEqual(
      children.map((c) => (tree.getTreeItem(c) as unknown as Fake.TreeItem).label),
      ['a', 'b'],
      'the requested views the gateway lists, in the order the experiment names them',
    );
  });

  it('gathers a burst of session changes into one re-read, and tells VS Code only of real changes', async () => {
    const changes = new fake.EventEmitter<void>();
    let reads = 0;
    let experiments = [experiment('e1', ['a'])];
    const client = {
      listExperiments: () => {
        reads++;
        return Promise.resolve({ experiments });
      },
      listViews: () => Promise.resolve({ views: [view('a')] }),
    };
    const tree = new PrivetTree(session(client, changes) as never);
    const before = await tree.getChildren();
    let fired = 0;
    tree.onDidChangeTreeData(() => fired++);
    const settle = (): Promise<void> =>
      new Promise((resolve) => setTimeout(resolve, REFRESH_COALESCE_MS * 3));
    changes.fire();
    changes.fire();
    tree.refresh();
    await settle();
    assert.equal(reads, 2, 'one read for the first call, one for the whole burst');
    assert.equal(fired, 0, 'nothing shown changed (e.g. a DP spend): VS Code is not told');
    experiments = [experiment('e1', ['a']), experiment('e2', [])];
    changes.fire();
    await settle();
    assert.equal(fired, 1);
    const after = await tree.getChildren();
    assert.equal(reads, 3, 'VS Code is given the nodes just read');
    assert.equal(after.length, 2);
    const id = (n: unknown): string | undefined =>
      (tree.getTreeItem(n as never) as unknown as Fake.TreeItem).id;
    // New ids for every node of the new content: VS Code builds fresh nodes and asks for their
    // children again, so none stays expanded but empty after a refresh raced its children request.
    assert.notEqual(id(after[0]), id(before[0]));
    const [viewBefore] = await tree.getChildren(before[0]!);
    const [viewAfter] = await tree.getChildren(after[0]!);
    assert.notEqual(id(viewAfter), id(viewBefore));
    tree.dispose();
  });

  it('says why the experiment list is empty and how to get one, as Select Experiment does', async () => {
    const client = {
      listExperiments: () => Promise.resolve({ experiments: [] }),
      listViews: () => Promise.resolve({ views: [] }),
    };
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
