import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { ViewManifest } from '@privet/core';
import { parseRational } from '@privet/core/dp/rational';
import { rhoForEpsilonDelta } from '@privet/core/synth/budget';
import type { FidelityReport } from '@privet/core/synth/fidelity-types';
import { openDurableDb } from '../../../gateway/src/audit/sqlite.js';
import { checkLedgerConsistency } from '../../../gateway/src/ledger/index.js';
import {
  PUBLICATION_KEY,
  PublishError,
  publishViews,
  readManifest,
  viewFiles,
  viewsDir,
  type PublishProgress,
} from '../../../gateway/src/publish/index.js';
import { viewSeed, type SyntheticPrivacy } from '../../../gateway/src/publish/synthetic.js';
import { seedHash } from '@privet/core/synth/seeded-random';
import type { SyntheticView } from '@privet/core';
import { freshStateDir, writeFixedMasterKey } from '../publish/helpers.js';
import { staleDefinition } from '../../../gateway/src/http/views.js';
import { fixturePolicy, policyText, RARE_CITY, writeSource } from './fixture.js';

const VIEW = 'people_synth';

interface ChargeRow {
  status: string;
  epsilon: string;
  delta: string;
  user: string;
}

function charges(stateDir: string): ChargeRow[] {
  const db = openDurableDb(join(stateDir, 'privet.db'));
  try {
    return db
      .prepare<[string], ChargeRow>(
        'SELECT status, epsilon, delta, user FROM ledger_reservations WHERE experiment = ? ORDER BY reserved_at',
      )
      .all(PUBLICATION_KEY);
  } finally {
    db.close();
  }
}

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function publish(
  sourceDir: string,
  stateDir: string,
  text: string,
  onProgress?: (e: PublishProgress) => void,
) {
  return publishViews({
    policy: fixturePolicy(text),
    policyText: text,
    policyDir: sourceDir,
    stateDir,
    ...(onProgress ? { onProgress } : {}),
  });
}

