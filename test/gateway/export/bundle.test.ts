import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AuditResponse,
  ExportBundle,
  ExportPublicKeyResponse,
  OutputLeakItem,
  Policy,
  ReviewRequest,
} from '@privet/core';
import { DP_RELEASE_MIME, joinText } from '@privet/core/review/index';
import { canonicalJson, type JsonValue } from '@privet/core/record/index';
import { verifyBundle } from '../../../gateway/src/export/verify.js';
import { rawPublicKey } from '../../../gateway/src/export/signing-key.js';
import { filterNotebook } from '../../../gateway/src/export/filter.js';
import { filterWithLookups } from '../../../gateway/src/export/lookups.js';
import { LeakIndex } from '../../../gateway/src/leak/leak-index.js';
import { privet } from '../run-cli.js';
import { OutputCheckWorker } from '../../../gateway/src/leak/output-worker.js';
import {
  EXPERIMENT,
  PASSING,
  PEOPLE,
  emailOutput,
  smallCellTable,
  spendCountQuery,
  startReviewGateway,
  type ReviewGateway,
  exportCreate,
} from '../review/fixture.js';

let g: ReviewGateway;
let bundle: ExportBundle;
let trusted: Buffer;
const RAW_EMAIL = PEOPLE[4]!.email;
/** Raw values typed into cell sources (a markdown note and a code filter). */
const NOTE_EMAIL = PEOPLE[5]!.email;
const CODE_EMAIL = PEOPLE[6]!.email;
const TYPED_TABLE = '| site | n |\n|---|---|\n| Oslo | 2 |\n| Pune | 3 |\n';

const changedTable = () => {
  const t = smallCellTable(2);
  t.data['text/html'] = t.data['text/html']!.replace('Oslo', 'Pune');
  return t;
};

/** An executed code cell. */
const codeCell = (source: string, outputs: unknown[]) => ({
  cell_type: 'code',
  source,
  metadata: {},
  execution_count: 1,
  outputs,
});

function notebook(): Record<string, unknown> {
  const code = (outputs: unknown[]) => codeCell('x', outputs);
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      widgets: { state: { leaked: RAW_EMAIL } },
    },
    cells: [
      { cell_type: 'markdown', source: '# Income', metadata: {} },
      code([PASSING]),
      code([emailOutput(RAW_EMAIL)]),
      code([{ ...smallCellTable(2), metadata: { note: 'approved table' } }]),
      code([changedTable()]),
      code([
        { output_type: 'stream', name: 'stdout', text: 'rows ok\nowner: person11@exa' },
        { output_type: 'stream', name: 'stdout', text: 'mple2.org\n' },
      ]),
      { cell_type: 'markdown', source: `Top earner: ${NOTE_EMAIL}`, metadata: {} },
      { cell_type: 'markdown', source: TYPED_TABLE, metadata: {} },
      { ...code([PASSING]), source: `df[df.email == "${CODE_EMAIL}"].income.mean()` },
    ],
  };
}

/** A notebook with raw names in a markdown source, a split stream and an HTML table. */
function namesNotebook(): Record<string, unknown> {
  const [ada, bo, cyra] = [PEOPLE[3]!.name, PEOPLE[4]!.name, PEOPLE[5]!.name];
  const code = codeCell;
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: 'markdown', source: `Spoke with ${bo} today.`, metadata: {} },
      code('print(top)', [
        { output_type: 'stream', name: 'stdout', text: `top: ${ada.slice(0, 6)}` },
        { output_type: 'stream', name: 'stdout', text: `${ada.slice(6)}\n` },
      ]),
      code('t', [
        {
          output_type: 'display_data',
          data: { 'text/html': `<table><tr><td>${cyra}</td><td>31</td></tr></table>` },
          metadata: {},
        },
      ]),
      // Names that are not in the data, counts and decimals: nothing to withhold.
      code('summary', [
        {
          output_type: 'stream',
          name: 'stdout',
          text: 'Ada Lovelace  mean 52341.2345678  n 1204  4155551003.5\n',
        },
      ]),
    ],
  };
}

