/** The shared hex helpers: byte order and padding, a SHA-256 test vector, random ids' shape. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesToHex, randomHex, sha256Hex } from '@privet/core/hex';

describe('hex helpers', () => {
  it('writes each byte as two lower-case digits, in order', () => {
    assert.equal(bytesToHex(new Uint8Array([0, 1, 15, 16, 171, 255])), '00010f10abff');
    assert.equal(bytesToHex(new Uint8Array()), '');
  });

  it('hashes UTF-8 text with SHA-256 (FIPS 180-2 "abc" vector; non-ASCII as UTF-8)', async () => {
    assert.equal(
      await sha256Hex('abc'),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    assert.equal(
      await sha256Hex('é'),
      bytesToHex(
        new Uint8Array(
          await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array([0xc3, 0xa9])),
        ),
      ),
    );
  });

  it('draws random ids of 2n hex digits that differ between calls', () => {
    const a = randomHex(16);
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notEqual(randomHex(16), a);
  });
});
