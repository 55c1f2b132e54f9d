// Publishing masked views is audited: one `publish` entry per view (who, which view, the Parquet
// file's hash and row counts, never a data value), written before the view is swapped in.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicyFile } from '../../../gateway/src/policy-file.js';
import { publishViews, readManifest, viewFiles } from '../../../gateway/src/publish/index.js';
import { httpPolicyFixture } from './helpers.js';
import { AuditLog } from '../../../gateway/src/audit/log.js';
import { openDurableDb } from '../../../gateway/src/audit/sqlite.js';
import type { AuditEntry, AuditInput } from '@privet/core/record/index';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('masked view publish audit', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  test('one publish entry per masked view, with its Parquet hash and rows; the chain verifies', async () => {
    const { dir, stateDir, policyPath } = httpPolicyFixture('audit');
    dirs.push(dir);
    const loaded = loadPolicyFile(policyPath);
    const results = await publishViews({
      policy: loaded.policy,
      policyText: loaded.text,
      policyDir: loaded.dir,
      stateDir,
      actor: 'stu',
    });
    assert.deepEqual(results.map((r) => r.view).sort(), ['people_later', 'people_masked']);
    const db = openDurableDb(join(stateDir, 'privet.db'));
    try {
      const audit = new AuditLog(db);
      const entries = audit.entries().filter((e) => e.action === 'publish');
      assert.deepEqual(entries.map((e) => e.subject).sort(), ['people_later', 'people_masked']);
      for (const e of entries) {
        const view = e.subject!;
        const manifest = readManifest(stateDir, view)!;
        assert.equal(e.actor, 'stu');
        assert.equal(e.details.step, 'published');
        assert.equal(e.details.tier, 'masked');
        assert.equal(e.details.parquetHash, sha256(viewFiles(stateDir, view).parquet));
        assert.equal(e.details.parquetHash, manifest.parquetHash);
        assert.equal(e.details.rows, 30);
        assert.equal(e.details.rows, manifest.rows);
        assert.equal(e.details.rowsSuppressed, manifest.rowsSuppressed);
        // Hashes and counts only: no value of the source appears in the entry.
        assert.doesNotMatch(JSON.stringify(e), /secret|example\.org|Lyon|Oslo|Pune|30000/);
      }
      const report = await audit.verify();
      assert.equal(report.ok, true, report.message);
      assert.equal(report.entries, audit.entries().length);
    } finally {
      db.close();
    }
  });

  test('each entry is written before its view is swapped in, on the records passed', async () => {
    const { dir, stateDir, policyPath } = httpPolicyFixture('audit');
    dirs.push(dir);
    const loaded = loadPolicyFile(policyPath);
    const db = openDurableDb(join(dir, 'records.db'));
    // Notes, as each entry is appended, whether its view is already in place (it must not be).
    const inPlaceWhenAudited: Record<string, boolean> = {};
    class SpyLog extends AuditLog {
      override append(input: AuditInput): AuditEntry {
        if (input.action === 'publish')
          inPlaceWhenAudited[input.subject!] = existsSync(
            viewFiles(stateDir, input.subject!).parquet,
          );
        return super.append(input);
      }
    }
    const audit = new SpyLog(db);
    try {
      await publishViews({
        policy: loaded.policy,
        policyText: loaded.text,
        policyDir: loaded.dir,
        stateDir,
        viewNames: ['people_masked'],
        records: { db, audit },
      });
      assert.deepEqual(inPlaceWhenAudited, { people_masked: false });
      assert.ok(existsSync(viewFiles(stateDir, 'people_masked').parquet), 'published afterwards');
      const [entry, ...rest] = audit.entries().filter((e) => e.action !== 'audit.keyed');
      assert.equal(rest.length, 0);
      assert.equal(entry?.actor, 'cli');
      assert.equal(entry?.subject, 'people_masked');
      assert.equal(
        entry?.details.parquetHash,
        sha256(viewFiles(stateDir, 'people_masked').parquet),
      );
      assert.equal((await audit.verify()).ok, true);
    } finally {
      db.close();
    }
  });
});
