/**
 * A source CSV column the policy does not declare is never loaded; `privet publish` and `--plan`
 * say so, per source, as a note: the column names (schema, never values), at most ten of them and
 * how many more, read from the header row alone. A file without a header row (no declared column in
 * its first row, which may hold data) gets no note, so no value is ever shown as a "name".
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs, { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { formatPlan, planFromState } from '../../../gateway/src/publish/plan-cli.js';
import {
  undeclaredColumns,
  undeclaredColumnsNote,
} from '../../../gateway/src/publish/undeclared-columns.js';
import { readCsvHeader } from '../../../gateway/src/store/csv-header.js';
import { privet } from '../run-cli.js';
import { fixturePolicy, policyText, writeSource } from '../synth/fixture.js';
import { freshStateDir } from './helpers.js';

/** A value of an undeclared column: it must never be printed. */
const SECRET = 'SECRET-NOTE-4711';

/** Rewrites people.csv in `dir` with `extra` undeclared columns after the declared ones. */
function addColumns(dir: string, extra: string[], value = (i: number) => `${SECRET}-${i}`): void {
  const csv = join(dir, 'people.csv');
  const [header, ...rows] = readFileSync(csv, 'utf8').trimEnd().split('\n');
  const lines = [
    [header, ...extra].join(','),
    ...rows.map((r, i) => [r, ...extra.map(() => value(i))].join(',')),
  ];
  writeFileSync(csv, lines.join('\n') + '\n');
}

describe('undeclared source columns', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const text = policyText({ publication: '3', seed: 'undeclared-seed' });
  const policy = fixturePolicy(text);

  test('publish and --plan note them by name, never by value', async () => {
    const sourceDir = writeSource();
    const stateDir = freshStateDir();
    dirs.push(sourceDir, stateDir);
    addColumns(sourceDir, ['fnlwgt', 'notes']);
    const expected =
      'note: source `people`: 2 columns in people.csv are not in the policy and are never loaded: ' +
      '`fnlwgt`, `notes` — declare them under sources.people.columns to use them';

    const report = await planFromState(policy, sourceDir, stateDir);
    assert.deepEqual(report.undeclared, [
      {
        source: 'people',
        path: 'people.csv',
        columns: [
          { name: 'fnlwgt', position: 8 },
          { name: 'notes', position: 9 },
        ],
      },
    ]);
    assert.ok(formatPlan(report).split('\n').includes(expected), formatPlan(report));

    const policyPath = join(sourceDir, 'policy.yaml');
    writeFileSync(policyPath, text);
    const plan = privet('publish', '--plan', '--policy', policyPath, '--state', stateDir);
    assert.equal(plan.code, 0, plan.stderr);
    assert.ok(plan.stdout.split('\n').includes(expected), plan.stdout);

    const published = privet('publish', '--policy', policyPath, '--state', stateDir);
    assert.equal(published.code, 0, published.stderr);
    assert.ok(published.stderr.split('\n').includes(expected), published.stderr);
    assert.match(published.stdout, /^published people_synth: /m);
    for (const out of [plan.stdout, plan.stderr, published.stdout, published.stderr])
      assert.ok(!out.includes(SECRET), 'no value of an undeclared column is printed');
  });

  test('a declared file without extra columns gets no note', async () => {
    const sourceDir = writeSource(50);
    dirs.push(sourceDir);
    assert.deepEqual(await undeclaredColumns(policy, sourceDir, ['people']), []);
    const report = await planFromState(policy, sourceDir, join(sourceDir, 'no-state'));
    assert.doesNotMatch(formatPlan(report), /never loaded/);
  });

  test('the list is capped at ten names, then how many more', async () => {
    const sourceDir = writeSource(20);
    dirs.push(sourceDir);
    const extra = Array.from({ length: 13 }, (_, i) => `extra_${i + 1}`);
    addColumns(sourceDir, extra);
    const [found] = await undeclaredColumns(policy, sourceDir, ['people']);
    assert.equal(found?.columns.length, 13);
    const note = undeclaredColumnsNote(found!);
    assert.ok(
      note.includes(
        `13 columns in people.csv are not in the policy and are never loaded: ${extra
          .slice(0, 10)
          .map((n) => `\`${n}\``)
          .join(', ')}, and 3 more — declare them`,
      ),
      note,
    );
    assert.ok(!note.includes('extra_11'), note);
  });

  test('one column: singular words; a name with control characters is escaped, a long one cut', async () => {
    const sourceDir = writeSource(20);
    dirs.push(sourceDir);
    addColumns(sourceDir, ['"bad\u001b[2Kname"']);
    const [one] = await undeclaredColumns(policy, sourceDir, ['people']);
    assert.equal(
      undeclaredColumnsNote(one!),
      'source `people`: 1 column in people.csv is not in the policy and is never loaded: ' +
        '`bad\\u{1b}[2Kname` — declare it under sources.people.columns to use it',
    );
    const long = 'x'.repeat(200);
    const note = undeclaredColumnsNote({
      source: 'people',
      path: 'people.csv',
      columns: [
        { name: long, position: 8 },
        { name: '', position: 9 },
      ],
    });
    assert.ok(note.includes(`\`${'x'.repeat(64)}…\`, (column 9, no name)`), note);
  });

  test('no header row: no note, so the first row (data) is never shown', async () => {
    const sourceDir = writeSource(20);
    dirs.push(sourceDir);
    const csv = join(sourceDir, 'people.csv');
    const rows = readFileSync(csv, 'utf8').split('\n').slice(1);
    writeFileSync(csv, rows.map((r) => (r ? `${r},${SECRET}` : r)).join('\n'));
    assert.deepEqual(await undeclaredColumns(policy, sourceDir, ['people']), []);
  });

  test('the header is read alone: quotes, another delimiter, a byte order mark, CR LF', () => {
    const sourceDir = writeSource(20);
    dirs.push(sourceDir);
    const path = join(sourceDir, 'semi.csv');
    writeFileSync(path, '\uFEFFperson_id;"a;""b""";age\r\n1;"x;y";30\r\n');
    assert.deepEqual(readCsvHeader(path, ['person_id', 'age']), ['person_id', 'a;"b"', 'age']);
    assert.equal(readCsvHeader(join(sourceDir, 'missing.csv'), ['age']), undefined);
  });

  test('only the first block of a large file is read', () => {
    const sourceDir = writeSource(3000);
    dirs.push(sourceDir);
    addColumns(sourceDir, ['notes']);
    const path = join(sourceDir, 'people.csv');
    const original = fs.readSync;
    let bytes = 0;
    fs.readSync = ((...args: Parameters<typeof fs.readSync>) => {
      const n = original(...args);
      bytes += n;
      return n;
    }) as typeof fs.readSync;
    syncBuiltinESMExports();
    try {
      assert.deepEqual(readCsvHeader(path, ['person_id']), [
        'person_id',
        'sex',
        'city',
        'age',
        'income',
        'joined',
        'smoker',
        'notes',
      ]);
    } finally {
      fs.readSync = original;
      syncBuiltinESMExports();
    }
    assert.ok(bytes > 0 && bytes <= 4096, `read ${bytes} bytes`);
    assert.ok(statSync(path).size > 100_000, 'the file is much larger than what was read');
  });
});
