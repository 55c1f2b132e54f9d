/**
 * The `privet` CLI never writes control sequences from people's text to the terminal: a title
 * stored before they were refused (inserted into the database directly here) is printed by
 * `privet experiment list` with its control characters escaped (`\u{1b}`), so it can neither
 * forge a line nor set the clipboard (OSC 52). New ones are refused at `privet experiment propose`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { loadPolicyFile } from '../../gateway/src/policy-file.js';
import { openServices } from '../../gateway/src/ledger/open.js';
import { AuditLog } from '../../gateway/src/audit/log.js';
import { recordHashSync } from '../../gateway/src/experiments/seal.js';
import { readExperiment } from '../../gateway/src/experiments/store.js';
import { privet } from './run-cli.js';

/** The exploit of the security review: erase the line, forge a row, set title and clipboard. */
const FORGED =
  'Income\u001b[2K\r\u001b[1Aexp-review\tapproved\tall good\u001b]0;owned\u0007\u001b]52;c;ZWNobyBvd25lZA==\u0007';
/**
 * What a terminal must never receive from people's text: C0 controls but the line feeds and tabs
 * the CLI lays out its output with (the exact output is checked too), DEL, C1 and bidi controls.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what this test does
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
let policy: string;
let state: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'privet-cli-ctl-'));
  policy = join(dir, 'policy.yaml');
  state = join(dir, 'state');
  mkdirSync(state);
  copyFileSync(fileURLToPath(new URL('../fixtures/http/policy.yaml', import.meta.url)), policy);
  // An experiment proposed as it is today, then given the forged title and a forged note the
  // way a record stored before the fix would hold them.
  const services = openServices({
    dbPath: join(state, 'privet.db'),
    policy: loadPolicyFile(policy).policy,
    stateDir: state,
  });
  try {
    services.experiments.propose(
      { user: 'ana', roles: ['analyst'] },
      {
        id: 'exp-old',
        title: 'Income by city',
        purpose: 'Compare incomes',
        dataCategories: ['income'],
        views: ['people_masked'],
        analyses: ['counts'],
        expectedOutputs: ['tables'],
      },
    );
  } finally {
    services.close();
  }
  const db = new Database(join(state, 'privet.db'));
  try {
    db.prepare('UPDATE experiments SET title = ?, purpose = ? WHERE id = ?').run(
      FORGED,
      `Compare\u009b2K\u202eincomes`,
      'exp-old',
    );
    // Sealed as the upgrade seals a record an older gateway stored (its title was never logged).
    const stored = readExperiment(db, 'exp-old')!.experiment;
    new AuditLog(db).append({
      actor: 'gateway',
      action: 'experiment.record-sealed',
      experiment: 'exp-old',
      details: {
        recordHash: recordHashSync(stored),
        basis: 'upgrade: row matches its audited entries',
      },
    });
  } finally {
    db.close();
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('privet experiment list', () => {
  test('prints a stored title holding escape sequences escaped, on its own single line', () => {
    const run = privet('experiment', 'list', '--policy', policy, '--state', state, '--user', 'stu');
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!RAW_CONTROL.test(run.stdout), JSON.stringify(run.stdout));
    assert.equal(
      run.stdout,
      'exp-old\tproposal\tIncome\\u{1b}[2K\\u{d}\\u{1b}[1Aexp-review\\u{9}approved\\u{9}all good' +
        '\\u{1b}]0;owned\\u{7}\\u{1b}]52;c;ZWNobyBvd25lZA==\\u{7}\n',
    );
  });
});

describe('privet experiment propose', () => {
  test('refuses a title with escape sequences, naming the field, without echoing it', () => {
    const run = privet(
      'experiment',
      'propose',
      '--policy',
      policy,
      '--state',
      state,
      '--user',
      'ana',
      '--title',
      FORGED,
      '--purpose',
      'Compare incomes',
      '--views',
      'people_masked',
    );
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /^privet: "title" holds a control character \(U\+001B, character 7\)/);
    assert.match(run.stderr, /Fix: remove control characters/);
    assert.ok(!RAW_CONTROL.test(run.stderr + run.stdout), JSON.stringify(run.stderr));
    assert.ok(!run.stderr.includes('owned'));
  });

  test('acting on an experiment with a stored forged title prints only its id and state', () => {
    const run = privet(
      'experiment',
      'approve',
      'exp-old',
      '--policy',
      policy,
      '--state',
      state,
      '--user',
      'stu',
      '--note',
      'ok',
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'exp-old: approved\n');
  });
});

describe('privet review check', () => {
  test('escapes control sequences in the output names a notebook chose', () => {
    const notebook = join(dir, 'named.ipynb');
    writeFileSync(
      notebook,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          {
            cell_type: 'code',
            source: 'print(x)',
            metadata: {},
            execution_count: 1,
            outputs: [
              {
                output_type: 'stream',
                name: 'std\u001b]52;c;ZWNobyBvd25lZA==\u0007\u009b2Kout',
                text: 'contact person1@example1.org\n',
              },
            ],
          },
        ],
      }),
    );
    const run = privet('review', 'check', notebook, '--policy', policy);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /stream\/std\\u\{1b\}\]52;c;ZWNobyBvd25lZA==\\u\{7\}\\u\{9b\}2Kout/);
    assert.ok(!RAW_CONTROL.test(run.stdout), JSON.stringify(run.stdout));
    // JSON.stringify escapes C0 controls but not C1 ones (U+009B is CSI in 8-bit terminals).
    const json = privet('review', 'check', notebook, '--policy', policy, '--json');
    assert.match(json.stdout, /\\u009b2Kout/);
    assert.ok(!RAW_CONTROL.test(json.stdout), JSON.stringify(json.stdout));
  });
});
