/**
 * The outputs' raw-value checks run in a worker thread (gateway/src/leak/output-worker.ts): its
 * verdicts equal the main thread's for the same index, a new index reaches it before the next
 * batch, the gateway keeps answering other work while a large output is checked, a worker that
 * stops fails its batches with a clear error (the hosts then hold the outputs) and is started
 * afresh, and close fails what still waits.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { OutputLeakItem } from '@privet/core';
import type { Worker } from 'node:worker_threads';
import { LeakIndex } from '../../../gateway/src/leak/leak-index.js';
import { leakKeys } from '../../../gateway/src/leak/normalize.js';
import { holdsRawValue } from '../../../gateway/src/leak/outputs.js';
import { OutputCheckWorker } from '../../../gateway/src/leak/output-worker.js';
import { ServiceError } from '../../../gateway/src/audit/service-error.js';

/** An index of these raw values under a random key. */
function indexOf(values: string[]): LeakIndex {
  return LeakIndex.fromKeys(randomBytes(32), values.flatMap(leakKeys), `stamp-${values.length}`);
}

const stdout = (text: string, before?: string): OutputLeakItem => ({
  output: { output_type: 'stream', name: 'stdout', text },
  ...(before === undefined ? {} : { before }),
});
const html = (text: string): OutputLeakItem => ({
  output: { output_type: 'display_data', data: { 'text/html': text }, metadata: {} },
});

const RAW = ['jane.roe@example.org', 'Jeffry Renner', '+1 415 555 1003'];
const ITEMS: OutputLeakItem[] = [
  stdout('contact Jane.Roe@Example.org\n'),
  stdout('Renner\n', 'name: Jeffry '),
  stdout('Renner\n'),
  html('<table><tr><td>415.555.1003</td></tr></table>'),
  html('<b>mean age 41.5</b>'),
  stdout('Quillon Vardemarsk\n'),
];

