import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { PEOPLE } from './http/fixture.js';
import { privet } from './run-cli.js';

let dir: string;
let policy: string;
let state: string;
/** The DP release `privet query` printed (used by the review check with --state). */
let spentRelease: { releaseId: string } | undefined;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'privet-cli-'));
  policy = join(dir, 'policy.yaml');
  state = join(dir, 'state');
  copyFileSync(fileURLToPath(new URL('../fixtures/http/policy.yaml', import.meta.url)), policy);
  writeFileSync(
    join(dir, 'people.csv'),
    'person_id,email,city,income\n' +
      PEOPLE.map((p) => `${p.person_id},${p.email},${p.city},${p.income}`).join('\n') +
      '\n',
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A notebook with one code cell that printed `text` to stdout. */
const printingNotebook = (text: string) => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    {
      cell_type: 'code',
      source: 'print(x)',
      metadata: {},
      execution_count: 1,
      outputs: [{ output_type: 'stream', name: 'stdout', text }],
    },
  ],
});

/** `privet experiment list` as ana on a state folder. */
const listExperiments = (stateDir: string): ReturnType<typeof privet> =>
  privet('experiment', 'list', '--policy', policy, '--state', stateDir, '--user', 'ana');

describe('privet CLI', () => {
  test("synth: a short seed is refused; progress and a seeded run's warning go to stderr (the seed must stay secret); the JSON stays on stdout", () => {
    const input = join(dir, 'tiny.csv');
    const domain = join(dir, 'tiny-domain.json');
    const rows = Array.from({ length: 400 }, (_, i) => `${i % 3},${(i * 7) % 5}`);
    writeFileSync(input, 'a,b\n' + rows.join('\n') + '\n');
    writeFileSync(domain, JSON.stringify({ a: 3, b: 5 }));
    const args = [
      'synth',
      '--input',
      input,
      '--domain',
      domain,
      '--epsilon',
      '1',
      '--delta',
      '1e-9',
    ];
    const short = privet(...args, '--seed', 'guessable', '--out', join(dir, 'tiny-short.csv'));
    assert.equal(short.code, 1, short.stderr);
    assert.match(short.stderr, /--seed has 9 characters; .* Fix: pass a long random seed/);
    assert.doesNotMatch(short.stderr, /guessable/, 'the seed itself is never echoed');
    assert.ok(!existsSync(join(dir, 'tiny-short.csv')), 'nothing written');
    const seeded = privet(
      ...args,
      '--seed',
      'a-long-seed-kept-secret',
      '--out',
      join(dir, 'tiny-out.csv'),
    );
    assert.equal(seeded.code, 0, seeded.stderr);
    assert.match(seeded.stderr, /warning: --seed makes the noise reproducible.*stays secret/);
    assert.equal((JSON.parse(seeded.stdout) as { kind: string }).kind, 'privet-synthetic');
    const unseeded = privet(...args, '--out', join(dir, 'tiny-out2.csv'));
    assert.equal(unseeded.code, 0, unseeded.stderr);
    assert.doesNotMatch(unseeded.stderr, /warning/);
    // Progress on stderr: a bar on a terminal; here (a pipe) one plain line per stage.
    const stages = unseeded.stderr.split('\n').filter((l) => l.startsWith('  tiny.csv: '));
    assert.deepEqual(stages, [
      '  tiny.csv: one-way',
      '  tiny.csv: select',
      '  tiny.csv: estimate',
      '  tiny.csv: sample',
    ]);
  });

  test('policy check: ok, and file:line:col errors with exit 2', () => {
    assert.equal(privet('policy', 'check', policy).code, 0);
    // The demo's masked views publish the patient token with k-anonymity: the check says what k
    // does not cover.
    const demo = privet(
      'policy',
      'check',
      fileURLToPath(new URL('../../gateway/demo/policy.yaml', import.meta.url)),
    );
    assert.equal(demo.code, 0, demo.stderr);
    assert.match(
      demo.stderr,
      /policy\.yaml:71:5: note: view visits_masked: k = 5 holds for each row on its own: patient_id \(the privacy unit; join group "patient"\) links rows/,
    );
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'version: 1\nname: x\nsources: {}\nviews: {}\nusers: {}\nbudgets: []\ncolour: red\n',
    );
    const r = privet('policy', 'check', bad);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.yaml:\d+:\d+: .*Fix: /);
  });
  test('publish, experiment lifecycle, DP dry run and run, audit verify', () => {
    const pub = privet('publish', '--policy', policy, '--state', state, '--view', 'people_masked');
    assert.equal(pub.code, 0, pub.stderr);
    assert.match(pub.stdout, /published people_masked: 40 rows, 0 suppressed/);
    const proposed = privet(
      'experiment',
      'propose',
      '--policy',
      policy,
      '--state',
      state,
      '--user',
      'ana',
      '--id',
      'e1',
      '--title',
      'T',
      '--purpose',
      'P',
      '--views',
      'people_dp',
    );
    assert.equal(proposed.code, 0, proposed.stdout + proposed.stderr);
    const selfApprove = privet(
      'experiment',
      'approve',
      'e1',
      '--policy',
      policy,
      '--state',
      state,
      '--user',
      'ana',
    );
    assert.equal(selfApprove.code, 2);
    assert.match(selfApprove.stderr, /^privet: .*\. Fix: .*\[forbidden\]$/m);
    assert.equal(
      privet('experiment', 'approve', 'e1', '--policy', policy, '--state', state, '--user', 'stu')
        .code,
      0,
    );
    const sql = 'SELECT COUNT(*) AS n FROM people_dp';
    const dry = privet(
      'query',
      sql,
      '--policy',
      policy,
      '--state',
      state,
      '--experiment',
      'e1',
      '--user',
      'ana',
      '--epsilon',
      '0.5',
      '--dry-run',
    );
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    const priced = JSON.parse(dry.stdout) as {
      dryRun: boolean;
      budget: { cost: { epsilon: string }; affordable: boolean }[];
    };
    assert.equal(priced.dryRun, true);
    assert.equal(priced.budget[0]!.cost.epsilon, '1/2');
    const run = privet(
      'query',
      sql,
      '--policy',
      policy,
      '--state',
      state,
      '--experiment',
      'e1',
      '--user',
      'ana',
      '--epsilon',
      '0.5',
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const release = (JSON.parse(run.stdout) as { release: { releaseId: string } }).release;
    assert.match(release.releaseId, /^[0-9a-f]{32}$/);
    spentRelease = release;
    const over = privet(
      'query',
      sql,
      '--policy',
      policy,
      '--state',
      state,
      '--experiment',
      'e1',
      '--user',
      'ana',
      '--epsilon',
      '0.6',
    );
    assert.equal(over.code, 2);
    assert.match(over.stderr, /needs ε=0\.6.*\[budget_exhausted\]/);
    const refused = privet(
      'query',
      'SELECT * FROM people_dp',
      '--policy',
      policy,
      '--state',
      state,
      '--experiment',
      'e1',
      '--user',
      'ana',
      '--epsilon',
      '0.1',
    );
    assert.equal(refused.code, 2);
    assert.equal(refused.stdout, '', 'stdout keeps results only');
    assert.match(refused.stderr, /^privet: .*\. Fix: .*\[dp_refused\]$/m);
    const verify = privet('audit', 'verify', '--state', state);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /^OK /);
  });
  test('audit verify detects an edited entry', () => {
    const db = new Database(join(state, 'privet.db'));
    for (const t of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as {
      name: string;
    }[]) {
      db.exec(`DROP TRIGGER "${t.name}"`);
    }
    const cols = (db.prepare('PRAGMA table_info(audit_log)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    const target = cols.includes('actor')
      ? 'actor'
      : cols.find((c) => c !== 'seq' && c !== 'hash')!;
    db.prepare(
      `UPDATE audit_log SET ${target} = 'mallory' WHERE rowid = (SELECT min(rowid) FROM audit_log)`,
    ).run();
    db.close();
    const verify = privet('audit', 'verify', '--state', state);
    assert.equal(verify.code, 1);
    assert.match(verify.stdout, /^TAMPERED/);
  });
  test('review check: exit 0 for a clean notebook, non-zero for one printing an email', () => {
    const clean = join(dir, 'clean.ipynb');
    const leaky = join(dir, 'leaky.ipynb');
    writeFileSync(clean, JSON.stringify(printingNotebook('mean income 51234.5\n')));
    writeFileSync(leaky, JSON.stringify(printingNotebook('contact: jane.roe@example.com\n')));
    const passed = privet('review', 'check', clean, '--policy', policy);
    assert.equal(passed.code, 0);
    // Without the gateway's state, the check says what it could not do, and how to do it.
    assert.match(
      passed.stderr,
      /without --state, outputs are not checked for values from the raw identifier columns/,
    );
    assert.match(passed.stderr, /Fix: pass --state/);
    const r = privet('review', 'check', leaky, '--policy', policy, '--json');
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stdout, /jane\.roe@example\.com/);
    // A state folder without its policy would be checked against the demo policy's sources.
    const unpaired = privet('review', 'check', clean, '--state', state);
    assert.notEqual(unpaired.code, 0);
    assert.match(unpaired.stderr, /--state .* was given without --policy\. Fix: pass --policy/);
  });
  test('review check --state trusts DP releases committed in that ledger, and only those', () => {
    assert.ok(spentRelease, 'the query test above spends and prints a release');
    const withRelease = (release: unknown) => ({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        {
          cell_type: 'code',
          source: 'privet_release',
          metadata: {},
          execution_count: 1,
          outputs: [
            {
              output_type: 'display_data',
              data: { 'application/vnd.privet.dp-release+json': release },
              metadata: {},
            },
          ],
        },
      ],
    });
    const real = join(dir, 'release.ipynb');
    const forged = join(dir, 'forged.ipynb');
    writeFileSync(real, JSON.stringify(withRelease(spentRelease)));
    writeFileSync(
      forged,
      JSON.stringify(withRelease({ ...spentRelease, releaseId: 'f'.repeat(32) })),
    );
    const trusted = privet('review', 'check', real, '--policy', policy, '--state', state, '--json');
    assert.equal(trusted.code, 0, trusted.stdout + trusted.stderr);
    const untrusted = privet('review', 'check', real, '--policy', policy, '--json');
    assert.notEqual(untrusted.code, 0);
    assert.match(untrusted.stdout, /dp-provenance/);
    const fake = privet('review', 'check', forged, '--policy', policy, '--state', state, '--json');
    assert.notEqual(fake.code, 0);
    assert.match(fake.stdout, /dp-provenance/);
    // On the gateway host the raw-value index runs too: a real email is also a raw value.
    const rawNb = join(dir, 'raw.ipynb');
    const madeUpNb = join(dir, 'made-up.ipynb');
    writeFileSync(rawNb, JSON.stringify(printingNotebook(`owner ${PEOPLE[2]!.email}\n`)));
    writeFileSync(madeUpNb, JSON.stringify(printingNotebook('owner nobody-9q@example.net\n')));
    const rawRun = privet('review', 'check', rawNb, '--policy', policy, '--state', state, '--json');
    assert.notEqual(rawRun.code, 0);
    assert.match(rawRun.stdout, /"rule":"raw-value"/);
    assert.ok(!rawRun.stdout.includes(PEOPLE[2]!.email));
    const madeUp = privet(
      'review',
      'check',
      madeUpNb,
      '--policy',
      policy,
      '--state',
      state,
      '--json',
    );
    assert.match(madeUp.stdout, /"rule":"email"/);
    assert.doesNotMatch(madeUp.stdout, /raw-value/);
    const missing = privet(
      'review',
      'check',
      real,
      '--policy',
      policy,
      '--state',
      join(dir, 'nope'),
    );
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /no gateway state at .*Fix: pass the --state folder/);
  });

  test('demo generate and policy check refuse bad paths and values with what and how to fix', () => {
    const out = join(dir, 'demo-out');
    const bad = privet('demo', 'generate', '--out', out, '--patients', 'lots');
    assert.notEqual(bad.code, 0);
    assert.match(
      bad.stderr,
      /--patients "lots" is not a number of patients\. Fix: pass a whole number/,
    );
    const seed = privet('demo', 'generate', '--out', out, '--patients', '10', '--seed', '-1');
    assert.match(seed.stderr, /--seed "-1" is not a seed\. Fix:/);
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    const under = privet('demo', 'generate', '--out', join(file, 'x'), '--patients', '10');
    assert.notEqual(under.code, 0);
    assert.match(
      under.stderr,
      /cannot write the demo data to --out .*plain-file\/x \(ENOTDIR\)\. Fix:/,
    );
    const missing = privet('policy', 'check', join(dir, 'nope.yaml'));
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      /cannot read policy file .*nope\.yaml \(it does not exist\)\. Fix: name an existing policy YAML file/,
    );
    assert.doesNotMatch(missing.stderr, /--policy/, 'policy check takes the file as an argument');
  });

  test('token revoke removes the named users’ tokens and says who had none', () => {
    const issued = privet('token', 'issue', '--policy', policy, '--state', state, '--user', 'ana');
    assert.equal(issued.code, 0, issued.stderr);
    const r = privet('token', 'revoke', '--state', state, '--user', 'ana', 'ghost');
    // A mistyped name is a failure (exit 1), not a quiet success: that user's token still works.
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /revoked the tokens of ana/);
    assert.match(r.stderr, /no token to revoke for ghost in .*Fix: check the spelling/);
    const store = JSON.parse(readFileSync(join(state, 'tokens.json'), 'utf8')) as object;
    assert.equal(Object.hasOwn(store, 'ana'), false);
    // Both are on the record: who, for whom, until when; never a token value.
    const db = new Database(join(state, 'privet.db'), { readonly: true });
    const entries = db
      .prepare<[], { actor: string; action: string; details: string }>(
        "SELECT actor, action, details FROM audit_log WHERE action LIKE 'token.%' ORDER BY seq DESC LIMIT 2",
      )
      .all()
      .reverse();
    db.close();
    assert.deepEqual(
      entries.map((e) => [e.actor, e.action]),
      [
        ['cli', 'token.issued'],
        ['cli', 'token.revoked'],
      ],
    );
    const issuedDetails = JSON.parse(entries[0]!.details) as Record<string, unknown>;
    assert.deepEqual(issuedDetails.users, ['ana']);
    assert.equal(issuedDetails.reset, false);
    assert.match(String(issuedDetails.expiresAt), /^\d{4}-\d\d-\d\dT/);
    // With what the file holds afterwards: its SHA-256 and whose tokens (no token, no hash).
    const revokedDetails = JSON.parse(entries[1]!.details) as { users: string[]; file: object };
    assert.deepEqual(revokedDetails.users, ['ana']);
    assert.deepEqual(Object.keys(revokedDetails.file).sort(), ['holders', 'sha256']);
    const token = issued.stdout.split('\t')[1]!.trim();
    assert.ok(
      entries.every((e) => !e.details.includes(token)),
      'no token value in the log',
    );
  });

  test('a --state folder that does not exist is named, with the fix, and never created', () => {
    const missing = join(dir, 'no-such-state');
    const runs = [
      privet('experiment', 'list', '--policy', policy, '--state', missing, '--user', 'ana'),
      privet(
        'query',
        'SELECT 1',
        '--policy',
        policy,
        '--state',
        missing,
        '--experiment',
        'e1',
        '--user',
        'ana',
      ),
      privet('token', 'issue', '--policy', policy, '--state', missing, '--user', 'ana'),
    ];
    for (const r of runs) {
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.ok(
        r.stderr.includes(`the state folder ${missing} does not exist. Fix: pass --state`),
        r.stderr,
      );
      assert.match(r.stderr, /`npm start` uses \.privet\/demo/);
      assert.doesNotMatch(r.stderr, /Cannot open database/);
    }
    assert.match(runs[2]!.stderr, /for a new gateway, run `privet publish`/);
    assert.equal(existsSync(missing), false, 'not created');
    // An existing folder without a database: a read-only listing does not create one.
    const empty = join(dir, 'empty-state');
    mkdirSync(empty);
    const list = listExperiments(empty);
    assert.equal(list.code, 1);
    assert.match(list.stderr, /no gateway state at .*empty-state \(it has no privet\.db\)\. Fix: /);
    assert.deepEqual(readdirSync(empty), []);
  });

  test('audit verify: no database is exit 2 (not TAMPERED); a corrupt one is UNREADABLE, exit 1', () => {
    const missing = privet('audit', 'verify', '--state', join(dir, 'no-such-state'));
    assert.equal(missing.code, 2, missing.stdout + missing.stderr);
    assert.match(missing.stdout, /^NO DATABASE .*privet\.db\n/);
    assert.match(missing.stdout, /does not exist\. Fix: pass --state .*\.privet\/demo/);
    assert.doesNotMatch(missing.stdout, /TAMPERED/);
    const corrupt = join(dir, 'corrupt-state');
    mkdirSync(corrupt);
    writeFileSync(join(corrupt, 'privet.db'), 'not a database\n'.repeat(100));
    const bad = privet('audit', 'verify', '--state', corrupt);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /^UNREADABLE /);
    assert.match(
      bad.stdout,
      /corrupt-state\/privet\.db is unreadable.*Fix: restore the state database/,
    );
    const list = listExperiments(corrupt);
    assert.equal(list.code, 1);
    assert.ok(
      list.stderr.includes(`the gateway database ${join(corrupt, 'privet.db')} is unreadable`),
      list.stderr,
    );
    assert.match(list.stderr, /Fix: restore it from a backup/);
  });

  test('serve --port that is not 0..65535 is refused with the fix before anything starts', () => {
    for (const port of ['abc', '99999', '1.5', '-1']) {
      const r = privet(
        'serve',
        '--policy',
        policy,
        '--state',
        join(dir, 'port-state'),
        `--port=${port}`,
      );
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(
        r.stderr,
        /--port .* is not a port number\. Fix: pass a whole number from 0 to 65535/,
      );
      assert.doesNotMatch(r.stderr, /ERR_|RangeError|at /);
    }
    assert.equal(existsSync(join(dir, 'port-state')), false);
  });
});
