/**
 * State files written by several processes at once: a revocation is never undone by a token issued
 * concurrently (token writers queue on the state database's lock), and processes starting together
 * on a new state folder all read the one master key, none a half-written file, and all open the new
 * state database (its switch to WAL is retried, not refused as locked); a token change whose audit
 * entry fails is not written; a key's temp copy
 * left by a crash is cleaned up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyAuditDb } from '../../../gateway/src/audit/index.js';
import { loadOrCreateMasterKey } from '../../../gateway/src/keys.js';
import { matchToken, readTokenStore } from '../../../gateway/src/http/tokens.js';
import {
  issueTokensRecorded,
  revokeTokensRecorded,
  withStateRecords,
} from '../../../gateway/src/http/token-audit.js';

const CHILD = fileURLToPath(new URL('./writer-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface ChildOutput {
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** A started child: `printed(text)` resolves once its output holds `text`; `result`: its JSON line. */
function child(args: string[]): {
  printed: (text: string) => Promise<void>;
  result: Promise<ChildOutput>;
} {
  const p = spawn(
    process.execPath,
    ['--conditions=privet-source', '--import', 'tsx', CHILD, ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  const waiting: { text: string; resolve: () => void }[] = [];
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of waiting.filter((w) => out.includes(w.text))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  });
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const printed = (text: string) =>
    out.includes(text)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiting.push({ text, resolve }));
  const result = new Promise<ChildOutput>((resolve, reject) => {
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as ChildOutput);
      } catch {
        reject(new Error(`child exited ${code} without a result: ${err.slice(0, 2000)}`));
      }
    });
  });
  return { printed, result };
}

/**
 * Runs one child per argument list, releasing them together at each of `rounds` barriers: once
 * every child has printed `ready <round>`, the file `<go>-<round>` appears (renamed into place, so
 * never half written) and they go on.
 */
async function race(dir: string, argsList: string[][], rounds = 1): Promise<ChildOutput[]> {
  const go = `${dir}.go`;
  const kids = argsList.map((args) => child([...args, go, String(rounds)]));
  const results = Promise.all(kids.map((k) => k.result));
  try {
    for (let r = 0; r < rounds; r++) {
      await Promise.race([Promise.all(kids.map((k) => k.printed(`ready ${r}\n`))), results]);
      writeFileSync(`${go}.tmp`, 'go');
      renameSync(`${go}.tmp`, `${go}-${r}`);
    }
    return await results;
  } finally {
    for (let r = 0; r < rounds; r++) rmSync(`${go}-${r}`, { force: true });
  }
}

test(
  'a token revoked while another process issues tokens stays revoked',
  { timeout: 120_000 },
  async () => {
    const state = mkdtempSync(join(tmpdir(), 'privet-token-race-'));
    try {
      const [issuer, revoker] = await race(state, [
        ['issuer', state],
        ['revoker', state],
      ]);
      assert.deepEqual(issuer, { ok: true, value: 'done' });
      assert.deepEqual(revoker, { ok: true, value: { undone: 0 } });
      assert.deepEqual(
        readdirSync(state).filter((f) => f.startsWith('tokens.json')),
        ['tokens.json'],
        'no temp file left',
      );
      const verified = await verifyAuditDb(join(state, 'privet.db'));
      assert.equal(verified.ok, true, verified.message);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  },
);

test(
  'processes opening a new state database at once all open it',
  { timeout: 120_000 },
  async () => {
    // Freshly started processes (a first open is slow enough to overlap; the switch to WAL is what
    // collides): three rounds of four.
    for (let round = 0; round < 3; round++) {
      const state = mkdtempSync(join(tmpdir(), 'privet-db-race-'));
      try {
        const results = await race(
          state,
          Array.from({ length: 4 }, () => ['open-db', state]),
        );
        assert.deepEqual(results, Array(4).fill({ ok: true, value: 'opened' }));
      } finally {
        rmSync(state, { recursive: true, force: true });
      }
    }
  },
);

test(
  'processes creating the master key together all get the one key',
  { timeout: 120_000 },
  async () => {
    for (let round = 0; round < 3; round++) {
      const state = mkdtempSync(join(tmpdir(), 'privet-key-race-'));
      try {
        const results = await race(
          state,
          Array.from({ length: 5 }, () => ['master-key', state]),
        );
        for (const r of results) assert.equal(r.ok, true, r.error);
        const keys = new Set(results.map((r) => r.value));
        assert.equal(keys.size, 1, 'one key');
        assert.match(String([...keys][0]), /^[0-9a-f]{64}$/);
        assert.deepEqual(readdirSync(state), ['master.key'], 'no temp file left');
      } finally {
        rmSync(state, { recursive: true, force: true });
      }
    }
  },
);

test('temp copies a crash left next to a key are deleted at the next start; a fresh one is not', () => {
  const state = mkdtempSync(join(tmpdir(), 'privet-key-temps-'));
  try {
    const key = loadOrCreateMasterKey(state);
    const old = join(state, `master.key.${randomUUID()}.tmp`);
    const fresh = join(state, `master.key.${randomUUID()}.tmp`);
    const other = join(state, `tokens.json.${randomUUID()}.tmp`);
    for (const f of [old, fresh, other]) writeFileSync(f, key);
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(old, anHourAgo, anHourAgo);
    utimesSync(other, anHourAgo, anHourAgo);
    assert.deepEqual(loadOrCreateMasterKey(state), key);
    assert.equal(existsSync(old), false, 'the stale copy is gone');
    assert.equal(existsSync(fresh), true, 'a concurrent writer’s temp file is left alone');
    assert.equal(existsSync(other), true, 'another file’s temp is not this loader’s business');
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
});

test('a token change whose audit entry cannot be written leaves tokens.json as it was', () => {
  const state = mkdtempSync(join(tmpdir(), 'privet-token-audit-'));
  try {
    withStateRecords(state, (records) => {
      const first = issueTokensRecorded(records, 'cli', state, ['ana']).tokens.ana!;
      const before = readFileSync(join(state, 'tokens.json'), 'utf8');
      // The audit log refuses every new entry (as a full disk would).
      records.db.exec(
        "CREATE TRIGGER no_room BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk full'); END",
      );
      assert.throws(() => issueTokensRecorded(records, 'cli', state, ['ana', 'bob']), /disk full/);
      assert.throws(() => revokeTokensRecorded(records, 'cli', state, ['ana']), /disk full/);
      assert.equal(readFileSync(join(state, 'tokens.json'), 'utf8'), before, 'file unchanged');
      assert.equal(matchToken(readTokenStore(state), first)?.user, 'ana', 'the old token works');
    });
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
});
