// Publish jobs: a failed job reports the publisher's error with its fix, and only the newest
// finished jobs are kept (a long-running gateway's memory stays bounded).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PublishJob } from '@privet/core';
import { PublishJobs } from '../../../gateway/src/publish/jobs.js';
import { demoPolicy } from '../demo/fixture.js';
import { jobSnapshots } from '../synth/gateway-fixture.js';

/** Polls a job until it is no longer running; the last snapshot. */
async function finished(jobs: PublishJobs, id: string): Promise<PublishJob> {
  const seen = await jobSnapshots(async () => {
    const job = jobs.get(id);
    assert.ok(job, `job ${id} is known while it runs`);
    return job;
  });
  return seen[seen.length - 1]!;
}

test('failed jobs carry the fix; only the newest finished jobs are kept', async () => {
  const policy = await demoPolicy();
  const stateDir = mkdtempSync(join(tmpdir(), 'privet-jobs-'));
  try {
    const jobs = new PublishJobs(() => new Date('2026-12-01T12:00:00Z'), 2);
    const options = { policy, policyText: '', policyDir: stateDir, stateDir };
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const job = await jobs.start({ ...options, viewNames: [`no_such_view_${i}`] }, 1);
      assert.equal(job.state, 'running');
      const done = await finished(jobs, job.id);
      assert.equal(done.state, 'failed');
      assert.match(done.error?.message ?? '', /no such view in the policy/);
      assert.match(done.error?.fix ?? '', /use one of .*patients_masked/);
      assert.equal(done.finishedAt, '2026-12-01T12:00:00.000Z');
      ids.push(job.id);
    }
    assert.deepEqual(
      ids.map((id) => jobs.get(id)?.state ?? 'forgotten'),
      ['forgotten', 'forgotten', 'failed', 'failed'],
    );
    assert.equal(jobs.busy(), false);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});
