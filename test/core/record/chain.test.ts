import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  GENESIS_HASH,
  canonicalJson,
  hashEntry,
  verifyChain,
  type AuditAction,
  type AuditEntry,
  type JsonValue,
} from '@privet/core/record/index';

async function chain(n: number): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  const actions: AuditAction[] = [
    'view.access',
    'query.reserved',
    'release',
    'experiment.approved',
  ];
  for (let i = 0; i < n; i++) {
    const body = {
      seq: i,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      actor: i % 2 === 0 ? 'alice' : 'sam',
      action: actions[i % actions.length] as AuditAction,
      experiment: 'exp1',
      subject: `thing-${i}`,
      details: { n: i, eps: '1/10', nested: { b: [1, 'x', null], a: true } },
      prevHash: i === 0 ? GENESIS_HASH : (out[i - 1] as AuditEntry).hash,
    };
    out.push({ ...body, hash: await hashEntry(body) });
  }
  return out;
}

/** Re-hashes entries from `from` on, as an attacker who rewrites the rest of the chain would. */
async function rehash(entries: AuditEntry[], from: number): Promise<AuditEntry[]> {
  const out = entries.map((e) => ({ ...e }));
  for (let i = from; i < out.length; i++) {
    const e = out[i] as AuditEntry;
    e.prevHash = i === 0 ? GENESIS_HASH : (out[i - 1] as AuditEntry).hash;
    e.hash = await hashEntry(e);
  }
  return out;
}

describe('canonicalJson', () => {
  test('is independent of key order and has no whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: [true, null, 'x'] }), '{"a":[true,null,"x"],"b":1}');
    assert.equal(canonicalJson({ z: { y: 1, x: 2 } }), canonicalJson({ z: { x: 2, y: 1 } }));
  });
  test('refuses NaN, Infinity and undefined instead of silently changing them', () => {
    assert.throws(() => canonicalJson({ a: Number.NaN }), /not a finite number/);
    assert.throws(() => canonicalJson({ a: Number.POSITIVE_INFINITY }), /not a finite number/);
    assert.throws(() => canonicalJson({ a: undefined } as never), /JSON cannot hold/);
  });
  test('says where the refused value is', () => {
    const value: JsonValue = { cells: [{ outputs: [{}, { n: Number.NaN }] }] };
    assert.throws(() => canonicalJson(value), /\$\.cells\[0\]\.outputs\[1\]\.n is not a finite/);
    assert.throws(() => canonicalJson([new Date(0)] as never), /\$\[0\] is not a plain object/);
    let deep: JsonValue = 1;
    for (let i = 0; i < 64; i++) deep = [deep];
    assert.equal(canonicalJson(deep), `${'['.repeat(64)}1${']'.repeat(64)}`);
    assert.throws(() => canonicalJson([deep]), /\$(\[0\]){65} is nested deeper than 64/);
  });
  test('matches JSON.stringify of the same value with its keys sorted', () => {
    const value = { z: [], y: {}, x: ['é\u2028"', -0.5, 1e21, { b: false, a: null }], 'a b': '' };
    const sorted = { 'a b': '', x: ['é\u2028"', -0.5, 1e21, { a: null, b: false }], y: {}, z: [] };
    assert.equal(canonicalJson(value), JSON.stringify(sorted));
  });
});

describe('verifyChain', () => {
  test('accepts an intact chain and reports its head', async () => {
    const entries = await chain(8);
    const r = await verifyChain(entries);
    assert.deepEqual(r, { ok: true, count: 8, headHash: (entries[7] as AuditEntry).hash });
    assert.deepEqual(await verifyChain([]), { ok: true, count: 0, headHash: GENESIS_HASH });
  });

  test('detects an edited entry at its index', async () => {
    const entries = await chain(8);
    (entries[3] as AuditEntry).details = {
      n: 3,
      eps: '1/100',
      nested: { a: true, b: [1, 'x', null] },
    };
    const r = await verifyChain(entries);
    assert.equal(r.ok, false);
    assert.ok(
      !r.ok && r.index === 3 && /edited after it was written/.test(r.message),
      JSON.stringify(r),
    );
  });

  test('detects an edit even when the edited entry was re-hashed (next link breaks)', async () => {
    const entries = await chain(8);
    (entries[2] as AuditEntry).actor = 'mallory';
    (entries[2] as AuditEntry).hash = await hashEntry(entries[2] as AuditEntry);
    const r = await verifyChain(entries);
    assert.ok(!r.ok && r.index === 3 && /prevHash mismatch/.test(r.message), JSON.stringify(r));
  });

  test('detects a deleted middle entry, a swapped pair and an inserted entry', async () => {
    const entries = await chain(8);
    const deleted = entries.filter((_, i) => i !== 4);
    const d = await verifyChain(deleted);
    assert.ok(!d.ok && d.index === 4, JSON.stringify(d));

    const swapped = [...entries];
    [swapped[5], swapped[6]] = [swapped[6] as AuditEntry, swapped[5] as AuditEntry];
    const s = await verifyChain(swapped);
    assert.ok(!s.ok && s.index === 5, JSON.stringify(s));

    const fake = { ...(entries[2] as AuditEntry), subject: 'forged' };
    const inserted = [...entries.slice(0, 3), fake, ...entries.slice(3)];
    const n = await verifyChain(inserted);
    assert.ok(!n.ok && n.index === 3, JSON.stringify(n));
  });

  test('a full rewrite from some point is caught by an anchor, and so is a cut tail', async () => {
    const entries = await chain(8);
    const anchor = { seq: 7, hash: (entries[7] as AuditEntry).hash };
    const forged = entries.map((e) => ({ ...e }));
    (forged[5] as AuditEntry).subject = 'forged';
    const rewritten = await rehash(forged, 5);
    assert.equal(
      (await verifyChain(rewritten)).ok,
      true,
      'without an anchor a rewrite is consistent',
    );
    const r = await verifyChain(rewritten, { anchors: [anchor] });
    assert.ok(
      !r.ok && r.index === 7 && /the log was rewritten at or before #7/.test(r.message),
      JSON.stringify(r),
    );

    // A cut (or a rewrite that dropped entries) can be told only as far as the first missing one.
    const cut = await verifyChain(entries.slice(0, 6), { anchors: [anchor] });
    assert.ok(
      !cut.ok &&
        cut.message.includes(
          `audit log ends at entry #5, but the anchor 7:${anchor.hash} vouches for entry #7 — the log was rewritten or cut at or before #6`,
        ),
      JSON.stringify(cut),
    );
  });

  test('verifies a long chain from an async source', async () => {
    const entries = await chain(300);
    async function* gen(): AsyncGenerator<AuditEntry> {
      for (const e of entries) yield e;
    }
    const r = await verifyChain(gen());
    assert.equal(r.ok && r.count, 300);
  });
});
