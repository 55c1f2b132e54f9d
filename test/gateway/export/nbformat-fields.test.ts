/**
 * What an export carries besides outputs and cell sources: notebook and cell metadata, cell ids,
 * types and execution counts, nbformat_minor, MIME types and the shape of MIME parts. None of it
 * may carry a raw value out unchecked (nbformat-fields.ts); the bundle's own fields and key are
 * checked by `privet export verify`; `privet export create` reads the notebook as POST /exports
 * does.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiError, ExportBundle, OutputLeakItem, Policy } from '@privet/core';
import { joinText } from '@privet/core/review/index';
import { canonicalJson, type JsonValue } from '@privet/core/record/index';
import {
  filterNotebook,
  RAW_VALUE_RULE,
  rawValueLookups,
} from '../../../gateway/src/export/filter.js';
import { canonicalSha256 } from '../../../gateway/src/export/canonical-hash.js';
import { verifyBundle } from '../../../gateway/src/export/verify.js';
import { keyIdOf, rawPublicKey } from '../../../gateway/src/export/signing-key.js';
import { HttpError } from '../../../gateway/src/http/errors.js';
import { privet } from '../run-cli.js';
import {
  EXPERIMENT,
  PASSING,
  PEOPLE,
  smallCellTable,
  startReviewGateway,
  type ReviewGateway,
  exportCreate,
} from '../review/fixture.js';

const RULES = {
  require_review_for_flagged: true,
  images: 'review',
  small_cell_threshold: 10,
} as Policy['export'];
/** A raw identifier value the fixture's index holds (a name no pattern rule recognises). */
const RAW_NAME = PEOPLE[4]!.name;
const SSN = '078-05-1120';
/** A MIME type spelling a raw name (no space: a valid type). */
const TYPE_NAME = `application/x-${RAW_NAME.replace(' ', '.')}`;

/** What a lookup item shows, as text (its stream text or its MIME parts' strings). */
const itemText = ({ output }: OutputLeakItem): string =>
  output.output_type === 'stream'
    ? joinText(output.text)
    : JSON.stringify((output as { data?: unknown }).data ?? '');

/** Filters with the rules above; `raw` says which lookup items hold a raw value. */
function filter(nb: unknown, raw: (text: string) => boolean = () => false) {
  return filterNotebook(nb, {
    exportRules: RULES,
    knownRelease: () => false,
    approvedReviewId: () => undefined,
    viewsUsed: [],
    rawValues: async (items) => items.map((i) => raw(itemText(i))),
  });
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A notebook whose metadata, ids and counts all carry the planted values. */
function plantedNotebook(minor: unknown = 5): Record<string, unknown> {
  return {
    nbformat: 4,
    nbformat_minor: minor,
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3 (ipykernel)',
        language: 'python',
        env: { PATIENT: RAW_NAME },
        argv: [SSN],
      },
      language_info: { name: 'python', version: SSN, file_extension: RAW_NAME },
      authors: [{ name: RAW_NAME }],
    },
    cells: [
      {
        cell_type: 'code',
        id: `${RAW_NAME} ${SSN}`,
        source: 'x = 1',
        metadata: {
          tags: [RAW_NAME],
          name: SSN,
          collapsed: true,
          scrolled: 'auto',
          editable: RAW_NAME,
          jupyter: { source_hidden: true, outputs_hidden: SSN, hidden: { deep: RAW_NAME } },
          vscode: { languageId: 'python' },
        },
        execution_count: 78051120,
        outputs: [
          {
            output_type: 'execute_result',
            execution_count: 78051120.5,
            data: { 'text/plain': 'ok' },
            metadata: {},
          },
        ],
      },
      {
        cell_type: 'markdown',
        id: 'abc-DEF_1',
        source: '# Notes',
        metadata: { tags: ['x'], deletable: false, jupyter: { source_hidden: false } },
      },
      { cell_type: 'code', source: 'y', metadata: {}, execution_count: -1, outputs: [] },
      { cell_type: 'raw', id: 'r', source: 'r', metadata: { format: RAW_NAME } },
    ],
  };
}