/** Exports `namesNotebook()` as ana (the export must succeed). */
async function exportNames(): Promise<ExportBundle> {
  const res = await g.call('POST', '/exports', 'ana', {
    experiment: EXPERIMENT,
    name: 'names.ipynb',
    notebook: namesNotebook(),
  });
  assert.equal(res.status, 201);
  return (await res.json()) as ExportBundle;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

before(async () => {
  g = await startReviewGateway();
  // The small-cell table is approved by a reviewer; the changed table is not.
  const submitted = await g.call('POST', '/reviews', 'ana', {
    experiment: EXPERIMENT,
    output: smallCellTable(2),
    justification: 'two test sites, agreed with the data owner',
  });
  const r = (await submitted.json()) as ReviewRequest;
  const decided = await g.call('POST', `/reviews/${r.id}/decision`, 'rev', { decision: 'approve' });
  assert.equal(decided.status, 200);
  const res = await g.call('POST', '/exports', 'ana', {
    experiment: EXPERIMENT,
    name: 'income.ipynb',
    notebook: notebook(),
  });
  assert.equal(res.status, 201);
  bundle = (await res.json()) as ExportBundle;
  const key = (await (
    await g.call('GET', '/exports/public-key')
  ).json()) as ExportPublicKeyResponse;
  trusted = Buffer.from(key.publicKey, 'base64');
  assert.equal(key.keyId, createHash('sha256').update(trusted).digest('hex'));
});
after(async () => g.stop());

describe('export bundles', () => {
  test('only passed or approved outputs leave; everything else is a placeholder', () => {
    const statuses = bundle.manifest.outputs.map(
      (l) => `${l.cellIndex}:${l.outputIndex}:${l.status}`,
    );
    assert.deepEqual(statuses, [
      '1:0:passed',
      '2:0:withheld',
      '3:0:approved',
      '4:0:withheld',
      '5:0:withheld',
      '5:1:withheld',
      '8:0:passed',
    ]);
    const cells = bundle.notebook.cells as { outputs?: { data?: Record<string, unknown> }[] }[];
    assert.match(
      String(cells[2]?.outputs?.[0]?.data?.['text/plain']),
      /^\[withheld by Privet review: rules email\]$/,
    );
    assert.equal(cells[3]?.outputs?.[0]?.data?.['text/html'], smallCellTable(2).data['text/html']);
    assert.match(String(cells[4]?.outputs?.[0]?.data?.['text/plain']), /small-cell/);
    const text = JSON.stringify(bundle);
    for (const secret of [RAW_EMAIL, 'person11@exa', 'mple2.org', 'Pune</td>', 'approved table'])
      assert.ok(!text.includes(secret), `the bundle does not contain ${secret}`);
    assert.deepEqual(Object.keys(bundle.notebook.metadata as object), ['kernelspec']);
    const approved = bundle.manifest.outputs.find((l) => l.status === 'approved');
    assert.match(String(approved?.reviewId), /^rev-/);
    assert.deepEqual(bundle.manifest.outputs[1]?.rules, ['email']);
  });
  test('cell sources holding what the check holds are placeholders, listed in the manifest', async () => {
    assert.deepEqual(bundle.manifest.withheldSources, [
      { cellIndex: 6, rules: ['email'] },
      { cellIndex: 7, rules: ['small-cell'] },
      { cellIndex: 8, rules: ['email'] },
    ]);
    const cells = bundle.notebook.cells as { source: string }[];
    assert.equal(cells[0]?.source, '# Income', 'a passing source is kept as written');
    assert.equal(cells[6]?.source, '[withheld by Privet review: rules email]');
    assert.equal(cells[7]?.source, '[withheld by Privet review: rules small-cell]');
    const text = JSON.stringify(bundle);
    for (const secret of [NOTE_EMAIL, CODE_EMAIL, 'Pune | 3'])
      assert.ok(!text.includes(secret), `the bundle does not contain ${secret}`);
    // Putting a source back (and the manifest unsigned over it) fails verification.
    const restored = clone(bundle);
    (restored.notebook.cells as { source: string }[])[6]!.source = `Top earner: ${NOTE_EMAIL}`;
    const r = await verifyBundle(restored, trusted);
    assert.equal(r.ok, false);
    assert.ok(
      r.problems.some((p) => /cell 6's source is marked withheld but is not a placeholder/.test(p)),
    );
    // A manifest without the list (made before sources were checked) is not trusted.
    const old = clone(bundle);
    const { withheldSources: _dropped, ...olderManifest } = old.manifest;
    (old as { manifest: unknown }).manifest = olderManifest;
    const rOld = await verifyBundle(old, trusted);
    assert.equal(rOld.ok, false);
    assert.ok(rOld.problems.some((p) => /no withheld-source list .* export it again/.test(p)));
  });
  test('the bundle verifies against the gateway key, and the key file is private', async () => {
    const result = await verifyBundle(bundle, trusted);
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
    assert.deepEqual(result.counts, { passed: 2, approved: 1, withheld: 4, withheldSources: 3 });
    assert.equal(statSync(join(g.stateDir, 'signing.key')).mode & 0o777, 0o600);
    assert.equal(bundle.publicKey, trusted.toString('base64'));
  });
  test('an edited output fails verification', async () => {
    const edited = clone(bundle);
    const cells = edited.notebook.cells as { outputs: { data: Record<string, unknown> }[] }[];
    cells[1]!.outputs[0]!.data['text/plain'] = 'mean income 99999';
    const r = await verifyBundle(edited, trusted);
    assert.equal(r.ok, false);
    assert.ok(r.problems.some((p) => /notebookHash/.test(p)));
    assert.ok(r.problems.some((p) => /cell 1 output 0 differs/.test(p)));
    const restored = clone(bundle);
    (restored.notebook.cells as { outputs: unknown[] }[])[2]!.outputs[0] = emailOutput(RAW_EMAIL);
    assert.equal((await verifyBundle(restored, trusted)).ok, false);
  });
  test('an edited manifest fails verification', async () => {
    const edited = clone(bundle);
    edited.manifest.outputs[1]!.status = 'approved';
    edited.manifest.outputs[1]!.reviewId = 'rev-00000000-0000-0000-0000-000000000000';
    const r = await verifyBundle(edited, trusted);
    assert.equal(r.ok, false);
    assert.ok(r.problems.some((p) => /signature does not match/.test(p)));
    const who = clone(bundle);
    who.manifest.exportedBy = 'stu';
    assert.equal((await verifyBundle(who, trusted)).ok, false);
  });
  test('a bundle re-signed with another key fails against the trusted key', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const forged = clone(bundle);
    const otherRaw = rawPublicKey(other);
    forged.manifest.keyId = createHash('sha256').update(otherRaw).digest('hex');
    forged.publicKey = otherRaw.toString('base64');
    forged.signature = sign(
      null,
      Buffer.from(canonicalJson(forged.manifest as unknown as JsonValue)),
      other,
    ).toString('base64');
    assert.equal(
      (await verifyBundle(forged, otherRaw)).ok,
      true,
      'self-consistent under its own key',
    );
    const r = await verifyBundle(forged, trusted);
    assert.equal(r.ok, false);
    assert.ok(r.problems.some((p) => /another signing key/.test(p)));
    assert.equal((await verifyBundle(bundle, otherRaw)).ok, false);
  });
  test('`privet export verify` exits 0 only for an intact bundle', () => {
    const good = join(g.dir, 'good.json');
    const bad = join(g.dir, 'bad.json');
    writeFileSync(good, JSON.stringify(bundle));
    const tampered = clone(bundle);
    tampered.manifest.outputs[0]!.status = 'approved';
    writeFileSync(bad, JSON.stringify(tampered));
    const run = (file: string, ...args: string[]) => privet('export', 'verify', file, ...args);
    const ok = run(good, '--state', g.stateDir);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /ok .* 2 passed, 1 approved, 4 withheld outputs; 3 cell source/);
    const failed = run(bad, '--public-key', trusted.toString('base64'));
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /NOT verified/);
  });
  test('`privet export create` builds a bundle on the gateway host that verifies', () => {
    const nbFile = join(g.dir, 'income.ipynb');
    const out = join(g.dir, 'cli-bundle.json');
    writeFileSync(nbFile, JSON.stringify(notebook()));
    const cli = (...args: string[]) => privet('export', ...args);
    const created = exportCreate(g, nbFile, out);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /"withheld":4/);
    const cliBundle = JSON.parse(readFileSync(out, 'utf8')) as ExportBundle;
    assert.equal(cliBundle.manifest.keyId, bundle.manifest.keyId);
    assert.ok(!readFileSync(out, 'utf8').includes(RAW_EMAIL));
    const verified = cli('verify', out, '--state', g.stateDir);
    assert.equal(verified.code, 0, verified.stderr);
    // A wrong path or a file that is not JSON: said plainly, never quoting the file's text.
    const missing = cli('verify', out + '.missing', '--state', g.stateDir);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /\.missing: does not exist\. Fix: pass the bundle file/);
    writeFileSync(out + '.bad', `{"email": "${RAW_EMAIL}"`);
    const notJson = cli('verify', out + '.bad', '--state', g.stateDir);
    assert.equal(notJson.code, 1);
    assert.match(notJson.stderr, /\.bad: is not valid JSON\. Fix: pass the bundle file/);
    assert.ok(!notJson.stderr.includes(RAW_EMAIL));
    const outsider = exportCreate(g, nbFile, out + '.x', 'bob');
    assert.equal(outsider.code, 2);
    assert.match(outsider.stderr, /Fix:/);
  });
  test('`privet export create` to a missing folder is refused before anything is signed or audited', async () => {
    const nbFile = join(g.dir, 'income.ipynb');
    writeFileSync(nbFile, JSON.stringify(notebook()));
    const exports = async () =>
      ((await (await g.call('GET', '/audit', 'stu')).json()) as AuditResponse).entries.filter(
        (e) => e.action === 'export',
      ).length;
    const before = await exports();
    const r = exportCreate(g, nbFile, join(g.dir, 'no-such-folder', 'b.json'));
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /the folder of --out .*no-such-folder\/b\.json .* does not exist\. Fix: create the folder/,
    );
    assert.equal(await exports(), before, 'no export on the record that was never written');
  });
  test('exports are audited; outsiders and reviewers cannot export', async () => {
    const { entries } = (await (await g.call('GET', '/audit', 'stu')).json()) as AuditResponse;
    const exp = entries.find((e) => e.action === 'export');
    assert.equal(exp?.subject, bundle.manifest.bundleId);
    assert.deepEqual(
      [exp?.details.passed, exp?.details.approved, exp?.details.withheld],
      [2, 1, 4],
    );
    assert.equal(exp?.details.withheldSources, 3);
    assert.ok(!JSON.stringify(entries).includes(RAW_EMAIL));
    const outsider = await g.call('POST', '/exports', 'bob', {
      experiment: EXPERIMENT,
      name: 'x',
      notebook: notebook(),
    });
    assert.equal(outsider.status, 404);
    const reviewer = await g.call('POST', '/exports', 'rev', {
      experiment: EXPERIMENT,
      name: 'x',
      notebook: notebook(),
    });
    assert.equal(reviewer.status, 403);
    const notNb = await g.call('POST', '/exports', 'ana', {
      experiment: EXPERIMENT,
      name: 'x',
      notebook: { cells: 3 },
    });
    assert.equal(notNb.status, 400);
    // Refused inside the output-check worker's filter: the status and fix come back intact.
    const oldFormat = await g.call('POST', '/exports', 'ana', {
      experiment: EXPERIMENT,
      name: 'x',
      notebook: { nbformat: 3, cells: [] },
    });
    assert.equal(oldFormat.status, 400);
    const refusal = (await oldFormat.json()) as { error: { message: string; fix: string } };
    assert.match(refusal.error.message, /not an nbformat 4 notebook/);
    assert.match(refusal.error.fix, /as saved by Jupyter/);
    const after = (await (await g.call('GET', '/audit', 'stu')).json()) as AuditResponse;
    assert.ok(after.entries.some((e) => e.action === 'export.refused' && e.actor === 'bob'));
  });
  test('a body the worker cannot parse is a 400 that repeats none of it', async () => {
    const post = (path: string, body: string) =>
      fetch(`${g.gateway.url}/api/v1${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${g.tokens.ana}`, 'Content-Type': 'application/json' },
        body,
      });
    for (const path of ['/exports', '/reviews']) {
      const broken = await post(path, `{"experiment":"${EXPERIMENT}","name":"${RAW_EMAIL}`);
      assert.equal(broken.status, 400, path);
      const text = await broken.text();
      assert.match(text, /the request body is not valid JSON/);
      assert.ok(!text.includes(RAW_EMAIL), 'no part of the body comes back');
      // A prototype key is refused as Fastify refuses it on every other route.
      const poisoned = await post(
        path,
        `{"experiment":"${EXPERIMENT}","name":"x","notebook":{"cells":[]},"__proto__":{"admin":true}}`,
      );
      assert.equal(poisoned.status, 400, path);
      const empty = await fetch(`${g.gateway.url}/api/v1${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${g.tokens.ana}` },
      });
      assert.equal(empty.status, 400, `${path} without a body`);
      assert.match(await empty.text(), /no JSON body/);
    }
  });

  test('a large export body moves to the worker without a copy, and the bundle is its JSON', async (t) => {
    const opened = t.mock.method(OutputCheckWorker.prototype, 'open');
    const big = notebook();
    (big.cells as unknown[]).push(
      codeCell('log()', [
        { output_type: 'stream', name: 'stdout', text: 'step done\n'.repeat(20_000) },
      ]),
    );
    const res = await g.call('POST', '/exports', 'ana', {
      experiment: EXPERIMENT,
      name: 'big.ipynb',
      notebook: big,
    });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const b = (await res.json()) as ExportBundle;
    assert.equal((await verifyBundle(b, trusted)).ok, true, 'the spliced bundle verifies');
    const [, bytes] = opened.mock.calls[0]!.arguments;
    assert.equal(bytes.byteLength, 0, 'the body was moved (its buffer detached), not copied');
  });

  test('only the checked nbformat fields of outputs, cells and the notebook are exported', async () => {
    // Places the check and the content hash never read: an output's metadata and `transient`,
    // unknown keys of outputs, cells and the notebook, and non-string items of a stream's text.
    const secret = 'SSN 123-45-6789';
    const smuggling = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      extra_top: secret,
      cells: [
        {
          cell_type: 'code',
          source: 'x',
          metadata: { private: secret },
          cell_extra: secret,
          execution_count: 1,
          outputs: [
            {
              output_type: 'stream',
              name: 'stdout',
              text: 'ok\n',
              metadata: { leak: secret },
              other: secret,
            },
            { ...PASSING, metadata: { note: 'see SSN list' }, transient: { display_id: secret } },
            { ...smallCellTable(2), smuggled: secret },
          ],
        },
        {
          cell_type: 'code',
          source: 'y',
          metadata: {},
          outputs: [{ output_type: 'stream', name: 'stdout', text: ['ok ', { hidden: secret }] }],
        },
      ],
    };
    const res = await g.call('POST', '/exports', 'ana', {
      experiment: EXPERIMENT,
      name: 'smuggling.ipynb',
      notebook: smuggling,
    });
    assert.equal(res.status, 201);
    const b = (await res.json()) as ExportBundle;
    assert.ok(!JSON.stringify(b).includes('123-45-6789'), 'no planted value leaves');
    assert.ok(!JSON.stringify(b).includes('see SSN list'), 'no metadata leaves');
    assert.deepEqual(
      b.manifest.outputs.map((l) => `${l.cellIndex}:${l.outputIndex}:${l.status}`),
      ['0:0:passed', '0:1:passed', '0:2:approved', '1:0:withheld'],
    );
    assert.deepEqual(b.manifest.outputs[3]?.rules, ['malformed']);
    const cells = b.notebook.cells as Record<string, unknown>[];
    assert.deepEqual(Object.keys(b.notebook).sort(), [
      'cells',
      'metadata',
      'nbformat',
      'nbformat_minor',
    ]);
    // nbformat 4.5 cells have an id: the gateway makes it up (nbformat-fields.test.ts).
    assert.deepEqual(Object.keys(cells[0]!).sort(), [
      'cell_type',
      'execution_count',
      'id',
      'metadata',
      'outputs',
      'source',
    ]);
    const outputs = cells[0]!.outputs as Record<string, unknown>[];
    assert.deepEqual(outputs[0], { output_type: 'stream', name: 'stdout', text: 'ok\n' });
    assert.deepEqual(outputs[1], { ...PASSING, metadata: {} });
    const r = await verifyBundle(b, trusted);
    assert.deepEqual(r.problems, []);
  });
  test('raw identifier values are withheld wherever they appear, split streams and sources too', async () => {
    const [ada, bo, cyra] = [PEOPLE[3]!.name, PEOPLE[4]!.name, PEOPLE[5]!.name];
    const names = await exportNames();
    assert.deepEqual(
      names.manifest.outputs.map((l) => `${l.cellIndex}:${l.outputIndex}:${l.status}`),
      ['1:0:withheld', '1:1:withheld', '2:0:withheld', '3:0:passed'],
    );
    for (const l of names.manifest.outputs.slice(0, 3)) assert.deepEqual(l.rules, ['raw-value']);
    assert.deepEqual(names.manifest.withheldSources, [{ cellIndex: 0, rules: ['raw-value'] }]);
    const text = JSON.stringify(names);
    for (const secret of [ada, bo, cyra, ada.slice(6)])
      assert.ok(!text.includes(secret), `the bundle does not contain ${secret}`);
    assert.equal((await verifyBundle(names, trusted)).ok, true);
  });
  test('an export is parsed, filtered and hashed in the output-check worker, its lookups in one batch', async (t) => {
    const opened = t.mock.method(OutputCheckWorker.prototype, 'open');
    const exportsInWorker = t.mock.method(OutputCheckWorker.prototype, 'filterOpenedExport');
    const checks = t.mock.method(OutputCheckWorker.prototype, 'check');
    const mainThreadLookups = t.mock.method(LeakIndex.prototype, 'matches');
    const names = await exportNames();
    assert.equal(opened.mock.callCount(), 1, 'the body went to the worker as bytes');
    const [kind, bytes] = opened.mock.calls[0]!.arguments;
    assert.equal(kind, 'export');
    assert.ok(bytes instanceof Uint8Array);
    assert.equal(exportsInWorker.mock.callCount(), 1, 'the whole filter runs in the worker');
    assert.equal(checks.mock.callCount(), 0, 'no separate lookup batch');
    assert.equal(mainThreadLookups.mock.callCount(), 0, 'no lookup on the event loop');
    assert.deepEqual(
      names.manifest.outputs.map((l) => l.status),
      ['withheld', 'withheld', 'withheld', 'passed'],
    );
    // The notebook's canonical hash (hundreds of ms for a large notebook) came from the worker,
    // and so did the notebook's JSON, spliced into the bundle as it came.
    const filtered = await exportsInWorker.mock.calls[0]!.result!;
    assert.match(filtered.lines.notebookHash, /^[0-9a-f]{64}$/);
    assert.equal(names.manifest.notebookHash, filtered.lines.notebookHash);
    assert.deepEqual(names.notebook, JSON.parse(new TextDecoder().decode(filtered.notebookJson)));
    // What the worker does with it, here: one batch of every kept source and output.
    const notebook = namesNotebook();
    const [, , lookups] = exportsInWorker.mock.calls[0]!.arguments;
    const batches: OutputLeakItem[][] = [];
    await filterWithLookups(notebook, lookups, async (items) => {
      batches.push(items);
      return items.map(() => false);
    });
    assert.equal(batches.length, 1, 'one batch for the whole export');
    // Four cell sources, the split stream read whole, the HTML table and the summary stream.
    const items = batches[0]!;
    assert.equal(items.length, 7);
    const whole = (i: OutputLeakItem) =>
      i.output.output_type === 'stream' && joinText(i.output.text).includes(PEOPLE[3]!.name);
    assert.ok(items.some(whole), 'the split stream is looked up whole');
  });

  test('an answer missing verdicts withholds every output and source it did not clear', async () => {
    const filterWith = (rawValues: (items: OutputLeakItem[]) => Promise<boolean[]>) =>
      filterNotebook(namesNotebook(), {
        exportRules: { small_cell_threshold: 10 } as Policy['export'],
        knownRelease: () => false,
        approvedReviewId: () => undefined,
        viewsUsed: [],
        rawValues,
      });
    const filtered = await filterWith(async (items) => items.slice(0, -1).map(() => false));
    // The batch's last item (the summary stream) got no verdict: withheld; the rest were cleared.
    assert.deepEqual(filtered.withheldSources, []);
    assert.deepEqual(
      filtered.outputs.map((l) => `${l.status}:${(l.rules ?? []).join()}`),
      ['passed:', 'passed:', 'passed:', 'withheld:raw-value'],
    );
    const none = await filterWith(async () => []);
    assert.deepEqual(
      none.withheldSources.map((w) => w.cellIndex),
      [0, 1, 2, 3],
    );
    assert.ok(none.outputs.every((l) => l.status === 'withheld' && l.rules![0] === 'raw-value'));
  });

  test('a DP release is exported only with the numbers the ledger released under its id', async () => {
    const release = await spendCountQuery(g);
    const dpOutput = (value: unknown) => ({
      output_type: 'display_data',
      data: { [DP_RELEASE_MIME]: value },
      metadata: {},
    });
    const cell = (outputs: unknown[]) => ({
      cell_type: 'code',
      source: 'q',
      metadata: {},
      outputs,
    });
    // The real id vouching for a small count it never released (e.g. read off a masked view).
    const forged = {
      ...release,
      rows: [{ keys: {}, values: { n: { value: 2, interval: [1, 3] } } }],
    };
    const res = await g.call('POST', '/exports', 'ana', {
      experiment: EXPERIMENT,
      name: 'dp.ipynb',
      notebook: {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [cell([dpOutput(release)]), cell([dpOutput(forged)])],
      },
    });
    assert.equal(res.status, 201);
    const b = (await res.json()) as ExportBundle;
    assert.deepEqual(
      b.manifest.outputs.map((l) => l.status),
      ['passed', 'withheld'],
    );
    assert.ok(b.manifest.outputs[1]?.rules?.includes('dp-provenance'));
  });
});
