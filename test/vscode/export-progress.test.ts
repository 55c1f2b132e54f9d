/**
 * "Privet: Export Approved Results" (vscode-ext/src/notebook/export.ts) shows a progress
 * notification while the gateway signs the bundle, and refuses a second export while one runs
 * (two would race to the same file). With an in-memory VS Code API and a stub gateway client.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExportBundle } from '@privet/core/protocol';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { EXPORT_RUNNING, exportApprovedResults } =
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

describe('Export Approved Results', () => {
  it('shows progress and runs one export at a time', async () => {
    fake.settings.set('privet.export.saveWithoutAsking', true);
    let sign: () => void = () => undefined;
    const signed = new Promise<void>((resolve) => (sign = resolve));
    let calls = 0;
    const bundle = { manifest: { outputs: [], withheldSources: [] } } as unknown as ExportBundle;
    const client = {
      createExport: async () => {
        calls += 1;
        await signed;
        return bundle;
      },
    };
    const signedIn = { client, user: 'ana', roles: ['analyst'], experiment: 'exp1' } as never;
    const notebook = { uri: new FileUri('/work/study.ipynb'), getCells: () => [], metadata: {} };
    try {
      const first = exportApprovedResults(signedIn, notebook as never);
      await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(fake.shownProgress, [
        'Privet: exporting approved results of file:///work/study.ipynb…',
      ]);
      // A second export while the first waits for the gateway: refused, with what to do.
      fake.shownMessages.length = 0;
      assert.equal(await exportApprovedResults(signedIn, notebook as never), undefined);
      assert.deepEqual(fake.shownMessages, [EXPORT_RUNNING]);
      assert.equal(calls, 1, 'the gateway was asked once');

      sign();
      const done = await first;
      assert.equal(done?.savedTo.toString(), 'file:///work/study.privet-export.json');
      assert.ok(fake.files.has('file:///work/study.privet-export.json'));
      // Done: the next export runs.
      assert.ok(await exportApprovedResults(signedIn, notebook as never));
      assert.equal(calls, 2);
    } finally {
      fake.settings.delete('privet.export.saveWithoutAsking');
    }
  });
});
