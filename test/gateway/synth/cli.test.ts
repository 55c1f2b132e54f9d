import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import {
  copyFile,
  link,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseRational } from '@privet/core/dp/rational';
import { rhoForEpsilonDelta } from '@privet/core/synth/budget';
import { SynthError } from '@privet/core/synth/errors';
import {
  manifestPathFor,
  runSynthCommand,
  SEED_WARNING,
  type SynthManifest,
} from '../../../gateway/src/synth/cli.js';
import { parseDiscreteCsv, parseDomain } from '../../../gateway/src/synth/discrete-csv.js';
import { ADULT_DIR } from '../../adult-path.js';

const ADULT = ADULT_DIR;

describe('privet synth (runSynthCommand)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'privet-synth-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('writes OUT.csv and a manifest whose measurements sum to ≤ the budget; same seed → same CSV', async () => {
    // The first 8,000 Adult rows keep the test fast; the full table is exercised by the bench.
    const input = join(dir, 'adult-part.csv');
    const lines = (await readFile(`${ADULT}/adult.csv`, 'utf8')).split('\n');
    await writeFile(input, lines.slice(0, 8001).join('\n') + '\n');
    const out = join(dir, 'adult-synth.csv');
    const progress: string[] = [];
    const warnings: string[] = [];
    const opts = {
      input,
      domain: `${ADULT}/adult-domain.json`,
      epsilon: 1,
      delta: 1e-9,
      seed: 'cli-seed-kept-secret',
      rows: 5000,
      out,
      onProgress: (stage: string) => progress.push(stage),
      onWarning: (message: string) => warnings.push(message),
    };
    const manifest = await runSynthCommand(opts);
    const csv = await readFile(out, 'utf8');
    const onDisk = JSON.parse(await readFile(manifestPathFor(out), 'utf8')) as SynthManifest;
    assert.equal(manifestPathFor(out), join(dir, 'adult-synth.manifest.json'));
    assert.deepEqual(onDisk.measurements, manifest.measurements);
    const domain = parseDomain(await readFile(`${ADULT}/adult-domain.json`, 'utf8'), 'domain');
    const table = parseDiscreteCsv(csv, domain, 'out');
    assert.equal(table.rows, 5000);
    assert.equal(table.columns.length, 14);
    const sum = manifest.measurements.reduce(
      (s, m) => s.add(parseRational(m.rho)),
      parseRational(0),
    );
    assert.ok(sum.equals(parseRational(manifest.rho.spent)));
    assert.ok(sum.lte(rhoForEpsilonDelta(1, 1e-9)));
    assert.ok(
      Math.abs(
        manifest.measurements.reduce((s, m) => s + m.share, 0) -
          sum.div(parseRational(manifest.rho.total)).toNumber(),
      ) < 1e-9,
    );
    assert.ok(
      manifest.rho.epsilonAtDelta <= 1 && manifest.rho.epsilonAtDelta > 0.99,
      `ε ${manifest.rho.epsilonAtDelta}`,
    );
    assert.match(manifest.seedHash ?? '', /^[0-9a-f]{64}$/);
    assert.ok(
      !JSON.stringify(manifest).includes('cli-seed-kept-secret'),
      'the seed itself is not in the manifest',
    );
    assert.ok(progress.includes('sample'));
    assert.deepEqual(warnings, [SEED_WARNING], 'a seeded run says the seed must stay secret');
    // No plain hash of the raw input travels with the synthetic rows.
    const inputHash = createHash('sha256')
      .update(await readFile(input, 'utf8'))
      .digest('hex');
    assert.ok(!JSON.stringify(onDisk).includes(inputHash), 'no SHA-256 of the raw input');
    assert.deepEqual(Object.keys(onDisk.source).sort(), ['domainSha256', 'file']);
    const again = join(dir, 'again.csv');
    await runSynthCommand({ ...opts, out: again });
    assert.equal(await readFile(again, 'utf8'), csv);
  });

  test('bad input fails closed naming the line and column, never the value', async () => {
    const input = join(dir, 'bad.csv');
    const domain = join(dir, 'bad-domain.json');
    await writeFile(domain, JSON.stringify({ a: 3, b: 2 }));
    await writeFile(input, 'a,b\n0,1\n7,0\n');
    await assert.rejects(
      runSynthCommand({ input, domain, epsilon: 1, delta: 1e-9, out: join(dir, 'x.csv') }),
      (e: unknown) =>
        e instanceof Error &&
        /line 3/.test(e.message) &&
        /"a"/.test(e.message) &&
        !/\b7\b/.test(e.message),
    );
    await writeFile(input, 'a,c\n0,1\n');
    await assert.rejects(
      runSynthCommand({ input, domain, epsilon: 1, delta: 1e-9, out: join(dir, 'x.csv') }),
      /not in the domain/,
    );
    // An empty domain is said to be one, not reported as a missing header.
    assert.throws(() => parseDomain('{}', 'empty.json'), /empty\.json names no columns/);
    await writeFile(input, 'a,b\n0,1\n');
    await assert.rejects(
      runSynthCommand({ input, domain, epsilon: 0, delta: 1e-9, out: join(dir, 'x.csv') }),
      /epsilon/,
    );
  });

  test('a missing file or output folder is refused by option and path before any work', async () => {
    const domain = join(dir, 'ok-domain.json');
    const input = join(dir, 'ok.csv');
    await writeFile(domain, JSON.stringify({ a: 3, b: 2 }));
    await writeFile(input, 'a,b\n0,1\n2,0\n');
    const progress: string[] = [];
    const run = (o: { input?: string; domain?: string; out?: string }) =>
      runSynthCommand({
        input: o.input ?? input,
        domain: o.domain ?? domain,
        epsilon: 1,
        delta: 1e-9,
        out: o.out ?? join(dir, 'ok-out.csv'),
        onProgress: (stage) => progress.push(stage),
      });
    const refused = (what: RegExp) => (e: unknown) => e instanceof Error && what.test(e.message);
    await assert.rejects(
      run({ input: join(dir, 'missing.csv') }),
      (e: unknown) =>
        e instanceof Error &&
        e.message ===
          `--input ${join(dir, 'missing.csv')} does not exist. Fix: check the --input path`,
    );
    await assert.rejects(
      run({ domain: dir }),
      refused(/^--domain .* is a folder, not a file\. Fix: check the --domain path$/),
    );
    const out = join(dir, 'no-such-folder', 'out.csv');
    await assert.rejects(
      run({ out }),
      refused(/^The folder of --out .*no-such-folder\) does not exist\. Fix: create the folder/),
    );
    assert.deepEqual(progress, [], 'refused before synthesis started');
  });
});

