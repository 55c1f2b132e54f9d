import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Policy } from '@privet/core';
import {
  publishViews,
  PublishError,
  readManifest,
  viewFiles,
  viewsDir,
} from '../../../gateway/src/publish/index.js';
import { recoverViews } from '../../../gateway/src/publish/layout.js';
import { adultPolicy, adultPolicyDir, freshStateDir } from './helpers.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Everything published in a state folder: view → [manifest text, parquet hash, arrow hash]. */
function snapshot(stateDir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const view of ['adult_masked', 'adult_codes']) {
    const f = viewFiles(stateDir, view);
    out[view] = [readFileSync(f.manifest, 'utf8'), sha256(f.parquet), sha256(f.arrow)];
  }
  return out;
}

function hidden(stateDir: string): string[] {
  return readdirSync(viewsDir(stateDir)).filter((n) => n.startsWith('.'));
}

describe('atomic publish', async () => {
  const policyDir = await adultPolicyDir();
  const { text, policy } = adultPolicy();
  const stateDir = freshStateDir();
  after(() => rmSync(stateDir, { recursive: true, force: true }));
  await publishViews({ policy, policyText: text, policyDir, stateDir });
  const before = snapshot(stateDir);

  async function failsAndKeepsOldVersion(broken: Policy, pattern: RegExp) {
    await assert.rejects(
      publishViews({ policy: broken, policyText: text, policyDir, stateDir }),
      (err: Error) => {
        assert.ok(err instanceof PublishError, String(err));
        assert.match(err.message, pattern);
        return true;
      },
    );
    assert.deepEqual(snapshot(stateDir), before, 'previous versions intact');
    assert.deepEqual(hidden(stateDir), [], 'no temporary folders left');
  }

  test('an invalid operator on a later view leaves every previous version intact', async () => {
    const broken = structuredClone(policy);
    const codes = broken.views['adult_codes'];
    assert.ok(codes?.tier === 'masked');
    codes.columns['occupation'] = { op: 'numeric_range', width: 0.0000001 };
    await failsAndKeepsOldVersion(
      broken,
      /view "adult_codes": cannot compile operator for column "occupation".*at most 6 decimals/,
    );
  });

  test('a column repeating an identifier refuses the batch (caught before writing)', async () => {
    const broken = structuredClone(policy);
    const codes = broken.views['adult_codes'];
    assert.ok(codes?.tier === 'masked');
    codes.columns['person_code'] = { op: 'prefix', keep: 32 };
    await failsAndKeepsOldVersion(
      broken,
      /view "adult_codes": column "person_code" \(prefix\(keep=32\)\) repeats the identifier "person_code" of source "adult" in 48842 rows/,
    );
  });

  /**
   * The policy with adult's person_code declared no identifier and kept, and a staff source (badge
   * codes that look like person codes) declared as `staff`: only the staff source's identifiers
   * can catch the kept codes.
   */
  function keptCodesBesideStaff(staff: Policy['sources'][string]): Policy {
    writeFileSync(join(policyDir, 'staff.csv'), 'staff_id,badge\n1,P1\n2,P2\n3,P3\n');
    const broken = structuredClone(policy);
    const adult = broken.sources['adult'];
    const codes = broken.views['adult_codes'];
    assert.ok(adult && codes?.tier === 'masked');
    adult.columns['person_code'] = { type: 'string' };
    codes.columns['person_code'] = { op: 'keep' };
    broken.sources['staff'] = staff;
    return broken;
  }
  const KEPT_STAFF_CODES =
    /view "adult_codes": 3 values of column "person_code" \(keep\) equal raw identifier values/;

  test('a raw identifier of another source, even one no view reads, refuses the batch', async () => {
    const broken = keptCodesBesideStaff({
      path: 'staff.csv',
      format: 'csv',
      privacy_unit: 'staff_id',
      columns: {
        staff_id: { type: 'integer', identifier: true },
        badge: { type: 'string', identifier: true },
      },
    });
    await failsAndKeepsOldVersion(broken, KEPT_STAFF_CODES);
  });

  test('a text privacy unit counts as an identifier even without the flag', async () => {
    // The staff source's unit is its badge code, declared without `identifier: true`: it names a
    // person as surely, so published values equal to it refuse the batch all the same.
    const broken = keptCodesBesideStaff({
      path: 'staff.csv',
      format: 'csv',
      privacy_unit: 'badge',
      columns: { staff_id: { type: 'integer' }, badge: { type: 'string' } },
    });
    await failsAndKeepsOldVersion(broken, KEPT_STAFF_CODES);
  });

  test('a new version replaces the old one completely', async () => {
    const changed = structuredClone(policy);
    const codes = changed.views['adult_codes'];
    assert.ok(codes?.tier === 'masked');
    codes.columns['person_code'] = { op: 'mask_chars', keep_last: 1 };
    const [, r] = await publishViews({
      policy: changed,
      policyText: text + '\n',
      policyDir,
      stateDir,
    });
    assert.equal(r?.view, 'adult_codes');
    assert.deepEqual(readManifest(stateDir, 'adult_codes'), r?.manifest);
    assert.equal(r?.manifest.columns[0]?.operator, 'mask_chars(keep_last=1)');
    assert.notEqual(snapshot(stateDir)['adult_codes']?.[1], before['adult_codes']?.[1]);
    assert.deepEqual(hidden(stateDir), []);
  });

  test('a crash between the two renames is repaired: the complete old version comes back', () => {
    const root = viewsDir(stateDir);
    const live = viewFiles(stateDir, 'adult_masked').dir;
    const manifest = readFileSync(viewFiles(stateDir, 'adult_masked').manifest, 'utf8');
    renameSync(live, join(root, '.old-adult_masked-deadbeef'));
    mkdirSync(join(root, '.tmp-adult_masked-half'));
    writeFileSync(join(root, '.tmp-adult_masked-half', 'data.parquet'), 'partial');
    assert.equal(readManifest(stateDir, 'adult_masked'), undefined);
    recoverViews(stateDir);
    assert.equal(readFileSync(viewFiles(stateDir, 'adult_masked').manifest, 'utf8'), manifest);
    assert.deepEqual(hidden(stateDir), []);
  });

  test('two publishes on one state folder cannot run at once', async () => {
    const first = publishViews({
      policy,
      policyText: text,
      policyDir,
      stateDir,
      viewNames: ['adult_codes'],
    });
    await assert.rejects(
      publishViews({ policy, policyText: text, policyDir, stateDir }),
      /another publish is running/,
    );
    await first;
    assert.deepEqual(hidden(stateDir), []);
  });
});
