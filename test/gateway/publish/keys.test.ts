import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadOrCreateMasterKey, masterKeyPath } from '../../../gateway/src/keys.js';
import { freshStateDir } from './helpers.js';

describe('master key', () => {
  test('is created once: 32 CSPRNG bytes, mode 0600, stable afterwards', () => {
    const dir = freshStateDir();
    try {
      const a = loadOrCreateMasterKey(dir);
      assert.equal(a.length, 32);
      assert.equal(statSync(masterKeyPath(dir)).mode & 0o777, 0o600);
      assert.deepEqual(loadOrCreateMasterKey(dir), a);
      assert.deepEqual(new Uint8Array(readFileSync(masterKeyPath(dir))), a);
      const other = freshStateDir();
      try {
        assert.notDeepEqual(loadOrCreateMasterKey(other), a);
      } finally {
        rmSync(other, { recursive: true });
      }
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test('a key readable by others or of the wrong length is refused without printing it', () => {
    const dir = freshStateDir();
    try {
      const key = loadOrCreateMasterKey(dir);
      chmodSync(masterKeyPath(dir), 0o644);
      assert.throws(
        () => loadOrCreateMasterKey(dir),
        (err: Error) =>
          /chmod 600/.test(err.message) && !err.message.includes(Buffer.from(key).toString('hex')),
      );
      writeFileSync(masterKeyPath(dir), new Uint8Array(16), { mode: 0o600 });
      chmodSync(masterKeyPath(dir), 0o600);
      assert.throws(() => loadOrCreateMasterKey(dir), /16 bytes, expected 32/);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
