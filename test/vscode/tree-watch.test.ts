/**
 * The Privet tree draws itself again when VS Code loses the views request of an expanded
 * experiment (vscode-ext/src/sidebar/tree-watch.ts and PrivetTree.attachView): VS Code answers
 * "no such item" for a node whose children it asks for while it re-reads the top level, draws it
 * expanded and empty, and never asks again (CI 100's VS Code UI test met it). With manual timers,
 * an in-memory VS Code API and a stub gateway client.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Experiment } from '../../vscode-ext/src/client/gateway.js';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { PrivetTree, MAX_REDRAWS } = await import('../../vscode-ext/src/sidebar/tree.js');
const { ChildrenWatch } = await import('../../vscode-ext/src/sidebar/tree-watch.js');

/** Timers run by hand: `runAll` fires the pending ones. */
function manualTimers(): {
  timers: { setTimeout: (run: () => void) => unknown; clearTimeout: (h: unknown) => void };
  pending: () => number;
  runAll: () => void;
} {
  const queue = new Map<number, () => void>();
  let next = 0;
  return {
    timers: {
      setTimeout: (run) => {
        queue.set(++next, run);
        return next;
      },
      clearTimeout: (h) => void queue.delete(h as number),
    },
    pending: () => queue.size,
    runAll: () => {
      const runs = [...queue.values()];
      queue.clear();
      for (const run of runs) run();
    },
  };
}

describe('ChildrenWatch', () => {
  it('reports the expanded experiments VS Code did not ask about, once the tree is visible', () => {
    const t = manualTimers();
    const missed: string[][] = [];
    const watch = new ChildrenWatch((m) => missed.push(m), 2000, t.timers);
    watch.rootAnswered(['e:1:a', 'e:1:b']);
    assert.equal(t.pending(), 0, 'a hidden tree is asked nothing: no check');
    watch.setVisible(true);
    watch.childrenAsked('e:1:a');
    t.runAll();
    assert.deepEqual(missed, [['e:1:b']]);
  });

  it('reports nothing when every experiment was asked about, or the user collapsed it', () => {
    const t = manualTimers();
    const missed: string[][] = [];
    const watch = new ChildrenWatch((m) => missed.push(m), 2000, t.timers);
    watch.setVisible(true);
    watch.rootAnswered(['e:1:a', 'e:1:b']);
    watch.childrenAsked('e:1:a');
    watch.setCollapsed('e:1:b', true);
    t.runAll();
    assert.deepEqual(missed, []);
    // Expanded again: VS Code must ask now, and a lost request is caught.
    watch.setCollapsed('e:1:b', false);
    t.runAll();
    assert.deepEqual(missed, [['e:1:b']]);
  });

  it('a new top-level answer starts a new round; hiding the tree stops the check', () => {
    const t = manualTimers();
    const missed: string[][] = [];
    const watch = new ChildrenWatch((m) => missed.push(m), 2000, t.timers);
    watch.setVisible(true);
    watch.rootAnswered(['e:1:a']);
    watch.childrenAsked('e:1:a');
    watch.rootAnswered(['e:1:a']);
    watch.setVisible(false);
    assert.equal(t.pending(), 0);
    watch.setVisible(true);
    t.runAll();
    assert.deepEqual(missed, [['e:1:a']], 'asked in the round before, not in this one');
    watch.dispose();
  });
});

/** An experiment as the gateway lists it, requesting `views`. */
function experiment(id: string, views: string[]): Experiment {
  return { id, title: `Study ${id}`, state: 'running', purpose: 'p', views } as never;
}

/** A tree view as VS Code passes it to attachView, with its events to fire by hand. */
function fakeTreeView() {
  const visibility = new fake.EventEmitter<{ visible: boolean }>();
  const collapse = new fake.EventEmitter<{ element: unknown }>();
  const expand = new fake.EventEmitter<{ element: unknown }>();
  return {
    view: {
      visible: false,
      onDidChangeVisibility: visibility.event,
      onDidCollapseElement: collapse.event,
      onDidExpandElement: expand.event,
    },
    visibility,
    collapse,
  };
}

describe('Privet tree redraws after a lost views request', () => {
  const client = {
    listExperiments: () => Promise.resolve({ experiments: [experiment('e1', ['a'])] }),
    listViews: () =>
      Promise.resolve({
        views: [{ name: 'a', tier: 'masked', source: 's', columns: [], published: true }],
      }),
  };
  const session = {
    signedIn: { client, user: 'ana', roles: ['analyst'], experiment: 'e1' },
    onDidChange: new fake.EventEmitter<void>().event,
  };

  it('gives the experiment a fresh id, says so in the log, and stops after MAX_REDRAWS', async () => {
    const t = manualTimers();
    const logged: string[] = [];
    const tree = new PrivetTree(
      session as never,
      (m) => logged.push(m),
      (redraw) => new ChildrenWatch(redraw, 2000, t.timers),
    );
    const tv = fakeTreeView();
    tree.attachView(tv.view as never);
    let fired = 0;
    tree.onDidChangeTreeData(() => fired++);
    const id = (n: unknown): string | undefined =>
      (tree.getTreeItem(n as never) as unknown as Fake.TreeItem).id;

    tv.visibility.fire({ visible: true });
    const [first] = await tree.getChildren();
    t.runAll(); // VS Code never asked for the views of e1
    assert.equal(fired, 1, 'VS Code is told to read the tree again');
    assert.match(
      logged[0] ?? '',
      /^Tree: VS Code drew "Study e1" expanded but did not ask for its views; drawing the tree again \(1 of 2\)\.$/,
    );
    for (let k = 1; k < MAX_REDRAWS + 2; k++) {
      const [again] = await tree.getChildren();
      assert.notEqual(id(again), id(first), 'a fresh id: VS Code builds a new node and asks anew');
      t.runAll();
    }
    assert.equal(fired, MAX_REDRAWS, 'at most MAX_REDRAWS redraws for one content');
    assert.equal(logged.length, MAX_REDRAWS);
    tree.dispose();
  });

  it('does not redraw when VS Code asked for the views, or the user collapsed the experiment', async () => {
    const t = manualTimers();
    const tree = new PrivetTree(
      session as never,
      () => undefined,
      (redraw) => new ChildrenWatch(redraw, 2000, t.timers),
    );
    const tv = fakeTreeView();
    tv.view.visible = true;
    tree.attachView(tv.view as never);
    let fired = 0;
    tree.onDidChangeTreeData(() => fired++);
    const [e1] = await tree.getChildren();
    await tree.getChildren(e1);
    t.runAll();
    const [again] = await tree.getChildren();
    tv.collapse.fire({ element: again });
    t.runAll();
    assert.equal(fired, 0);
    tree.dispose();
  });
});
