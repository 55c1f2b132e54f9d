/**
 * Source CSV columns the policy does not declare are never loaded. Besides `privet publish`, the
 * steward is told so by `privet policy check` (every declared CSV source, a note at its columns key,
 * exit code unchanged), by `privet serve` once at start (the sources of every view, DP included)
 * and by a publish job over HTTP (its `notes`). Column names only: a value of such a column is never
 * printed or sent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { API_PREFIX, type PublishJob } from '@privet/core';
import { privet } from '../run-cli.js';
import { startTestGateway, writePeople, type TestGateway } from '../http/fixture.js';
import { jobSnapshots } from '../synth/gateway-fixture.js';

/** A value of an undeclared column: it must never be printed or sent. */
const SECRET = 'SECRET-UNDECLARED-5150';

/** What `privet serve` prints on stdout once it listens. */
const LISTENING = 'Privet gateway listening on';

const CLI = fileURLToPath(new URL('../../../gateway/src/cli.ts', import.meta.url));
const HTTP_POLICY = readFileSync(
  new URL('../../fixtures/http/policy.yaml', import.meta.url),
  'utf8',
);

/** The note `privet publish` prints for people.csv with the undeclared column `notes`. */
const PEOPLE_NOTE =
  'source `people`: 1 column in people.csv is not in the policy and is never loaded: `notes` — ' +
  'declare it under sources.people.columns to use it';

/** The note for visits.csv (read by a DP view only) with `diagnosis` and `ward` undeclared. */
const VISITS_NOTE =
  'source `visits`: 2 columns in visits.csv are not in the policy and are never loaded: ' +
  '`diagnosis`, `ward` — declare them under sources.visits.columns to use them';

/** The note for archive.csv, a source no view reads. */
const ARCHIVE_NOTE =
  'source `archive`: 1 column in archive.csv is not in the policy and is never loaded: `memo` — ' +
  'declare it under sources.archive.columns to use it';

/**
 * The HTTP fixture policy plus `visits` (read only by the DP view visits_dp) and `archive` (read by
 * no view), each a CSV source.
 */
const POLICY = HTTP_POLICY.replace(
  'views:\n',
  `  visits:
    path: visits.csv
    format: csv
    privacy_unit: person_id
    columns:
      person_id: { type: integer, identifier: true }
      cost: { type: integer, bounds: [0, 1000] }
  archive:
    path: archive.csv
    format: csv
    privacy_unit: person_id
    columns:
      person_id: { type: integer, identifier: true }
views:
  visits_dp:
    tier: dp
    source: visits
    columns: [cost]
    contribution: { max_rows_per_unit: 1, max_groups_per_unit: 1 }
`,
).replace(
  "  - { source: people, epsilon: '1.0', scope: experiment }\n",
  "  - { source: people, epsilon: '1.0', scope: experiment }\n" +
    "  - { source: visits, epsilon: '1.0', scope: experiment }\n",
);

/** Rewrites people.csv in `dir` with an undeclared `notes` column holding SECRET values. */
function addPeopleNotes(dir: string): void {
  const csv = join(dir, 'people.csv');
  const [header, ...rows] = readFileSync(csv, 'utf8').trimEnd().split('\n');
  const lines = [`${header},notes`, ...rows.map((r, i) => `${r},${SECRET}-${i}`)];
  writeFileSync(csv, lines.join('\n') + '\n');
}

/** A folder with the policy, people.csv (+ notes), visits.csv and archive.csv (+ undeclared). */
function writeFolder(): { dir: string; policyPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'privet-undeclared-notes-'));
  const policyPath = join(dir, 'policy.yaml');
  writeFileSync(policyPath, POLICY);
  writePeople(dir);
  addPeopleNotes(dir);
  const visits = Array.from({ length: 20 }, (_, i) => `${SECRET}-d${i},${1000 + i},${i * 7},w${i}`);
  writeFileSync(join(dir, 'visits.csv'), ['diagnosis,person_id,cost,ward', ...visits].join('\n'));
  writeFileSync(join(dir, 'archive.csv'), `person_id,memo\n1000,${SECRET}-memo\n`);
  return { dir, policyPath };
}

/** The 1-based line of `columns:` of sources.<source> in POLICY (where its note points). */
function columnsLine(source: string): number {
  const lines = POLICY.split('\n');
  const start = lines.indexOf(`  ${source}:`);
  return lines.indexOf('    columns:', start) + 1;
}

