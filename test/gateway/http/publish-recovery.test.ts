/**
 * A gateway starting on a state folder whose last publish was killed mid-batch finishes that batch
 * before serving: the staged version named by the batch journal goes live, and no journal, staging
 * or previous version is left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway } from '../../../gateway/src/http/server.js';
import { viewsDir } from '../../../gateway/src/publish/index.js';
import { writeJournal } from '../../../gateway/src/publish/journal.js';
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