describe('privet synth: outputs that would destroy data, and malformed inputs', () => {
  let dir: string;
  let input: string;
  let domain: string;
  const rowsText = Array.from({ length: 300 }, (_, i) => `${i % 3},${(i * 7) % 2}`).join('\n');
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'privet-synth-out-'));
    input = join(dir, 'raw.csv');
    domain = join(dir, 'domain.json');
    await writeFile(input, `a,b\n${rowsText}\n`);
    await writeFile(domain, JSON.stringify({ a: 3, b: 2 }));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const options = (out: string, extra: Partial<Parameters<typeof runSynthCommand>[0]> = {}) => ({
    input,
    domain,
    epsilon: 1,
    delta: 1e-9,
    seed: 'out-tests-seed-0001',
    out,
    ...extra,
  });
  const refusedWith =
    (code: string, what: RegExp, not?: RegExp) =>
    (e: unknown): boolean => {
      assert.ok(e instanceof SynthError, String(e));
      assert.equal(e.code, code, e.message);
      assert.match(e.message, what);
      assert.match(e.message, /\. Fix: /);
      if (not) assert.doesNotMatch(e.message, not);
      return true;
    };

  test('--out naming the input or the domain file (any spelling, symlink, hard link) is refused before any work', async () => {
    const before = await readFile(input, 'utf8');
    const domainBefore = await readFile(domain, 'utf8');
    await symlink(input, join(dir, 'link.csv'));
    await link(input, join(dir, 'hard.csv'));
    await mkdir(join(dir, 'sub'));
    // The manifest of `domain.csv` is `domain.manifest.json`: the domain file under that name.
    await copyFile(domain, join(dir, 'dom.manifest.json'));
    const progress: string[] = [];
    const onProgress = (stage: string) => progress.push(stage);
    for (const out of [
      input,
      join(dir, 'sub', '..', 'raw.csv'),
      relative(process.cwd(), input),
      join(dir, 'link.csv'),
      join(dir, 'hard.csv'),
    ]) {
      await assert.rejects(
        runSynthCommand(options(out, { onProgress })),
        refusedWith('cli.out-is-input', /is the --input file .*overwrite/),
      );
    }
    await assert.rejects(
      runSynthCommand(options(domain, { onProgress })),
      refusedWith('cli.out-is-input', /^--out .* is the --domain file/),
    );
    await assert.rejects(
      runSynthCommand(options(join(dir, 'dom.csv'), { domain: join(dir, 'dom.manifest.json') })),
      refusedWith(
        'cli.out-is-input',
        /^the manifest path .*dom\.manifest\.json .* is the --domain/,
      ),
    );
    assert.deepEqual(progress, [], 'refused before synthesis started');
    assert.equal(await readFile(input, 'utf8'), before, 'the raw input is untouched');
    assert.equal(await readFile(domain, 'utf8'), domainBefore);
  });

  test('--out or its manifest path being a folder is refused up front; no temp file is left', async () => {
    await mkdir(join(dir, 'isdir.csv'));
    await mkdir(join(dir, 'mdir.manifest.json'));
    const progress: string[] = [];
    const onProgress = (stage: string) => progress.push(stage);
    await assert.rejects(
      runSynthCommand(options(join(dir, 'isdir.csv'), { onProgress })),
      refusedWith('cli.out-is-folder', /^--out .*isdir\.csv is a folder, not a file/, /EISDIR/),
    );
    await assert.rejects(
      runSynthCommand(options(join(dir, 'mdir.csv'), { onProgress })),
      refusedWith('cli.out-is-folder', /^the manifest path .*mdir\.manifest\.json .* is a folder/),
    );
    assert.deepEqual(progress, []);
    assert.deepEqual(
      (await readdir(dir)).filter((n) => n.includes('.tmp')),
      [],
    );
  });

  test('a failure while writing leaves the previous CSV and manifest as they were, and no temp file', async () => {
    const out = join(dir, 'prev.csv');
    const manifest = manifestPathFor(out);
    await runSynthCommand(options(out));
    const [oldCsv, oldManifest] = [await readFile(out, 'utf8'), await readFile(manifest, 'utf8')];
    const filesBefore = (await readdir(dir)).sort();
    // Something takes the path between the up-front checks and the commit: the manifest (renamed
    // first) cannot be written, so the CSV must not be replaced either.
    const blockManifest = join(dir, 'blocked.csv');
    const blockedManifest = manifestPathFor(blockManifest);
    await writeFile(blockManifest, oldCsv);
    await assert.rejects(
      runSynthCommand(
        options(blockManifest, {
          seed: 'another-seed-000001',
          onProgress: (stage) => {
            if (stage === 'sample') mkdirSync(blockedManifest);
          },
        }),
      ),
      refusedWith(
        'cli.write-failed',
        /a folder is in the way.*neither file was replaced/,
        /EISDIR/,
      ),
    );
    assert.equal(await readFile(blockManifest, 'utf8'), oldCsv, 'the CSV was not replaced');
    rmdirSync(blockedManifest);
    // The CSV (renamed last) cannot be replaced: the manifest already moved is put back.
    await assert.rejects(
      runSynthCommand(
        options(out, {
          seed: 'another-seed-000001',
          onProgress: (stage) => {
            if (stage === 'sample') {
              rmSync(out);
              mkdirSync(out);
            }
          },
        }),
      ),
      refusedWith('cli.write-failed', /neither file was replaced/),
    );
    assert.equal(await readFile(manifest, 'utf8'), oldManifest, 'the previous manifest is back');
    rmdirSync(out);
    assert.deepEqual(
      (await readdir(dir)).filter((n) => !filesBefore.includes(n) && n !== 'blocked.csv'),
      [],
      'no temp or backup file is left',
    );
  });

  test('a CSV without a header row is refused without echoing its first row', async () => {
    const noHeader = join(dir, 'noheader.csv');
    await writeFile(noHeader, `2,1\n${rowsText}\n`);
    await assert.rejects(
      runSynthCommand(options(join(dir, 'o.csv'), { input: noHeader })),
      refusedWith(
        'input.no-header',
        /noheader\.csv: .*seems to have no header row\. Fix: add a header row naming the columns: "a", "b"$/,
        /"2"|"1"/,
      ),
    );
    // Parsed directly too: the first line's cells never appear, whatever they hold.
    const domainMap = parseDomain(JSON.stringify({ age: 90, zip: 99999 }), 'd.json');
    assert.throws(
      () => parseDiscreteCsv('Alice Smith,12345\n1,2\n', domainMap, 'people.csv'),
      (e: unknown) =>
        e instanceof SynthError &&
        e.code === 'input.no-header' &&
        !/Alice|12345/.test(e.message) &&
        /"age", "zip"/.test(e.message),
    );
  });

  test('header problems name the file and only cells that are header names', () => {
    const domainMap = parseDomain(JSON.stringify({ a: 3, b: 2, c: 2 }), 'd.json');
    assert.throws(
      () => parseDiscreteCsv('a,b,c,a\n0,1,1,0\n', domainMap, 'dup.csv'),
      refusedWith('input.duplicate-column', /^dup\.csv: column "a" appears twice/),
    );
    assert.throws(
      () => parseDiscreteCsv('a,b,c,d\n0,1,1,0\n', domainMap, 'extra.csv'),
      refusedWith('input.unknown-column', /^extra\.csv: header column "d" is not in the domain/),
    );
    assert.throws(
      () => parseDiscreteCsv('a,b\n0,1\n', domainMap, 'short.csv'),
      refusedWith('input.missing-column', /^short\.csv: domain column "c" is missing/),
    );
    // A byte-order mark is not part of the first column's name.
    assert.equal(parseDiscreteCsv('\uFEFFa,b,c\n0,1,1\n', domainMap, 'bom.csv').rows, 1);
  });

  test('a header-only CSV (no data rows) is refused, not synthesized from nothing', async () => {
    const headerOnly = join(dir, 'header-only.csv');
    await writeFile(headerOnly, 'a,b\n\n');
    const progress: string[] = [];
    await assert.rejects(
      runSynthCommand(
        options(join(dir, 'ho.csv'), {
          input: headerOnly,
          rows: 10,
          onProgress: (s) => progress.push(s),
        }),
      ),
      refusedWith('input.no-rows', /header-only\.csv has a header row but no data rows/),
    );
    assert.deepEqual(progress, []);
    await assert.rejects(readFile(join(dir, 'ho.csv')), /ENOENT/, 'nothing written');
  });
});