describe('export: notebook and cell fields besides outputs and sources', () => {
  test('metadata keeps only UI flags and plain kernel names; ids are made up; counts are small integers', async () => {
    const f = await filter(plantedNotebook());
    const text = JSON.stringify(f.notebook);
    for (const planted of [RAW_NAME, SSN, '78051120', 'Lindqvist'])
      assert.ok(!text.includes(planted), `the exported notebook does not contain ${planted}`);
    assert.deepEqual(f.notebook.metadata, {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python' },
    });
    const cells = f.notebook.cells as Record<string, JsonValue>[];
    assert.deepEqual(
      cells.map((c) => c.id),
      ['cell-0', 'cell-1', 'cell-2', 'cell-3'],
      'every id is made up from the cell index, a valid one too',
    );
    assert.deepEqual(cells[0]!.metadata, {
      collapsed: true,
      scrolled: 'auto',
      jupyter: { source_hidden: true },
    });
    assert.deepEqual(cells[1]!.metadata, { deletable: false, jupyter: { source_hidden: false } });
    assert.deepEqual(cells[3]!.metadata, {});
    assert.equal(cells[0]!.execution_count, null, 'too large a count is dropped');
    assert.equal(cells[2]!.execution_count, null, 'a negative count is dropped');
    const out = (cells[0]!.outputs as Record<string, JsonValue>[])[0]!;
    assert.equal(out.execution_count, null, 'a fractional count is dropped');
    assert.equal(f.outputs[0]?.status, 'passed', 'the output itself is unchanged in content');
    assert.equal(f.notebookHash, canonicalSha256(f.notebook), 'the hash covers what is exported');
    // Small counts stay.
    const small = plantedNotebook();
    (small.cells as Record<string, unknown>[])[0]!.execution_count = 7;
    const kept = await filter(small);
    assert.equal((kept.notebook.cells as Record<string, JsonValue>[])[0]!.execution_count, 7);
  });

  test('nbformat_minor is 0-5 (else 5); before 4.5 cells have no id', async () => {
    const odd = await filter(plantedNotebook(78051120));
    assert.equal(odd.notebook.nbformat_minor, 5);
    const old = await filter(plantedNotebook(4));
    assert.equal(old.notebook.nbformat_minor, 4);
    assert.ok((old.notebook.cells as Record<string, JsonValue>[]).every((c) => !('id' in c)));
  });

  test('a kernel name with a raw value or what the rules hold drops the kernel metadata', async () => {
    const nb = plantedNotebook();
    const named = (display: string) => {
      const copy = clone(nb);
      const meta = copy.metadata as { kernelspec: Record<string, string> };
      meta.kernelspec.display_name = display;
      return copy;
    };
    assert.equal(rawValueLookups(nb), 4 + 1 + 1, 'one lookup for the kernel names is spent');
    const raw = await filter(named(`Python (${RAW_NAME})`), (t) => t.includes(RAW_NAME));
    assert.deepEqual(raw.notebook.metadata, {});
    assert.deepEqual(raw.withheldKernelNames, [RAW_VALUE_RULE], 'the manifest says why');
    // A missing verdict drops them too (fail closed).
    const unanswered = await filterNotebook(nb, {
      exportRules: RULES,
      knownRelease: () => false,
      approvedReviewId: () => undefined,
      viewsUsed: [],
      rawValues: async () => [],
    });
    assert.deepEqual(unanswered.notebook.metadata, {});
    assert.deepEqual(unanswered.withheldKernelNames, [RAW_VALUE_RULE]);
    // A phone number fits the name pattern; the rules hold it.
    const phone = await filter(named(PEOPLE[4]!.phone));
    assert.deepEqual(phone.notebook.metadata, {});
    assert.ok((phone.withheldKernelNames ?? []).length > 0, 'the rules that held it are listed');
    assert.ok(!(phone.withheldKernelNames ?? []).includes(RAW_VALUE_RULE));
    // A name that is not plain (an email) is dropped on its own.
    const email = await filter(named(PEOPLE[4]!.email));
    assert.deepEqual(email.notebook.metadata, {
      kernelspec: { name: 'python3', language: 'python' },
      language_info: { name: 'python' },
    });
    assert.equal(email.withheldKernelNames, undefined);
  });

  test('a cell of an unknown or missing type refuses the export with a 400 naming the cell', async () => {
    for (const cellType of [SSN, undefined, 7]) {
      const nb = plantedNotebook();
      (nb.cells as Record<string, unknown>[])[2]!.cell_type = cellType;
      await assert.rejects(filter(nb), (e: unknown) => {
        assert.ok(e instanceof HttpError);
        assert.equal(e.status, 400);
        assert.match(e.message, /cell 2 of the notebook has a missing or unknown "cell_type"/);
        assert.match(e.fix, /code, markdown or raw/);
        assert.ok(!`${e.message} ${e.fix}`.includes(SSN), 'the value is not echoed');
        return true;
      });
    }
  });

  test('a "__proto__" key refuses the export', async () => {
    const nb = JSON.parse(
      `{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[{"cell_type":"code","source":"t","metadata":{},"outputs":[{"output_type":"display_data","metadata":{},"data":{"__proto__":"SSN ${SSN}","text/plain":"ok"}}]}]}`,
    ) as unknown;
    await assert.rejects(filter(nb), /"notebook" holds a "__proto__"/);
  });
});

