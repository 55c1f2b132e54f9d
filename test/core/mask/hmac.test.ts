import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, hkdfSync, createHash } from 'node:crypto';
import { deriveTokenKey, hmacSha256Sql, sqlString, tokenKeyInfo } from '@privet/core/mask/index';
import { memoryDb, column } from './duckdb.js';

const SAMPLES = [
  '',
  'a',
  '12345',
  'jane.doe@example.com',
  'Zoë Ångström',
  '東京都',
  '👩‍⚕️ emoji',
  "quote ' and \\ back",
  'x'.repeat(200),
];

describe('HMAC-SHA-256 in DuckDB SQL', async () => {
  const db = await memoryDb();
  after(() => db.close());
  const key = globalThis.crypto.getRandomValues(new Uint8Array(32));

  test('equals node:crypto HMAC byte for byte (unicode, empty, multi-block)', async () => {
    const values = SAMPLES.map((s) => `(${sqlString(s)})`).join(', ');
    const sql = `SELECT ${hmacSha256Sql('v', key, 64)} FROM (VALUES ${values}) t(v)`;
    const got = await column(db.c, sql);
    const want = SAMPLES.map((s) => createHmac('sha256', key).update(s, 'utf8').digest('hex'));
    assert.deepEqual(got, want);
  });

  test('32-hex tokens are the first 128 bits; integers hash their decimal text', async () => {
    const got = await column(
      db.c,
      `SELECT ${hmacSha256Sql('v', key)} FROM (VALUES (100001::BIGINT), (-7::BIGINT)) t(v)`,
    );
    assert.deepEqual(
      got,
      ['100001', '-7'].map((s) => createHmac('sha256', key).update(s).digest('hex').slice(0, 32)),
    );
  });

  test('NULL stays NULL', async () => {
    assert.deepEqual(
      await column(db.c, `SELECT ${hmacSha256Sql('v', key)} FROM (VALUES (NULL::VARCHAR)) t(v)`),
      [null],
    );
  });

  test('a token is not the unkeyed SHA-256 of the value', async () => {
    const [token] = await column(db.c, `SELECT ${hmacSha256Sql("'12345'", key, 64)}`);
    assert.notEqual(token, createHash('sha256').update('12345').digest('hex'));
  });

  test('keys shorter than 256 bits or longer than a block are refused', () => {
    assert.throws(() => hmacSha256Sql('v', new Uint8Array(16)), /32 to 64 bytes/);
    assert.throws(() => hmacSha256Sql('v', new Uint8Array(65)), /32 to 64 bytes/);
  });
});

describe('HKDF token keys', () => {
  const master = globalThis.crypto.getRandomValues(new Uint8Array(32));

  test('equal node:crypto hkdfSync (SHA-256, empty salt)', async () => {
    for (const info of [
      tokenKeyInfo({ view: 'patients_masked', source: 'patients', column: 'email' }),
      tokenKeyInfo({ view: 'visits_masked', source: 'visits', column: 'patient_id' }, 'patient'),
      'privet-token|ünï|cödé',
    ]) {
      const want = new Uint8Array(
        hkdfSync('sha256', master, new Uint8Array(0), Buffer.from(info, 'utf8'), 32),
      );
      assert.deepEqual(await deriveTokenKey(master, info), want);
    }
  });

  test('join groups share a key; other columns get their own, in each view', async () => {
    const scope = (view: string, source: string, column: string) => ({ view, source, column });
    assert.equal(
      tokenKeyInfo(scope('patients_masked', 'patients', 'patient_id'), 'patient'),
      tokenKeyInfo(scope('visits_masked', 'visits', 'patient_id'), 'patient'),
    );
    assert.equal(
      tokenKeyInfo(scope('patients_masked', 'patients', 'patient_id')),
      'privet-token-view|15:patients_masked|8:patients|patient_id',
    );
    const a = await deriveTokenKey(master, tokenKeyInfo(scope('p', 'patients', 'patient_id')));
    const b = await deriveTokenKey(master, tokenKeyInfo(scope('v', 'visits', 'patient_id')));
    assert.notDeepEqual(a, b);
    // Two views of one source: the same column's tokens differ unless a join group is declared.
    const first = await deriveTokenKey(master, tokenKeyInfo(scope('ages', 'patients', 'id')));
    const second = await deriveTokenKey(master, tokenKeyInfo(scope('zips', 'patients', 'id')));
    assert.notDeepEqual(first, second);
  });

  test('no view, source or column name spells a join group or another column', () => {
    // A source named "join" once gave column "person" the key of join group "person".
    const scope = (view: string, source: string, column: string) => ({ view, source, column });
    assert.notEqual(
      tokenKeyInfo(scope('v', 'join', 'person')),
      tokenKeyInfo(scope('v', 'people', 'id'), 'person'),
    );
    assert.notEqual(tokenKeyInfo(scope('v', 'a|b', 'c')), tokenKeyInfo(scope('v', 'a', 'b|c')));
    assert.notEqual(tokenKeyInfo(scope('v|1:a', 'b', 'c')), tokenKeyInfo(scope('v', 'a|1:b', 'c')));
  });

  test('a master key under 256 bits is refused', async () => {
    await assert.rejects(deriveTokenKey(new Uint8Array(31), 'x'), /at least 32 bytes/);
  });
});
