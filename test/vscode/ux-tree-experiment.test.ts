/**
 * An experiment node of the Privet tree: clicking an approved or running one makes it the
 * experiment cells run in (its tooltip says so); one the gateway allows no data access in (a
 * proposal, a dissolved one) is not made current by a click, which would only make every cell
 * fail, and its tooltip says why and the fix. With the in-memory VS Code API.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { PrivetTree } = await import('../../vscode-ext/src/sidebar/tree.js');

/** An experiment node in `state` (e1 is the current one). */
function node(id: string, state: string): never {
  return {
    kind: 'experiment',
    experiment: { id, title: `Study ${id}`, state, purpose: 'Why', views: [] },
    current: id === 'e1',
    views: [],
    generation: 1,
  } as never;
}

const session = { signedIn: undefined, onDidChange: new fake.EventEmitter<void>().event };

describe('Privet tree: experiment nodes', () => {
  const tree = new PrivetTree(session as never);

  it('an approved or running experiment is selected by a click, and says so', () => {
    const current = tree.getTreeItem(node('e1', 'running'));
    assert.equal(current.command?.command, 'privet.selectExperiment');
    assert.deepEqual(current.command?.arguments, ['e1']);
    assert.match(String(current.tooltip), /^Why\n\nYour cells run in this experiment\./);
    const other = tree.getTreeItem(node('e2', 'approved'));
    assert.equal(other.command?.command, 'privet.selectExperiment');
    assert.match(String(other.tooltip), /Click to run your cells in this experiment/);
  });

  it('a proposal or a dissolved experiment is not made current by a click; the tooltip says why', () => {
    const proposal = tree.getTreeItem(node('e3', 'proposal'));
    assert.equal(proposal.command, undefined);
    assert.match(
      String(proposal.tooltip),
      /not approved yet.*Fix: wait until a steward approves it/,
    );
    const dissolved = tree.getTreeItem(node('e4', 'dissolved'));
    assert.equal(dissolved.command, undefined);
    assert.match(String(dissolved.tooltip), /Dissolved: cells cannot run in it\. Fix: propose/);
  });
});
