/**
 * A gateway starting on a state folder whose last publish was killed mid-batch finishes that batch
 * before serving: the staged version named by the batch journal goes live, and no journal, staging
 * or previous version is left. A journal it cannot read does not stop the gateway from serving what
 * is on disk. A publish requested while another process holds the publish lock is a 409.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import type { ApiError } from '@privet/core';
import { join } from 'node:path';
import { startGateway } from '../../../gateway/src/http/server.js';
import { viewsDir } from '../../../gateway/src/publish/index.js';
import { journalPath, writeJournal } from '../../../gateway/src/publish/journal.js';
import { acquirePublishLock } from '../../../gateway/src/publish/lock.js';
import { startTestGateway } from './fixture.js';

test('the gateway finishes an interrupted publish batch at start', async () => {
  const t = await startTestGateway();
  const stateDir = join(t.dir, 'state');
  try {
    await t.gateway.close();
    // The state a kill leaves just before the batch's first rename: staged copy and journal.
    const root = viewsDir(stateDir);
    const staged = join(root, '.tmp-people_masked-crash');
    cpSync(join(root, 'people_masked'), staged, { recursive: true });
    writeFileSync(join(staged, 'staged-marker'), 'the new version');
    writeJournal(root, [
      {
        view: 'people_masked',
        staged: '.tmp-people_masked-crash',
        old: '.old-people_masked-crash',
      },
    ]);

    const gateway = await startGateway({
      policyPath: join(t.dir, 'policy.yaml'),
      stateDir,
      port: 0,
    });
    try {
      assert.ok(
        existsSync(join(root, 'people_masked', 'staged-marker')),
        'the staged version is live',
      );
      assert.deepEqual(
        readdirSync(root).filter((n) => n.startsWith('.')),
        [],
        'no journal, staging, previous version or lock left',
      );
      const health = await fetch(`${gateway.url}/api/v1/health`);
      assert.equal(health.status, 200);
    } finally {
      await gateway.close();
    }
  } finally {
    rmSync(t.dir, { recursive: true, force: true });
  }
});

test('a batch journal that cannot be read is left for the steward; the gateway still starts', async () => {
  const t = await startTestGateway();
  const stateDir = join(t.dir, 'state');
  try {
    await t.gateway.close();
    const root = viewsDir(stateDir);
    writeFileSync(journalPath(root), '{ truncated');
    const old = new Date(Date.now() - 3_600_000);
    const leftovers = [`.lock-${randomUUID()}.tmp`, `.lock-stale-${randomUUID()}`];
    for (const name of leftovers) {
      writeFileSync(join(root, name), '{}');
      utimesSync(join(root, name), old, old);
    }
    const gateway = await startGateway({
      policyPath: join(t.dir, 'policy.yaml'),
      stateDir,
      port: 0,
    });
    try {
      assert.equal((await fetch(`${gateway.url}/api/v1/health`)).status, 200);
      assert.ok(existsSync(journalPath(root)), 'the journal is kept for the steward to look at');
    } finally {
      await gateway.close();
    }
    rmSync(journalPath(root));
    const again = await startGateway({ policyPath: join(t.dir, 'policy.yaml'), stateDir, port: 0 });
    await again.close();
    assert.deepEqual(
      readdirSync(root).filter((n) => n.startsWith('.')),
      [],
      'lock files a killed process left are swept',
    );
  } finally {
    rmSync(t.dir, { recursive: true, force: true });
  }
});

test('a publish while another process holds the publish lock is refused with 409', async () => {
  const t = await startTestGateway();
  try {
    const release = acquirePublishLock(join(t.dir, 'state'));
    try {
      const r = await t.call('POST', '/api/v1/publish', { token: t.gateway.tokens.stu! });
      assert.equal(r.status, 409, await r.clone().text());
      const { error } = (await r.json()) as ApiError;
      assert.match(error.message, /another publish is running/);
      assert.match(error.fix, /wait for it to finish/);
    } finally {
      release();
    }
  } finally {
    await t.stop();
  }
});
