/**
 * The approvals an export filter is handed (ReviewStore.approvedIn) agree with the per-content
 * lookup the gateway used before (newestFor): only content whose newest request in the experiment
 * is approved counts, and only in that experiment.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDurableDb } from '../../../gateway/src/audit/sqlite.js';
import { ensureReviewSchema, type ReviewRow } from '../../../gateway/src/review/schema.js';
import { ReviewStore } from '../../../gateway/src/review/store.js';

test('approvedIn: the newest request per content decides, per experiment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'privet-approved-'));
  const db = openDurableDb(join(dir, 'privet.db'));
  try {
    ensureReviewSchema(db);
    const store = new ReviewStore(db);
    let n = 0;
    const add = (experiment: string, hash: string, state: ReviewRow['state'], at: string) =>
      store.insert(
        {
          id: `rv-${++n}`,
          experiment,
          requester: 'ana',
          state,
          content_hash: hash,
          verdict: 'flag',
          findings: '[]',
          redacted_preview: '',
          justification: 'j',
          context: '{}',
          created_at: at,
          updated_at: at,
          decided_by: null,
          decided_at: null,
        },
        '{}',
      );
    add('exp-a', 'h1', 'approved', '2026-12-01T10:00:00Z'); // rv-1: approved, newest
    add('exp-a', 'h2', 'approved', '2026-12-01T10:00:00Z'); // rv-2: approved, then asked again
    add('exp-a', 'h2', 'pending', '2026-12-01T11:00:00Z'); //  rv-3: newest, pending
    add('exp-a', 'h3', 'rejected', '2026-12-01T10:00:00Z'); // rv-4
    add('exp-a', 'h3', 'approved', '2026-12-01T12:00:00Z'); // rv-5: newest, approved
    add('exp-b', 'h4', 'approved', '2026-12-01T10:00:00Z'); // rv-6: another experiment
    const approved = store.approvedIn('exp-a');
    assert.deepEqual([...approved].sort(), [
      ['h1', 'rv-1'],
      ['h3', 'rv-5'],
    ]);
    for (const hash of ['h1', 'h2', 'h3', 'h4']) {
      const newest = store.newestFor('exp-a', hash);
      assert.equal(approved.get(hash), newest?.state === 'approved' ? newest.id : undefined, hash);
    }
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