describe('export: MIME parts', () => {
  const hiddenTable = `<table><tr><td>${RAW_NAME}</td><td>1</td></tr></table> SSN ${SSN}`;
  const outputs = [
    { output_type: 'display_data', data: { 'text/plain': ['ok', { hidden: hiddenTable }] } },
    { output_type: 'display_data', data: { 'text/html': ['<p>ok</p>', [hiddenTable]] } },
    { output_type: 'execute_result', data: { 'text/plain': { hidden: hiddenTable } } },
    { output_type: 'display_data', data: { 'text/plain': ['ok', 3] } },
    { output_type: 'display_data', data: { 'image/png': { hidden: hiddenTable } } },
    { output_type: 'display_data', data: { [`text/${RAW_NAME}`]: 'ok' } },
    { output_type: 'display_data', data: { [`text/x-${SSN}`]: 'ok' } },
    { output_type: 'display_data', data: { 'text/plain': 'ok', [TYPE_NAME]: 'ok' } },
    { output_type: 'display_data', data: { 'text/plain': 'fine', 'application/json': { n: 1 } } },
    { output_type: 'display_data', data: { 'text/plain': ['fine ', 'lines'] } },
    PASSING,
  ].map((o) => ({ metadata: {}, ...o }));
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ cell_type: 'code', source: 'x', metadata: {}, execution_count: 1, outputs }],
  };

  test('a non-JSON part that is not a string or a list of strings is malformed and withheld', async () => {
    const f = await filter(nb, (t) => t.includes(SSN) || t.includes(RAW_NAME.split(' ')[1]!));
    assert.deepEqual(
      f.outputs.map((l) => `${l.status}:${(l.rules ?? []).join()}`),
      [
        'withheld:malformed',
        'withheld:malformed',
        'withheld:malformed',
        'withheld:malformed',
        'withheld:malformed',
        'withheld:malformed', // not a MIME type (a space)
        'withheld:ssn', // a MIME type holding what the rules hold
        'withheld:raw-value',
        'passed:',
        'passed:',
        'passed:',
      ],
    );
    const text = JSON.stringify(f.notebook);
    for (const planted of [SSN, 'Lindqvist', 'hidden'])
      assert.ok(!text.includes(planted), `the exported notebook does not contain ${planted}`);
    // One lookup per output, one more for each output with uncommon MIME types (3 here).
    assert.equal(rawValueLookups(nb), 1 + outputs.length + 3);
    const kept = (f.notebook.cells as { outputs: { data: Record<string, unknown> }[] }[])[0]!
      .outputs;
    assert.deepEqual(kept[8]!.data, { 'text/plain': 'fine', 'application/json': { n: 1 } });
  });

  test('end to end: the bundle carries none of it and verifies', async () => {
    const g = await startReviewGateway();
    try {
      const res = await g.call('POST', '/exports', 'ana', {
        experiment: EXPERIMENT,
        name: 'mixed.ipynb',
        notebook: nb,
      });
      assert.equal(res.status, 201);
      const b = (await res.json()) as ExportBundle;
      assert.ok(!JSON.stringify(b).includes('Lindqvist'), 'the real index finds the name');
      assert.deepEqual(
        b.manifest.outputs.map((l) => `${l.status}:${(l.rules ?? []).join()}`),
        [
          ...Array(6).fill('withheld:malformed'),
          'withheld:ssn',
          'withheld:raw-value',
          'passed:',
          'passed:',
          'passed:',
        ],
      );
      const key = Buffer.from(b.publicKey, 'base64');
      assert.deepEqual((await verifyBundle(b, key)).problems, []);
    } finally {
      await g.stop();
    }
  });
});

/** A bundle signed with a fresh key (what the gateway makes), and that key. */
async function signedBundle(): Promise<{ bundle: Record<string, unknown>; key: Buffer }> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const key = rawPublicKey(privateKey);
  const f = await filter({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });
  const manifest = {
    bundleId: 'exp-test',
    experiment: EXPERIMENT,
    exportedBy: 'ana',
    exportedAt: '2026-01-02T03:04:05.000Z',
    policyHash: 'p',
    notebookHash: f.notebookHash,
    keyId: keyIdOf(key),
    outputs: f.outputs,
    withheldSources: f.withheldSources,
  };
  const signature = sign(null, Buffer.from(canonicalJson(manifest as never)), privateKey);
  return {
    key,
    bundle: {
      format: 'privet-export-bundle/1',
      manifest,
      signature: signature.toString('base64'),
      publicKey: key.toString('base64'),
      notebook: f.notebook,
    },
  };
}