/**
 * Runs `privet serve ...args` until it prints the listening line (at most 60 s), then until
 * `complete(stderr)` holds or `graceMs` more pass; then stops it (SIGTERM, SIGKILL after 10 s).
 */
async function serveUntil(
  args: string[],
  complete: (stderr: string) => boolean,
  graceMs = 3000,
): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=privet-source', '--import', 'tsx', CLI, 'serve', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  let exitedNow = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exitedNow = true;
      resolve();
    }),
  );
  const startBy = Date.now() + 60_000;
  let listeningAt = 0;
  while (!exitedNow && Date.now() < startBy) {
    if (listeningAt === 0 && stdout.includes(LISTENING)) listeningAt = Date.now();
    if (listeningAt > 0 && (complete(stderr) || Date.now() - listeningAt > graceMs)) break;
    await sleep(50);
  }
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
  return { stdout, stderr };
}

describe('undeclared source columns beyond `privet publish`', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('policy check notes every declared CSV source at its columns key; exit code unchanged', () => {
    const { dir, policyPath } = writeFolder();
    dirs.push(dir);
    const r = privet('policy', 'check', policyPath);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /: ok \(3 sources, 4 views\)/);
    const notes = r.stderr.split('\n').filter((l) => l.includes('never loaded'));
    assert.deepEqual(notes, [
      `${policyPath}:${columnsLine('people')}:5: note: ${PEOPLE_NOTE}.`,
      `${policyPath}:${columnsLine('visits')}:5: note: ${VISITS_NOTE}.`,
      `${policyPath}:${columnsLine('archive')}:5: note: ${ARCHIVE_NOTE}.`,
    ]);
    assert.ok(!(r.stdout + r.stderr).includes(SECRET), 'no value of an undeclared column');

    // The same policy without the extra columns (and with a source file missing) exits the same.
    writePeople(dir);
    writeFileSync(join(dir, 'visits.csv'), 'person_id,cost\n1000,5\n');
    rmSync(join(dir, 'archive.csv'));
    const clean = privet('policy', 'check', policyPath);
    assert.equal(clean.code, r.code, clean.stderr);
    assert.doesNotMatch(clean.stderr, /never loaded/);
  });

  test('serve prints the notes once at start, DP-only sources included, unused ones not', async () => {
    const { dir, policyPath } = writeFolder();
    dirs.push(dir);
    const args = ['--policy', policyPath, '--state', join(dir, 'state'), '--port', '0'];
    const run = await serveUntil(
      args,
      (stderr) => stderr.includes(VISITS_NOTE) && stderr.includes(PEOPLE_NOTE),
    );
    assert.ok(run.stdout.includes(LISTENING), run.stdout + run.stderr);
    const notes = run.stderr.split('\n').filter((l) => l.includes('never loaded'));
    assert.deepEqual(notes.sort(), [`note: ${PEOPLE_NOTE}`, `note: ${VISITS_NOTE}`].sort());
    assert.ok(!(run.stdout + run.stderr).includes(SECRET), 'no value of an undeclared column');
  });
});

describe('a publish job over HTTP carries the notes', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await startTestGateway();
  });
  after(() => gw.stop());

  /** Starts a publish job as the steward and follows it to its end; every snapshot, the first first. */
  async function publishJob(): Promise<PublishJob[]> {
    const token = gw.gateway.tokens['stu']!;
    const started = await gw.call('POST', `${API_PREFIX}/publish/jobs`, { token });
    assert.equal(started.status, 202);
    const first = (await started.json()) as PublishJob;
    const rest = await jobSnapshots(
      async () =>
        (await (
          await gw.call('GET', `${API_PREFIX}/publish/jobs/${first.id}`, { token })
        ).json()) as PublishJob,
    );
    return [first, ...rest];
  }

  test('none without undeclared columns; with one, from the start to the end of the job', async () => {
    const clean = await publishJob();
    assert.equal(clean.at(-1)?.state, 'done', JSON.stringify(clean.at(-1)?.error));
    assert.ok(
      clean.every((job) => !('notes' in job)),
      JSON.stringify(clean),
    );

    addPeopleNotes(gw.dir);
    const seen = await publishJob();
    const last = seen.at(-1)!;
    assert.equal(last.state, 'done', JSON.stringify(last.error));
    for (const job of seen) assert.deepEqual(job.notes, [PEOPLE_NOTE]);
    assert.ok(!JSON.stringify(seen).includes(SECRET), 'no value of an undeclared column');
  });
});
