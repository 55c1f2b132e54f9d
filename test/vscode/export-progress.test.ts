/**
 * "Privet: Export Approved Results" (vscode-ext/src/notebook/export.ts) shows a progress
 * notification while the gateway signs the bundle, and refuses a second export of the same notebook,
 * or to the same file, while one works (two would race to the same file), but not while a Save
 * dialog is open, and not exports of other notebooks to other files. With an in-memory VS Code API and a stub gateway client.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExportBundle } from '@privet/core/protocol';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { exportApprovedResults, exportRunningText, exportTargetBusyText } =
  await import('../../vscode-ext/src/notebook/export.js');

/** A file URI with the parts export.ts uses. */
class FileUri {
  constructor(readonly path: string) {}
  with(change: { path: string }): FileUri {
    return new FileUri(change.path);
  }
  toString(): string {
    return `file://${this.path}`;
  }
}

/** A stub gateway whose exports wait for `sign()`; `calls` counts them. */
function gateway(): { client: object; sign: () => void; calls: () => number } {
  let release: () => void = () => undefined;
  const signed = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const bundle = { manifest: { outputs: [], withheldSources: [] } } as unknown as ExportBundle;
  return {
    client: {
      createExport: async () => {
        calls += 1;
        await signed;
        return bundle;
      },
    },
    sign: () => release(),
    calls: () => calls,
  };
}

/** A notebook at `path` with no cells. */
function notebook(path: string): unknown {
  return { uri: new FileUri(path), getCells: () => [], metadata: {} };
}

/** A signed-in analyst in exp1 on the gateway `g`. */
const analystOn = (g: ReturnType<typeof gateway>) =>
  ({ client: g.client, user: 'ana', roles: ['analyst'], experiment: 'exp1' }) as never;

/** Lets pending promises run. */
const settle = () => new Promise((r) => setTimeout(r, 10));

describe('Export Approved Results', () => {
  it('shows progress and runs one export per notebook at a time; other notebooks meanwhile', async () => {
    fake.settings.set('privet.export.saveWithoutAsking', true);
    const g = gateway();
    const signedIn = analystOn(g);
    const study = notebook('/work/study.ipynb');
    try {
      fake.shownProgress.length = 0;
      const first = exportApprovedResults(signedIn, study as never);
      await settle();
      assert.deepEqual(fake.shownProgress, [
        'Privet: exporting approved results of file:///work/study.ipynb…',
      ]);
      // A second export of it while the first waits for the gateway: refused, with what to do.
      fake.shownMessages.length = 0;
      assert.equal(await exportApprovedResults(signedIn, study as never), undefined);
      assert.deepEqual(fake.shownMessages, [exportRunningText('file:///work/study.ipynb')]);
      assert.equal(g.calls(), 1, 'the gateway was asked once');
      // Another notebook (another file) is not held up.
      const other = exportApprovedResults(signedIn, notebook('/work/other.ipynb') as never);
      await settle();
      assert.equal(g.calls(), 2, 'the other notebook exports meanwhile');

      g.sign();
      const done = await first;
      assert.equal(done?.savedTo.toString(), 'file:///work/study.privet-export.json');
      assert.ok(fake.files.has('file:///work/study.privet-export.json'));
      assert.ok(await other);
      // Done: the next export runs.
      assert.ok(await exportApprovedResults(signedIn, study as never));
      assert.equal(g.calls(), 3);
    } finally {
      fake.settings.delete('privet.export.saveWithoutAsking');
    }
  });

  it('refuses nothing while a Save dialog is open, and one file is written by one export', async () => {
    const g = gateway();
    const signedIn = analystOn(g);
    // The user takes a while to choose where to save the first notebook's bundle.
    let choose: (uri: unknown) => void = () => undefined;
    const shared = new FileUri('/work/shared.privet-export.json');
    fake.saveDialogAnswer.pick = () => new Promise((r) => (choose = r));
    try {
      fake.shownMessages.length = 0;
      const first = exportApprovedResults(signedIn, notebook('/work/a.ipynb') as never);
      await settle();
      // Meanwhile another notebook exports to the same file: no "already running" (none is).
      fake.saveDialogAnswer.pick = () => shared;
      const second = exportApprovedResults(signedIn, notebook('/work/b.ipynb') as never);
      await settle();
      assert.deepEqual(fake.shownMessages, []);
      assert.equal(g.calls(), 1, 'the second export works');
      // The first dialog picks that file too while it is being written: refused, with the fix.
      choose(shared);
      assert.equal(await first, undefined);
      assert.deepEqual(fake.shownMessages, [
        exportTargetBusyText('file:///work/shared.privet-export.json'),
      ]);
      g.sign();
      assert.equal((await second)?.savedTo.toString(), shared.toString());
    } finally {
      fake.saveDialogAnswer.pick = (options) => options.defaultUri;
    }
  });
});
