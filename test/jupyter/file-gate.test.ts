/**
 * Files opened in JupyterLab's viewers and editors are shown only after the output gate's checks
 * pass on them (jupyter-ext gate/file-gate.ts): a CSV the kernel wrote with a small count, or with
 * a raw identifier value, stays hidden behind a notice that names the rule and never the content;
 * a harmless file is shown; a file loaded again from disk is hidden and decided again, while text
 * the user types into an editor is not checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FileContent, Finding } from '@privet/core/review/index';
import { RAW, fakeGateway, gateModule, gatedNotebook, until } from './gated-output.js';

/** The verdict the gate renders (file-gate.ts FileVerdict). */
type Verdict =
  | { state: 'shown' }
  | { state: 'checking'; message: string }
  | { state: 'held'; findings: readonly Finding[]; message: string; canRecheck: boolean };

const { FileGateWatcher, decideFile } = await gateModule<{
  FileGateWatcher: new (
    gate: unknown,
    document: { read(): FileContent | null; readonly dirty: boolean },
    view: { render(verdict: Verdict): void },
    experiment: () => string | null,
  ) => { loaded(): void; recheck(): void; dispose(): void };
  decideFile(gate: unknown, file: FileContent, experiment: string | null): Promise<Verdict>;
}>('file-gate');

const csv = (content: string): FileContent => ({
  path: 'out/counts.csv',
  format: 'text',
  mimetype: 'text/csv',
  content,
});
const SMALL = csv('diagnosis,count\nHIV,3\nflu,1200\n');
const LARGE = csv('diagnosis,count\nHIV,300\nflu,1200\n');

/** A document whose content and dirty flag the test sets, and the verdicts it was shown. */
function fakeDocument(file: FileContent) {
  const doc = { file: file as FileContent | null, dirty: false };
  const shown: Verdict[] = [];
  const document = {
    read: () => doc.file,
    get dirty() {
      return doc.dirty;
    },
  };
  return { doc, shown, document, view: { render: (v: Verdict) => shown.push(v) } };
}

describe('the file gate (file-gate.ts)', () => {
  test('a CSV with a small count is held, naming the rule and not the content', async () => {
    const { gate } = await gatedNotebook(null, null);
    const verdict = await decideFile(gate, SMALL, null);
    assert.equal(verdict.state, 'held');
    if (verdict.state !== 'held') return;
    assert.deepEqual([...new Set(verdict.findings.map((f) => f.rule))], ['small-cell']);
    assert.deepEqual([...new Set(verdict.findings.map((f) => f.mime))], ['the file']);
    assert.doesNotMatch(verdict.message, /HIV|1200/);
    assert.equal(verdict.canRecheck, false);
    assert.deepEqual(await decideFile(gate, LARGE, null), { state: 'shown' });
  });

  test('signed in, a file with a raw identifier value is held by the gateway’s verdict', async () => {
    const gateway = fakeGateway();
    const { gate } = await gatedNotebook(gateway.client, 'e1');
    const raw = await decideFile(gate, csv(`name,ward\n${RAW},7\n`), 'e1');
    assert.equal(raw.state, 'held');
    if (raw.state === 'held')
      assert.deepEqual(
        raw.findings.map((f) => f.rule),
        ['raw-value'],
      );
    assert.deepEqual(await decideFile(gate, LARGE, 'e1'), { state: 'shown' });
    assert.ok(gateway.state.calls >= 2, 'the gateway was asked about both files');

    gateway.state.failure = new Error('gateway down');
    const unchecked = await decideFile(gate, csv('note\nall clear\n'), 'e1');
    assert.equal(unchecked.state, 'held', 'no answer holds the file (fail closed)');
    if (unchecked.state === 'held') assert.equal(unchecked.canRecheck, true);
  });

  test('a file too large to check is held with its size and what to do; a picture is not sent to the gateway', async () => {
    const gateway = fakeGateway();
    const { gate } = await gatedNotebook(gateway.client, 'e1');
    const big = csv('n\n' + '1200\n'.repeat(1_700_000));
    const verdict = await decideFile(gate, big, 'e1');
    assert.equal(verdict.state, 'held');
    if (verdict.state === 'held') {
      assert.match(verdict.message, /too large .*8\.5 MB; the limit is 8\.0 MB/);
      assert.equal(verdict.canRecheck, false);
    }
    const calls = gateway.state.calls;
    const png = {
      path: 'plot.png',
      format: 'base64',
      mimetype: 'image/png',
      content: 'iVBORw0KGgo=',
    } as const;
    assert.deepEqual(await decideFile(gate, png, 'e1'), { state: 'shown' });
    assert.equal(gateway.state.calls, calls, 'no raw-value call for a picture or a file too large');
  });

  test('hidden until decided; loaded again from disk it is hidden and decided again; typing is not checked', async () => {
    const { gate } = await gatedNotebook(null, null);
    const { doc, shown, document, view } = fakeDocument(LARGE);
    const watcher = new FileGateWatcher(gate, document, view, () => null);
    assert.equal(shown[0]?.state, 'checking', 'nothing is shown before the check');
    watcher.loaded();
    await until(() => shown.at(-1)?.state === 'shown');

    // The kernel wrote the file again and it was reloaded from disk.
    doc.file = SMALL;
    watcher.loaded();
    assert.equal(shown.at(-1)?.state, 'checking', 'the new content is hidden at once');
    await until(() => shown.at(-1)?.state === 'held');

    // The user types into the editor: their own text is not checked again.
    const before = shown.length;
    doc.file = LARGE;
    doc.dirty = true;
    watcher.loaded();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(shown.length, before);

    // The same content loaded again is not decided twice.
    doc.dirty = false;
    doc.file = SMALL;
    watcher.loaded();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(shown.length, before);
    watcher.dispose();
  });

  test('a gate signal that changes nothing a verdict reads (an approval poll) decides nothing again', async () => {
    const fake = await gatedNotebook(null, null);
    const { gate } = fake;
    const check = gate.checkOnce.bind(gate);
    let checks = 0;
    gate.checkOnce = (output) => {
      checks += 1;
      return check(output);
    };
    const { shown, document, view } = fakeDocument(LARGE);
    const watcher = new FileGateWatcher(
      gate,
      document,
      view,
      () => (gate as unknown as { selectedExperiment: string | null }).selectedExperiment,
    );
    watcher.loaded();
    await until(() => shown.at(-1)?.state === 'shown');
    const decided = checks;
    assert.ok(decided > 0);
    const changed = (gate as unknown as { changedSignal: { emit(): void } }).changedSignal;
    for (let i = 0; i < 5; i++) changed.emit();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(checks, decided, 'no reading was checked again');
    // A new experiment is an input: the file is decided again.
    fake.select('e2');
    await until(() => checks > decided);
    watcher.dispose();
  });

  test('only the newest decision is shown', async () => {
    const gateway = fakeGateway();
    const { gate } = await gatedNotebook(gateway.client, 'e1');
    const { doc, shown, document, view } = fakeDocument(csv(`name\n${RAW}\n`));
    const watcher = new FileGateWatcher(gate, document, view, () => 'e1');
    watcher.loaded(); // asks the gateway (answers after a delay)
    doc.file = LARGE;
    watcher.loaded();
    await until(() => shown.at(-1)?.state === 'shown');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(shown.at(-1)?.state, 'shown', 'the older raw verdict did not replace it');
    watcher.dispose();
  });
});
