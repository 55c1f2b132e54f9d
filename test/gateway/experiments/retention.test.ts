import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashExperimentRecord } from '@privet/core/record/index';
import { verifyAuditDb } from '../../../gateway/src/audit/index.js';
import { artefactDir } from '../../../gateway/src/experiments/index.js';
import { scheduleRetention } from '../../../gateway/src/experiments/retention.js';
import { startGateway } from '../../../gateway/src/http/server.js';
import { openServices } from '../../../gateway/src/ledger/index.js';
import { loadPolicyFile } from '../../../gateway/src/policy-file.js';
import { approvedExperiment, demoPolicy, makeEnv, who } from './fixture.js';

const DAY = 86_400_000;

function plant(stateDir: string, id: string): string {
  const dir = artefactDir(stateDir, id);
  mkdirSync(join(dir, 'exports'), { recursive: true });
  writeFileSync(join(dir, 'exports', 'table.csv'), 'y');
  return dir;
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('retention schedule', () => {
  test('runs at start and on its interval: purges due artefacts with an audit entry', async () => {
    const env = makeEnv(demoPolicy(undefined, 2));
    try {
      approvedExperiment(env, 'r1');
      const dir = plant(env.dir, 'r1');
      await env.experiments.dissolve(who(env.policy, 'alice'), 'r1');
      const options = {
        experiments: env.experiments,
        audit: env.audit,
        policy: env.policy,
        clock: () => new Date(env.now.t),
      };
      const schedule = scheduleRetention({ ...options, intervalMs: 1_000 });
      try {
        const first = await schedule.firstRun;
        assert.deepEqual(first?.artefacts, [], 'not due yet: kept for 2 days');
        assert.ok(existsSync(dir));
        env.now.t += 2 * DAY;
        assert.ok(await until(() => !existsSync(dir), 5_000), 'purged by an interval run');
      } finally {
        await schedule.stop();
      }
      const last = env.audit.entries({ experiment: 'r1', limit: 10_000 }).at(-1);
      assert.equal(last?.action, 'experiment.artefacts_deleted');
      assert.deepEqual(last?.details, {
        files: 1,
        reviewOutputs: 0,
        reviewPreviews: 0,
        reviewFindings: 0,
        reviewComments: 0,
        recordHash: await hashExperimentRecord(env.experiments.get(who(env.policy, 'sam'), 'r1')),
      });
    } finally {
      env.close();
    }
  });

  test('`privet serve` (startGateway) purges due artefacts and prunes the audit log at start', async () => {
    const root = mkdtempSync(join(tmpdir(), 'privet-retention-serve-'));
    try {
      const policyPath = join(root, 'policy.yaml');
      copyFileSync(
        fileURLToPath(new URL('../../fixtures/http/policy.yaml', import.meta.url)),
        policyPath,
      );
      writeFileSync(join(root, 'people.csv'), 'person_id,email,city,income\n1,a@b.org,Oslo,5\n');
      const stateDir = join(root, 'state');
      mkdirSync(stateDir);
      // A year ago: an experiment ran and was dissolved (artefacts kept 1 day, audit 30 days).
      const policy = loadPolicyFile(policyPath).policy;
      const past = Date.now() - 365 * DAY;
      const s = openServices({
        dbPath: join(stateDir, 'privet.db'),
        policy,
        stateDir,
        clock: () => new Date(past),
      });
      s.experiments.propose(
        { user: 'ana', roles: ['analyst'] },
        {
          id: 'old',
          title: 'Old study',
          purpose: 'Finished long ago',
          dataCategories: ['income'],
          views: ['people_dp'],
          analyses: ['counts'],
          expectedOutputs: ['tables'],
        },
      );
      s.experiments.approve({ user: 'stu', roles: ['steward'] }, 'old', 'ok');
      await s.experiments.dissolve({ user: 'stu', roles: ['steward'] }, 'old');
      const oldEntries = s.audit.head()?.seq ?? -1;
      s.close();
      const dir = plant(stateDir, 'old');

      const gateway = await startGateway({ policyPath, stateDir, port: 0 });
      try {
        assert.ok(await until(() => !existsSync(dir), 10_000), 'artefacts purged at start');
        // The folder goes first; the entry is appended once the deletion is reported back.
        const purgedEntry = () =>
          gateway.services.audit
            .entries({ limit: 10_000 })
            .find((e) => e.action === 'experiment.artefacts_deleted');
        assert.ok(await until(() => purgedEntry() !== undefined, 10_000), 'purge audited');
        assert.equal(purgedEntry()?.experiment, 'old');
        assert.ok(
          await until(
            () =>
              gateway.services.audit
                .entries({ limit: 10_000 })
                .some((e) => e.action === 'audit.pruned'),
            10_000,
          ),
          'audit entries older than 30 days pruned at start',
        );
        const kept = gateway.services.audit.entries({ limit: 10_000 });
        assert.ok(
          kept.every((e) => e.seq > oldEntries),
          'every year-old entry was pruned',
        );
      } finally {
        await gateway.close();
      }
      const v = await verifyAuditDb(join(stateDir, 'privet.db'));
      assert.equal(v.ok, true, v.message);
      // The experiment's last recorded hash was carried over the prune (its entries are gone).
      const after = openServices({ dbPath: join(stateDir, 'privet.db'), policy, stateDir });
      try {
        const carried = after.audit
          .entries({ experiment: 'old', limit: 10_000 })
          .filter((e) => e.action === 'experiment.record-sealed');
        assert.equal(carried.length, 0, 'the purge entry (kept) holds the last hash');
        assert.equal(after.experiments.get({ user: 'stu', roles: ['steward'] }, 'old').id, 'old');
      } finally {
        after.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