describe('output-check worker', () => {
  it('answers as the main thread would, and checks with each new index', async () => {
    const worker = new OutputCheckWorker();
    try {
      const index = indexOf(RAW);
      const expected = ITEMS.map((i) => holdsRawValue(index, i.output, i.before));
      assert.deepEqual(expected, [true, true, false, true, false, false]);
      assert.deepEqual(await worker.check(index, ITEMS), expected);
      // Rebuilt (a raw file changed): the worker gets the new index before the batch.
      const rebuilt = indexOf(['Quillon Vardemarsk']);
      assert.deepEqual(await worker.check(rebuilt, ITEMS), [
        false,
        false,
        false,
        false,
        false,
        true,
      ]);
      // Batches sent together are answered each with its own verdicts.
      const [a, b] = await Promise.all([
        worker.check(rebuilt, [ITEMS[5]!]),
        worker.check(index, [ITEMS[0]!, ITEMS[4]!]),
      ]);
      assert.deepEqual(a, [true]);
      assert.deepEqual(b, [true, false]);
    } finally {
      await worker.close();
    }
  });

  it('leaves the event loop free while it checks a large output', async () => {
    const worker = new OutputCheckWorker();
    try {
      const index = indexOf(RAW);
      await worker.check(index, [ITEMS[4]!]); // started, index sent
      const rows = Array.from({ length: 20_000 }, (_, i) => `<tr><td>row ${i} Quillon</td></tr>`);
      const big = html(`<table>${rows.join('')}</table>`);
      const order: string[] = [];
      const checked = worker.check(index, [big]).then((v) => order.push(`checked ${v[0]}`));
      // Work queued after the batch runs before its answer: the check is not on this thread.
      await new Promise((r) => setImmediate(r));
      order.push('other work');
      await checked;
      assert.deepEqual(order, ['other work', 'checked false']);
    } finally {
      await worker.close();
    }
  });

  it('a worker that stops fails its batch with a clear error, and the next batch starts a new one', async () => {
    const worker = new OutputCheckWorker();
    try {
      const index = indexOf(RAW);
      assert.deepEqual(await worker.check(index, [ITEMS[0]!]), [true]);
      // A large output, so the batch is still being checked when the worker stops (a small one
      // could be answered first, and the worker, idle again, would no longer hold the process).
      const rows = Array.from({ length: 20_000 }, (_, i) => `<tr><td>row ${i} Quillon</td></tr>`);
      const pending = worker.check(index, [html(`<table>${rows.join('')}</table>`)]);
      await (worker as unknown as { worker: Worker }).worker.terminate();
      await assert.rejects(pending, (e: unknown) => {
        assert.ok(e instanceof ServiceError);
        assert.equal(e.reason, 'leak.worker');
        assert.match(e.message, /raw-value check could not run: the worker exited/);
        assert.match(e.fix, /run the cell again/);
        return true;
      });
      assert.deepEqual(await worker.check(index, [ITEMS[1]!, ITEMS[4]!]), [true, false]);
    } finally {
      await worker.close();
    }
  });

  it('close fails what still waits and refuses new batches', async () => {
    const worker = new OutputCheckWorker();
    const index = indexOf(RAW);
    const pending = assert.rejects(worker.check(index, [ITEMS[0]!]), /shutting down/);
    await worker.close();
    await pending;
    await assert.rejects(worker.check(index, [ITEMS[0]!]), /shutting down/);
  });

  it('parses with no index, keeps an opened body until its step or close, across a new index; a lost one fails clearly', async () => {
    const worker = new OutputCheckWorker();
    const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const exportBody = (name: string) =>
      bytes({
        experiment: 'exp1',
        name,
        notebook: {
          nbformat: 4,
          nbformat_minor: 5,
          metadata: {},
          cells: [
            {
              cell_type: 'code',
              source: 'print(1)',
              metadata: {},
              execution_count: 1,
              outputs: [ITEMS[5]!.output, ITEMS[4]!.output],
            },
          ],
        },
      });
    const lookups = {
      exportRules: { small_cell_threshold: 10 },
      releases: [],
      approved: [],
      viewsUsed: [],
    };
    try {
      // Parsing needs no index: a malformed body is refused before the worker holds one.
      await assert.rejects(
        worker.open('export', new TextEncoder().encode('{"a":')),
        /not valid JSON/,
      );
      const index = indexOf(RAW);
      await worker.check(index, [ITEMS[4]!]); // the worker holds this index
      const { handle, opened } = await worker.open('export', exportBody('a.ipynb'));
      assert.deepEqual(opened, {
        kind: 'export',
        experiment: 'exp1',
        name: 'a.ipynb',
        lookups: 3,
        releaseClaims: [],
      });
      // A rebuilt index reaches the worker; the body stays.
      const rebuilt = indexOf(['Quillon Vardemarsk']);
      const { lines, notebookJson } = await worker.filterOpenedExport(
        rebuilt,
        handle,
        lookups as never,
      );
      assert.deepEqual(
        lines.outputs.map((l) => `${l.status}:${(l.rules ?? []).join()}`),
        ['withheld:raw-value', 'passed:'],
        'checked with the new index (the name is in it)',
      );
      const notebook = JSON.parse(new TextDecoder().decode(notebookJson)) as { cells: unknown[] };
      assert.equal(notebook.cells.length, 1);
      // Taken by its step: a second step, or one after close, fails with what to do.
      const lost = (e: unknown) => {
        assert.match(String((e as Error).message), /lost this request's body/);
        return true;
      };
      await assert.rejects(worker.filterOpenedExport(rebuilt, handle, lookups as never), lost);
      const second = await worker.open('export', exportBody('b.ipynb'));
      worker.closeBody(second.handle);
      await assert.rejects(
        worker.filterOpenedExport(rebuilt, second.handle, lookups as never),
        lost,
      );
      // A body of the other kind is not taken for this one.
      const third = await worker.open('export', exportBody('c.ipynb'));
      await assert.rejects(
        worker.checkOpenedReview(rebuilt, third.handle, {
          exportRules: lookups.exportRules as never,
          releases: [],
          viewsUsed: [],
        }),
        lost,
      );
      // Malformed JSON and an invalid request are refused as the route would (400).
      await assert.rejects(
        worker.open('export', new TextEncoder().encode('{"a":')),
        (e: unknown) => {
          assert.match(String((e as Error).message), /not valid JSON/);
          return true;
        },
      );
      await assert.rejects(worker.open('review', bytes({ experiment: 'exp1' })), /output/);
    } finally {
      await worker.close();
    }
  });

  it('a batch that cannot be sent to the worker fails alone: the batches it holds are answered', async () => {
    const worker = new OutputCheckWorker();
    try {
      const index = indexOf(RAW);
      await worker.check(index, [ITEMS[4]!]); // started, index sent
      const rows = Array.from({ length: 20_000 }, (_, i) => `<tr><td>row ${i} Quillon</td></tr>`);
      const waiting = worker.check(index, [html(`<table>${rows.join('')}</table>`), ITEMS[0]!]);
      // A value the structured clone cannot copy (a function): postMessage throws, nothing is sent.
      const unsendable = { output: { output_type: 'stream', name: 'stdout', text: () => 1 } };
      await assert.rejects(
        worker.check(index, [unsendable as unknown as OutputLeakItem]),
        (error: unknown) =>
          error instanceof ServiceError && /a message could not be sent/.test(error.message),
      );
      assert.deepEqual(await waiting, [false, true], 'the batch sent before is still answered');
      assert.deepEqual(await worker.check(index, ITEMS), [true, true, false, true, false, false]);
    } finally {
      await worker.close();
    }
  });
});