describe('publishing synthetic views', () => {
  const sourceDir = writeSource();
  const states: string[] = [];
  const state = () => {
    const s = freshStateDir();
    states.push(s);
    return s;
  };
  const seeded = policyText({ publication: '2.5', seed: 'fixture-seed' });
  const stateA = state();
  const events: PublishProgress[] = [];
  let manifest: ViewManifest;
  let db: DuckDBInstance;
  before(async () => {
    const [result] = await publish(sourceDir, stateA, seeded, (e) => events.push(e));
    manifest = result!.manifest;
    db = await DuckDBInstance.create(':memory:');
  });
  after(() => {
    db.closeSync();
    for (const s of states) rmSync(s, { recursive: true, force: true });
    rmSync(sourceDir, { recursive: true, force: true });
  });
  const rows = async (sql: string) => {
    const c = await db.connect();
    try {
      return (await c.runAndReadAll(sql)).getRowObjectsJS();
    } finally {
      c.closeSync();
    }
  };

  test('writes Parquet, Arrow, manifest and fidelity report with the declared columns and types', async () => {
    const files = viewFiles(stateA, VIEW);
    for (const f of [files.parquet, files.arrow, files.manifest]) assert.ok(existsSync(f), f);
    assert.ok(existsSync(join(files.dir, 'fidelity.json')));
    assert.match(
      readFileSync(join(files.dir, 'fidelity.svg'), 'utf8'),
      /^<svg [^>]*>.*<\/svg>\n$/s,
    );
    assert.deepEqual(readManifest(stateA, VIEW), manifest);
    assert.equal(manifest.tier, 'synthetic');
    assert.equal(manifest.parquetHash, fileHash(files.parquet));
    const described = await rows(`DESCRIBE SELECT * FROM read_parquet('${files.parquet}')`);
    assert.deepEqual(
      described.map((r) => [r['column_name'], r['column_type']]),
      [
        ['sex', 'VARCHAR'],
        ['city', 'VARCHAR'],
        ['age', 'BIGINT'],
        ['income', 'DOUBLE'],
        ['joined', 'DATE'],
        ['smoker', 'BOOLEAN'],
      ],
    );
    const [stats] =
      await rows(`SELECT count(*)::INTEGER AS n, min(age)::INTEGER AS lo, max(age)::INTEGER AS hi,
        min(income) AS ilo, max(income) AS ihi, count(DISTINCT sex)::INTEGER AS sexes,
        min(year(joined))::INTEGER AS y0, max(year(joined))::INTEGER AS y1,
        count(*) FILTER (WHERE joined IS NULL)::INTEGER AS nulls
      FROM read_parquet('${files.parquet}')`);
    assert.equal(stats!['n'], manifest.rows);
    assert.ok(Math.abs(manifest.rows - 3000) < 200, `rows ${manifest.rows} near the DP estimate`);
    assert.ok(Number(stats!['nulls']) < Number(stats!['n']) / 10, 'the discovered years are used');
    assert.ok(Number(stats!['lo']) >= 18 && Number(stats!['hi']) <= 78, 'ages inside the bounds');
    assert.ok(Number(stats!['ilo']) >= 0 && Number(stats!['ihi']) <= 100000);
    assert.ok(
      Number(stats!['y0']) >= 2000 && Number(stats!['y1']) <= 2004,
      `only real years (synthetic years ${String(stats!['y0'])}–${String(stats!['y1'])}, ${String(stats!['nulls'])} of ${String(stats!['n'])} dates empty)`,
    );
    const sexes = await rows(
      `SELECT DISTINCT sex FROM read_parquet('${files.parquet}') ORDER BY 1`,
    );
    // Public categories plus the public catch-all label; never anything else.
    for (const r of sexes) assert.ok(['F', 'M', '(other)'].includes(String(r['sex'])));
  });

  test('manifest lists every measurement; shares sum to ≤ 1 and ρ spent ≤ ρ(ε, δ) exactly', () => {
    const p = manifest.privacy as unknown as SyntheticPrivacy;
    assert.equal(p.epsilon, 1);
    assert.equal(p.delta, 1e-7);
    assert.match(p.mechanism, /zCDP/);
    assert.match(p.seedHash, /^[0-9a-f]{64}$/);
    assert.equal(p.seedFrom, 'policy');
    assert.equal(p.budget.kind, 'publication');
    assert.match(manifest.sourceHash, /^[0-9a-f]{64}$/);
    assert.ok(!Number.isNaN(Date.parse(manifest.publishedAt)));
    const kinds = new Set(p.measurements.map((m) => m.kind));
    for (const k of ['domain', 'one-way', 'select', 'marginal']) assert.ok(kinds.has(k), k);
    // Domain discovery for the two columns without public categories: city and joined.
    assert.deepEqual(
      p.measurements.filter((m) => m.kind === 'domain').map((m) => m.attrs[0]),
      ['city', 'joined'],
    );
    const total = parseRational(p.rho.total);
    assert.ok(total.equals(rhoForEpsilonDelta(1, 1e-7 / 2)), 'half of δ converts, half thresholds');
    let sum = parseRational('0');
    for (const m of p.measurements) {
      assert.ok(m.share > 0 && m.share <= 1);
      sum = sum.add(parseRational(m.rho));
    }
    assert.ok(sum.equals(parseRational(p.rho.spent)));
    assert.ok(!sum.gt(total), 'spent ≤ total');
    assert.ok(p.measurements.reduce((a, m) => a + m.share, 0) <= 1 + 1e-12);
    const thresholdDelta = p.measurements.reduce((a, m) => a + (m.delta ?? 0), 0);
    assert.ok(thresholdDelta <= 1e-7 / 2 + 1e-20);
  });

  test('the publication budget is charged exactly once, and an unchanged view is not charged again', async () => {
    assert.deepEqual(
      charges(stateA).map((c) => [c.status, c.epsilon, c.delta]),
      [['committed', '1', '1/10000000']],
    );
    const again = await publish(sourceDir, stateA, seeded);
    assert.equal(again[0]?.unchanged, true);
    assert.equal(charges(stateA).length, 1);
    const db2 = openDurableDb(join(stateA, 'privet.db'));
    try {
      assert.deepEqual(checkLedgerConsistency(db2, fixturePolicy(seeded)), []);
    } finally {
      db2.close();
    }
  });

  test('the manifest holds a keyed source version, not the raw file’s SHA-256; an old plain one is re-keyed, not re-charged', async () => {
    const plain = fileHash(join(sourceDir, 'people.csv'));
    const keyed = readManifest(stateA, VIEW)!.sourceHash;
    assert.match(keyed, /^[0-9a-f]{64}$/);
    assert.notEqual(keyed, plain, 'analysts cannot confirm guesses of the raw file');
    // Another gateway (another master key) publishing the same file gets another version.
    const other = state();
    await publish(sourceDir, other, seeded);
    assert.notEqual(readManifest(other, VIEW)!.sourceHash, keyed);
    // A manifest written before versions were keyed holds the plain hash: the view is kept, no
    // new charge, and its manifest is rewritten with the keyed version.
    const path = viewFiles(stateA, VIEW).manifest;
    const old = JSON.parse(readFileSync(path, 'utf8')) as ViewManifest;
    writeFileSync(path, JSON.stringify({ ...old, sourceHash: plain }, null, 2) + '\n');
    const parquetBefore = fileHash(viewFiles(stateA, VIEW).parquet);
    const again = await publish(sourceDir, stateA, seeded);
    assert.equal(again[0]?.unchanged, true);
    assert.equal(charges(stateA).length, 1, 'not charged again');
    assert.equal(readManifest(stateA, VIEW)!.sourceHash, keyed, 're-keyed');
    assert.equal(fileHash(viewFiles(stateA, VIEW).parquet), parquetBefore, 'rows untouched');
  });

  test('a new privacy unit is a new input: the old view is refused, then rebuilt and charged', async () => {
    const stateU = state();
    await publish(sourceDir, stateU, seeded);
    const kept = readManifest(stateU, VIEW)!;
    assert.equal((kept.privacy as { privacyUnit?: string }).privacyUnit, 'person_id');
    // One row per city now: the rows read one per person would give each unit many rows. The
    // unit cannot be a column of a synthetic view, so city leaves the view.
    const byCity = seeded
      .replace('privacy_unit: person_id', 'privacy_unit: city')
      .replace('columns: [sex, city, age,', 'columns: [sex, age,');
    assert.notEqual(byCity, seeded);
    const policy = fixturePolicy(byCity);
    const view = policy.views[VIEW]!;
    assert.match(
      staleDefinition(policy, view, kept) ?? '',
      /made with one row per "person_id", and the policy's privacy unit is now "city"/,
    );
    const [again] = await publish(sourceDir, stateU, byCity);
    assert.ok(again && again.unchanged !== true, 'rebuilt, not kept');
    assert.equal(charges(stateU).length, 2, 'and charged');
    const rebuilt = readManifest(stateU, VIEW)!;
    assert.equal(staleDefinition(policy, view, rebuilt), undefined);
    assert.ok(rebuilt.rows < kept.rows / 10, `${rebuilt.rows} rows: about one per city`);
  });

  test('the manifest records each column’s source declaration; one from an older gateway is refused, then kept on publishing again with its record filled in, not charged', async () => {
    const stateD = state();
    await publish(sourceDir, stateD, seeded);
    const policy = fixturePolicy(seeded);
    const view = policy.views[VIEW]!;
    const published = readManifest(stateD, VIEW)!;
    const privacy = published.privacy as SyntheticPrivacy;
    assert.deepEqual(Object.keys(privacy.sourceDeclarations), [
      'sex',
      'city',
      'age',
      'income',
      'joined',
      'smoker',
    ]);
    assert.equal(staleDefinition(policy, view, published), undefined);
    // As an older gateway wrote it: no record of the declarations.
    const path = viewFiles(stateD, VIEW).manifest;
    const { sourceDeclarations: _, ...older } = privacy;
    writeFileSync(path, JSON.stringify({ ...published, privacy: older }, null, 2) + '\n');
    assert.match(
      staleDefinition(policy, view, readManifest(stateD, VIEW)!) ?? '',
      /published by an older gateway\); publish it again/,
    );
    const parquetBefore = fileHash(viewFiles(stateD, VIEW).parquet);
    const [again] = await publish(sourceDir, stateD, seeded);
    assert.equal(again?.unchanged, true, 'same inputs: kept');
    assert.equal(charges(stateD).length, 1, 'not charged again');
    assert.equal(fileHash(viewFiles(stateD, VIEW).parquet), parquetBefore, 'rows untouched');
    const refreshed = readManifest(stateD, VIEW)!;
    assert.deepEqual(
      (refreshed.privacy as SyntheticPrivacy).sourceDeclarations,
      privacy.sourceDeclarations,
    );
    assert.equal(staleDefinition(policy, view, refreshed), undefined);
  });

  test('a synthesis that fails after drawing noise is charged, not refunded (the failure is a DP outcome)', async () => {
    // 30 people, and income without bounds: no bucket of its DP bounds estimate clears the noise.
    const tinyDir = writeSource(30);
    const stateT = state();
    // A fixed master key, so the same noise every run: the bounds threshold lets an empty bucket
    // through now and then (about 1 run in 400 with a fresh key), and then the synthesis succeeds.
    writeFixedMasterKey(stateT);
    const text = seeded.replace(
      'income: { type: number, bounds: [0, 100000] }',
      'income: { type: number }',
    );
    assert.notEqual(text, seeded);
    try {
      await assert.rejects(publish(tinyDir, stateT, text), (err: Error) => {
        assert.match(err.message, /^view "people_synth": Column "income" has no declared bounds/);
        assert.match(err.message, /too few rows to estimate them privately/);
        assert.match(
          err.message,
          /its publication budget was charged, as the synthesis had drawn noise/,
        );
        assert.match(err.message, /Fix: declare bounds/);
        // Said once: the worker's cause and fix are carried as fields, not parsed from its text.
        assert.equal(err.message.match(/view "/g)?.length, 1, err.message);
        assert.equal(err.message.match(/Fix:/g)?.length, 1, err.message);
        return true;
      });
      assert.deepEqual(
        charges(stateT).map((c) => [c.status, c.epsilon]),
        [['committed', '1']],
        'charged: retrying with another seed must not buy fresh noise for free',
      );
    } finally {
      rmSync(tinyDir, { recursive: true, force: true });
    }
  });

  test('progress: reserve, synthesis stages, staged, charged, then swapped', () => {
    const steps = events.map((e) => (e.step === 'synthesize' ? `s:${e.stage}` : e.step));
    const at = (s: string) => steps.indexOf(s);
    for (const s of [
      'reserve',
      's:one-way',
      's:select',
      's:sample',
      's:fidelity',
      'staged',
      'charged',
      'swapped',
    ])
      assert.ok(at(s) >= 0, `missing ${s}`);
    assert.ok(at('reserve') < at('s:one-way'));
    assert.ok(at('s:fidelity') < at('staged'));
    // The row count (a noisy estimate without a declared `rows:`) is a DP outcome: it is shown
    // only once the charge has committed, never while a later failure would refund it.
    assert.ok(
      events.slice(0, at('charged')).every((e) => e.rows === undefined),
      'no row count before the charge',
    );
    assert.equal(typeof events[at('charged')]?.rows, 'number');
    assert.ok(
      at('charged') < at('swapped'),
      'the charge commits before the view is renamed into place',
    );
    for (const e of events)
      if (e.fraction !== undefined) assert.ok(e.fraction >= 0 && e.fraction <= 1);
  });

  test('same seed, data, policy and ε on one gateway → the same Parquet file; another key → other noise', async () => {
    const stateB = state();
    await publish(sourceDir, stateB, seeded);
    const first = fileHash(viewFiles(stateB, VIEW).parquet);
    rmSync(viewFiles(stateB, VIEW).dir, { recursive: true });
    await publish(sourceDir, stateB, seeded);
    assert.equal(fileHash(viewFiles(stateB, VIEW).parquet), first);
    // The policy seed alone is not the noise key: the gateway's master key is mixed in.
    assert.notEqual(fileHash(viewFiles(stateA, VIEW).parquet), first);
  });

  test('a policy seed is never the noise key alone, and a data change draws fresh noise', async () => {
    const view = {
      ...fixturePolicy(policyText({ publication: '5' })).views[VIEW],
      seed: 'release-1',
    } as SyntheticView;
    const key = new Uint8Array(32).fill(7);
    const a = viewSeed(VIEW, view, 'inputs', 'source-v1', key);
    assert.equal(a.from, 'policy');
    assert.notEqual(a.seed, 'release-1');
    assert.deepEqual(viewSeed(VIEW, view, 'inputs', 'source-v1', key), a, 'deterministic');
    assert.notEqual(viewSeed(VIEW, view, 'inputs', 'source-v2', key).seed, a.seed);
    assert.notEqual(viewSeed(VIEW, view, 'inputs', 'source-v1', new Uint8Array(32)).seed, a.seed);
    assert.notEqual(
      viewSeed(VIEW, { ...view, seed: 'release-2' }, 'inputs', 'source-v1', key).seed,
      a.seed,
    );
    // The manifest's hash can no longer confirm a guessed seed.
    assert.notEqual(await seedHash(a.seed), await seedHash('release-1'));
  });

  test('a value held by one person never appears', async () => {
    const hits = await rows(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${viewFiles(stateA, VIEW).parquet}') WHERE city = '${RARE_CITY}'`,
    );
    assert.equal(hits[0]!['n'], 0);
    const report = JSON.parse(
      readFileSync(join(viewFiles(stateA, VIEW).dir, 'fidelity.json'), 'utf8'),
    ) as FidelityReport;
    const labels = report.columns.find((c) => c.name === 'city')!.bars.map((b) => b.label);
    assert.ok(!labels.includes(RARE_CITY));
    assert.ok(
      !readFileSync(join(viewFiles(stateA, VIEW).dir, 'fidelity.svg'), 'utf8').includes(RARE_CITY),
    );
  });

  test('fidelity report: TVDs, per-column bars, correlations and utility for the target', () => {
    const report = JSON.parse(
      readFileSync(join(viewFiles(stateA, VIEW).dir, 'fidelity.json'), 'utf8'),
    ) as FidelityReport;
    assert.equal(report.realRows, 3000);
    assert.equal(report.syntheticRows, manifest.rows);
    assert.ok(report.tvd.oneWay > 0 && report.tvd.oneWay < 0.1);
    assert.ok(report.tvd.twoWay >= report.tvd.oneWay && report.tvd.twoWay < 0.2);
    assert.ok(report.tvd.threeWay >= report.tvd.twoWay && report.tvd.threeWay < 0.35);
    assert.equal(report.columns.length, 6);
    assert.equal(report.correlations.pairs.length, 15);
    assert.equal(report.utility?.target, 'smoker');
    const u = report.utility!;
    assert.ok(u.accuracySyntheticOnReal > 0.5 && u.accuracySyntheticOnReal <= 1);
    for (const c of report.columns) {
      const real = c.bars.reduce((a, b) => a + b.real, 0);
      assert.ok(Math.abs(real - 1) < 1e-9, `${c.name} bars cover every real row`);
    }
  });

  test('overspending the publication budget is refused: nothing written, nothing charged', async () => {
    const stateC = state();
    const text = policyText({ publication: '0.5', seed: 'fixture-seed' });
    await assert.rejects(publish(sourceDir, stateC, text), (err: unknown) => {
      assert.ok(err instanceof PublishError);
      assert.match(err.message, /needs ε=1 but only 0\.5 of the publication budget 0\.5/);
      assert.match(err.message, /nothing was written or charged/);
      return true;
    });
    assert.equal(readManifest(stateC, VIEW), undefined);
    assert.deepEqual(
      readdirSync(viewsDir(stateC)).filter((n) => !n.startsWith('.lock')),
      [],
    );
    assert.deepEqual(charges(stateC), []);
    const db = openDurableDb(join(stateC, 'privet.db'));
    try {
      const audited = db
        .prepare("SELECT subject, details FROM audit_log WHERE action = 'publish'")
        .all() as { subject: string; details: string }[];
      assert.deepEqual(
        audited.map((a) => [a.subject, (JSON.parse(a.details) as { step: string }).step]),
        [[VIEW, 'refused']],
      );
    } finally {
      db.close();
    }
  });

  test('a second publication that would overspend keeps the first version and its single charge', async () => {
    const stateD = state();
    await publish(sourceDir, stateD, policyText({ publication: '1.5', seed: 'a' }));
    const before = fileHash(viewFiles(stateD, VIEW).parquet);
    await assert.rejects(
      publish(sourceDir, stateD, policyText({ publication: '1.5', seed: 'b' })),
      /publishing needs ε=1 but only 0\.5/,
    );
    assert.equal(fileHash(viewFiles(stateD, VIEW).parquet), before);
    assert.deepEqual(
      charges(stateD).map((c) => c.status),
      ['committed'],
    );
  });

  test('a source without a publication budget publishes no synthetic view', async () => {
    const stateE = state();
    // The policy itself is refused (file:line), before anything is read or written.
    await assert.rejects(
      publish(sourceDir, stateE, policyText({ seed: 'x' })),
      /synth-fixture\.yaml:\d+:\d+: .*has no publication budget\. Fix: add a publication_budgets entry, e\.g\. - \{ source: people/,
    );
    assert.equal(readManifest(stateE, VIEW), undefined);
  });

  test('without a policy seed the seed is derived from the state key: rebuilds are identical', async () => {
    const stateF = state();
    const text = policyText({ publication: '5' });
    await publish(sourceDir, stateF, text);
    const first = fileHash(viewFiles(stateF, VIEW).parquet);
    const m = readManifest(stateF, VIEW)!;
    assert.equal((m.privacy as unknown as SyntheticPrivacy).seedFrom, 'derived');
    // Force a rebuild by removing the view: same key, inputs and data → same rows, so the second
    // reservation is refunded (publish-identical.test.ts covers that rule).
    rmSync(viewFiles(stateF, VIEW).dir, { recursive: true });
    await publish(sourceDir, stateF, text);
    assert.equal(fileHash(viewFiles(stateF, VIEW).parquet), first);
    assert.deepEqual(
      charges(stateF).map((c) => c.status),
      ['committed', 'refunded'],
    );
  });
});
