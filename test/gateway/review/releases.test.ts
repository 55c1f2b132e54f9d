/**
 * The release registry vouches for a DP release only by id AND content digest: a synthetic view's
 * publication charge (its reservation id is public in the view's manifest) vouches for nothing.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDurableDb } from '../../../gateway/src/audit/sqlite.js';
import { AuditLog } from '../../../gateway/src/audit/log.js';
import { PublicationLedger } from '../../../gateway/src/publish/charge.js';
import { loadPolicyFile } from '../../../gateway/src/policy-file.js';
import { ReleaseRegistry, releaseClaimsBody } from '../../../gateway/src/review/releases.js';

const dir = mkdtempSync(join(tmpdir(), 'privet-releases-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a committed synthetic-view publication is not a DP release, whatever digest is claimed', () => {
  const { policy } = loadPolicyFile(
    new URL('../../../gateway/demo/policy.yaml', import.meta.url).pathname,
  );
  const db = openDurableDb(join(dir, 'state.db'));
  try {
    const pub = new PublicationLedger(db, new AuditLog(db), policy);
    const [view, spec] = Object.entries(policy.views).find(([, v]) => v.tier === 'synthetic')!;
    const id = pub.reserve({
      view,
      source: spec.source,
      epsilon: 0.1,
      delta: 1e-9,
      rho: '0.001',
      actor: 'sam',
      planHash: 'plan',
    });
    pub.commit(id, view);
    const registry = new ReleaseRegistry(db);
    const committed = db
      .prepare<[], { release_id: string }>(
        "SELECT release_id FROM ledger_reservations WHERE status = 'committed'",
      )
      .all();
    assert.equal(committed.length, 1);
    const releaseId = committed[0]!.release_id;
    assert.equal(registry.has(releaseId, 'a'.repeat(64)), false);
    assert.equal(registry.hasContent(releaseId, '{}'), false);
    assert.deepEqual(registry.valid([{ id: releaseId, digest: 'b'.repeat(64) }]), []);
  } finally {
    db.close();
  }
});

test('verification requests name releases as { id, digest } claims', () => {
  const digest = 'c'.repeat(64);
  assert.deepEqual(releaseClaimsBody({ releases: [{ id: 'r1', digest, extra: 1 }] }), [
    { id: 'r1', digest },
  ]);
  for (const body of [
    { ids: ['r1'] },
    { releases: [{ id: 'r1' }] },
    { releases: [{ id: 'r1', digest: 'C'.repeat(64) }] },
    { releases: [{ id: '', digest }] },
    null,
  ])
    assert.throws(() => releaseClaimsBody(body), /"releases" must be a list/);
});
