import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ChaChaRandomSource,
  chachaBlock,
  seedHash,
  seededRandom,
} from '@privet/core/synth/seeded-random';

describe('ChaCha20 seeded stream', () => {
  test('block function matches RFC 8439 §2.3.2', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const nonce = Uint8Array.of(0, 0, 0, 9, 0, 0, 0, 0x4a, 0, 0, 0, 0);
    const src = new ChaChaRandomSource(key, nonce, 1);
    const words = Array.from({ length: 16 }, () => src.nextUint32().toString(16).padStart(8, '0'));
    assert.deepEqual(words, [
      'e4e7f110',
      '15593bd1',
      '1fdd0f50',
      'c47120a3',
      'c7f4d1c7',
      '0368c033',
      '9aaa2204',
      '4e6cd4c3',
      '466482d2',
      '09aa9f07',
      '05d7c214',
      'a2028bd9',
      'd19c12b5',
      'b94e16de',
      'e883d0cb',
      '4e3c50a2',
    ]);
  });

  test('all-zero key, nonce and counter match RFC 8439 A.1 vector #1', () => {
    const state = Uint32Array.of(
      0x61707865,
      0x3320646e,
      0x79622d32,
      0x6b206574,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    );
    const out = new Uint32Array(16);
    chachaBlock(state, out);
    assert.equal(out[0], 0xade0b876);
    assert.equal(out[15], 0x8665eeb2);
    assert.equal(new ChaChaRandomSource(new Uint8Array(32)).nextUint32(), 0xade0b876);
  });

  test('same seed gives the same stream, another seed a different one', async () => {
    const a = await seededRandom('seed-1');
    const b = await seededRandom('seed-1');
    const c = await seededRandom('seed-2');
    const xs = Array.from({ length: 2000 }, () => a.nextUint32());
    const ys = Array.from({ length: 2000 }, () => b.nextUint32());
    const zs = Array.from({ length: 2000 }, () => c.nextUint32());
    assert.deepEqual(xs, ys);
    assert.notDeepEqual(xs, zs);
  });

  test('stream words look uniform (byte histogram chi-square)', async () => {
    const src = await seededRandom('uniform');
    const counts = new Array<number>(256).fill(0);
    const n = 40_000;
    for (let i = 0; i < n; i++) {
      const w = src.nextUint32();
      for (let k = 0; k < 4; k++) counts[(w >>> (8 * k)) & 255]!++;
    }
    const expected = (4 * n) / 256;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    assert.ok(chi2 < 340, `chi-square ${chi2} too large for 255 degrees of freedom`);
  });

  test('the manifest seed hash is not the stream key', async () => {
    const h = await seedHash('s');
    assert.match(h, /^[0-9a-f]{64}$/);
    const key = new Uint8Array(
      await crypto.subtle.digest(
        'SHA-256',
        new TextEncoder().encode('privet/synth/chacha20-drbg/v1\u0000s'),
      ),
    );
    assert.notEqual(h, Array.from(key, (b) => b.toString(16).padStart(2, '0')).join(''));
  });
});
