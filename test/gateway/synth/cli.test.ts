import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRational } from '@privet/core/dp/rational';
import { rhoForEpsilonDelta } from '@privet/core/synth/budget';
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
      seed: 'cli-seed',
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
      !JSON.stringify(manifest).includes('cli-seed'),
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