describe('export verify: the bundle envelope', () => {
  test('an intact bundle verifies and says who exported it from where', async () => {
    const { bundle, key } = await signedBundle();
    const r = await verifyBundle(bundle, key, { experiment: EXPERIMENT });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.exported, {
      experiment: EXPERIMENT,
      exportedBy: 'ana',
      exportedAt: '2026-01-02T03:04:05.000Z',
    });
  });

  test('a field besides the known ones fails, without naming or echoing it', async () => {
    const { bundle, key } = await signedBundle();
    bundle[RAW_NAME] = { table: `<td>${SSN}</td>` };
    const r = await verifyBundle(bundle, key);
    assert.equal(r.ok, false);
    assert.deepEqual(r.problems, [
      'the bundle has 1 field(s) besides format, manifest, signature, publicKey and notebook (added after signing; nothing vouches for them)',
    ]);
  });

  test('a publicKey other than the trusted key fails', async () => {
    const { bundle, key } = await signedBundle();
    for (const other of [Buffer.alloc(32, 7).toString('base64'), SSN, undefined]) {
      bundle.publicKey = other;
      const r = await verifyBundle(bundle, key);
      assert.equal(r.ok, false);
      assert.ok(r.problems.some((p) => /publicKey is not the trusted key/.test(p)));
    }
  });

  test('another experiment than the expected one fails', async () => {
    const { bundle, key } = await signedBundle();
    const r = await verifyBundle(bundle, key, { experiment: 'exp-other' });
    assert.equal(r.ok, false);
    assert.deepEqual(r.problems, [
      'the bundle was not exported from experiment "exp-other" (its manifest names another one)',
    ]);
  });

  test('`privet export verify` reports them and prints the experiment and exporter', async () => {
    const { bundle, key } = await signedBundle();
    const dir = mkdtempSync(join(tmpdir(), 'privet-verify-'));
    const file = join(dir, 'bundle.json');
    const verify = (b: unknown, ...args: string[]) => {
      writeFileSync(file, JSON.stringify(b));
      return privet('export', 'verify', file, '--public-key', key.toString('base64'), ...args);
    };
    const ok = verify(bundle, '--experiment', EXPERIMENT);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /ok .*; exported from experiment exp-review by ana at 2026-01-02/);
    const elsewhere = verify(bundle, '--experiment', 'exp-other');
    assert.equal(elsewhere.code, 1);
    assert.match(elsewhere.stderr, /not exported from experiment "exp-other"/);
    const extra = verify({ ...bundle, attachments: { 'held.html': `<td>${SSN}</td>` } });
    assert.equal(extra.code, 1);
    assert.match(extra.stderr, /1 field\(s\) besides format/);
    assert.ok(!extra.stderr.includes(SSN));
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('against a gateway: `privet export create` reads as POST /exports does; cell types; the index', () => {
  let g: ReviewGateway;
  before(async () => {
    g = await startReviewGateway();
  });
  after(async () => g.stop());

  const create = (nbFile: string, out: string) => exportCreate(g, nbFile, out);

  test('a "__proto__" key is refused naming the file, and nothing is written', () => {
    const hidden = `<table><tr><td>HIV</td><td>1</td></tr></table> SSN ${SSN}`;
    const output = JSON.stringify({
      output_type: 'display_data',
      data: smallCellTable(2).data,
      metadata: {},
    }).replace('"data":{', `"data":{"__proto__":${JSON.stringify(hidden)},`);
    const nbFile = join(g.dir, 'proto.ipynb');
    const out = join(g.dir, 'proto-bundle.json');
    writeFileSync(
      nbFile,
      `{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[{"cell_type":"code","source":"t","metadata":{},"execution_count":1,"outputs":[${output}]}]}`,
    );
    const r = create(nbFile, out);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^privet export create: .*proto\.ipynb: holds a "__proto__" or "constructor\.prototype" key, which the gateway refuses\. Fix: remove that key/,
    );
    assert.ok(!r.stderr.includes(SSN), 'the file is not quoted');
    assert.equal(existsSync(out), false);
    // A constructor.prototype key too.
    writeFileSync(
      nbFile,
      `{"nbformat":4,"nbformat_minor":5,"metadata":{"constructor":{"prototype":{"x":"${SSN}"}}},"cells":[]}`,
    );
    const c = create(nbFile, out);
    assert.equal(c.code, 2, c.stderr);
    assert.match(c.stderr, /proto\.ipynb: holds a "__proto__" or "constructor\.prototype" key/);
    assert.equal(existsSync(out), false);
  });

  test('a notebook nested deeper than the gateway checks is refused as such, not as a "__proto__" key', () => {
    const nbFile = join(g.dir, 'deep.ipynb');
    const out = join(g.dir, 'deep-bundle.json');
    const deep = `${'['.repeat(5000)}"SSN ${SSN}"${']'.repeat(5000)}`;
    writeFileSync(
      nbFile,
      `{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[{"cell_type":"code","source":"t","metadata":{},"execution_count":1,"outputs":[{"output_type":"display_data","metadata":{},"data":{"application/json":${deep}}}]}]}`,
    );
    const r = create(nbFile, out);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /deep\.ipynb: nests arrays and objects more than 256 levels deep, which the gateway refuses\. Fix: /,
    );
    assert.ok(!r.stderr.includes('__proto__'), r.stderr);
    assert.ok(!r.stderr.includes(SSN), 'the file is not quoted');
    assert.equal(existsSync(out), false);
  });

  test('a file that is not JSON, or missing, is said plainly without quoting it', () => {
    const nbFile = join(g.dir, 'broken.ipynb');
    writeFileSync(nbFile, `{"cells": [{"source": "SSN ${SSN}"`);
    const r = create(nbFile, join(g.dir, 'broken-bundle.json'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken\.ipynb: is not valid JSON\. Fix: pass the \.ipynb file/);
    assert.ok(!r.stderr.includes(SSN));
    const missing = create(join(g.dir, 'missing.ipynb'), join(g.dir, 'missing-bundle.json'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing\.ipynb: does not exist\. Fix:/);
  });

  test('an unknown cell type is refused with the cell and the fix', async () => {
    const res = await g.call('POST', '/exports', 'ana', {
      experiment: EXPERIMENT,
      name: 'odd.ipynb',
      notebook: {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          { cell_type: 'markdown', source: 'a', metadata: {} },
          { cell_type: SSN, source: 'b', metadata: {} },
        ],
      },
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as ApiError;
    assert.match(body.error.message, /cell 1 of the notebook has a missing or unknown "cell_type"/);
    assert.ok(!JSON.stringify(body).includes(SSN));
    const nbFile = join(g.dir, 'odd.ipynb');
    writeFileSync(
      nbFile,
      JSON.stringify({ nbformat: 4, metadata: {}, cells: [{ cell_type: SSN, source: 'b' }] }),
    );
    const r = create(nbFile, join(g.dir, 'odd-bundle.json'));
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /cell 0 of the notebook has a missing or unknown "cell_type".*Fix: make cell 0/,
    );
    assert.ok(!r.stderr.includes(SSN));
  });

  test('through the real raw-value index, a raw name as kernel display name is dropped', async () => {
    const nb = plantedNotebook();
    (nb.metadata as { kernelspec: Record<string, string> }).kernelspec.display_name =
      `Python (${RAW_NAME})`;
    const res = await g.call('POST', '/exports', 'ana', {
      experiment: EXPERIMENT,
      name: 'kernel.ipynb',
      notebook: nb,
    });
    assert.equal(res.status, 201);
    const b = (await res.json()) as ExportBundle;
    assert.deepEqual(b.notebook.metadata, {});
    assert.deepEqual(b.manifest.withheldKernelNames, [RAW_VALUE_RULE]);
    assert.ok(!JSON.stringify(b).includes('Lindqvist'));
    assert.deepEqual((await verifyBundle(b, Buffer.from(b.publicKey, 'base64'))).problems, []);
    // A notebook that still held names under a manifest saying they were withheld is refused.
    const held = {
      ...b,
      notebook: { ...b.notebook, metadata: { kernelspec: { name: 'python3' } } },
    };
    const heldCheck = await verifyBundle(held, Buffer.from(b.publicKey, 'base64'));
    assert.ok(
      heldCheck.problems.includes(
        'the manifest says the kernel names were withheld, but the notebook holds them',
      ),
      heldCheck.problems.join('; '),
    );
    // A plain kernel name is kept.
    const plain = await g.call('POST', '/exports', 'ana', {
      experiment: EXPERIMENT,
      name: 'kernel.ipynb',
      notebook: plantedNotebook(),
    });
    const kept = (await plain.json()) as ExportBundle;
    assert.equal(kept.manifest.withheldKernelNames, undefined);
    assert.deepEqual(Object.keys(kept.notebook.metadata as object), [
      'kernelspec',
      'language_info',
    ]);
  });
});
