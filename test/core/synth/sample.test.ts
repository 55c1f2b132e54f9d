import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { coarsen, compressDomain } from '@privet/core/synth/compress';
import { projectSimplex } from '@privet/core/synth/project';
import { allocate, expandCodes, sampleNet, type NetModel } from '@privet/core/synth/sample';
import { seededRandom } from '@privet/core/synth/seeded-random';

describe('model pieces', () => {
  test('systematic allocation gives floor or ceil of every expected count and sums exactly', async () => {
    const rng = await seededRandom('alloc');
    const w = Float64Array.of(0.13, 0.5, 0.07, 0.3);
    const out = new Int32Array(4);
    for (const n of [1, 7, 100, 9999]) {
      allocate(w, 0, 4, n, rng, out);
      assert.equal(
        out.reduce((s, x) => s + x, 0),
        n,
      );
      out.forEach((c, i) =>
        assert.ok(Math.abs(c - n * w[i]!) < 1, `cell ${i}: ${c} vs ${n * w[i]!}`),
      );
    }
  });

  test('simplex projection keeps the total, clips the noise floor', () => {
    const p = projectSimplex(Float64Array.of(50, -20, 10, 3, -1), 60);
    assert.ok(Math.abs(p.reduce((s, x) => s + x, 0) - 60) < 1e-9);
    assert.ok(p.every((x) => x >= 0));
    assert.equal(p[1], 0);
    assert.ok(p[0]! > p[2]!);
  });

  test('compression merges values below the threshold; coarsening makes ≤ maxBins bins', () => {
    const c = compressDomain(Float64Array.of(500, 3, -40, 800, 20), 100);
    assert.equal(c.compressedSize, 3);
    assert.deepEqual(Array.from(c.map), [0, 2, 2, 1, 2]);
    assert.deepEqual(Array.from(c.empty), [0, 0, 0], 'merged rare values are never dropped');
    // A catch-all code ("(other)") is never merged and, below the threshold, never generated.
    const other = compressDomain(Float64Array.of(500, 3, 800, 20), 100, 3);
    assert.deepEqual(Array.from(other.map), [0, 3, 1, 2]);
    assert.deepEqual(Array.from(other.empty), [0, 0, 1, 0]);
    const seen = compressDomain(Float64Array.of(500, 3, 800, 240), 100, 3);
    assert.deepEqual(Array.from(seen.empty), [0, 0, 0, 0]);
    const z = coarsen(
      Float64Array.from({ length: 20 }, () => 0.05),
      4,
    );
    assert.equal(z.compressedSize, 4);
    assert.ok(z.members.every((m) => m.length === 5));
  });

  test('coarsening gives a spike its own bin and spreads the rest over the remaining bins', () => {
    // Like hours-per-week: 10 light cells, a spike of 47% (40 hours), then 30 light cells.
    const probs = new Float64Array(41);
    for (let i = 0; i < 41; i++) probs[i] = i === 10 ? 0.47 : 0.53 / 40;
    const z = coarsen(probs, 8);
    const spike = z.map[10]!;
    assert.deepEqual(Array.from(z.members[spike]!), [10], 'the spike stands alone');
    // Equal shares of what is left: no bin after the spike is a single light cell, and the last
    // bin does not swallow the tail (the old rule left ~half the mass in one end bin).
    const massOf = (m: Int32Array): number => m.reduce((s, i) => s + probs[i]!, 0);
    for (let b = spike + 1; b < z.compressedSize; b++) {
      assert.ok(z.members[b]!.length > 1, `bin ${b} holds more than one light cell`);
      assert.ok(massOf(z.members[b]!) < 0.15, `bin ${b} holds ≤ 0.15 of the mass`);
    }
    assert.equal(z.compressedSize, 8);
  });

  test("a merged cell's expansion weights keep its noisy mass and drop the noise floor", () => {
    const noisy = Float64Array.of(900, 12, -5, 8, 60, 3);
    const c = compressDomain(noisy, 100);
    assert.equal(c.compressedSize, 2);
    const w = Array.from(c.weights[1]!);
    assert.ok(Math.abs(w.reduce((s, x) => s + x, 0) - 78) < 1e-9, 'weights sum to 12-5+8+60+3');
    assert.equal(w[1], 0, 'a negative noisy count gets no weight');
    // One common shift θ > 0 (here 1.25) is subtracted from every positive count, not just clipping.
    for (const [i, v] of [12, 8, 60, 3].entries()) {
      assert.ok(Math.abs(w[[0, 2, 3, 4][i]!]! - (v - 1.25)) < 1e-9, `weight of ${v}`);
    }
  });

  test('network sampling reproduces its conditionals and expands merged cells', async () => {
    const rng = await seededRandom('net');
    const id = (k: number) =>
      coarsen(
        Float64Array.from({ length: k }, () => 1),
        k,
      );
    const model: NetModel = {
      order: [0, 1],
      parents: [[], [0]],
      sizes: [2, 3],
      coarse: [id(2), id(3)],
      level: ['fine', 'fine'],
      tables: [Float64Array.of(0.25, 0.75), Float64Array.of(1, 0, 0, 0, 0.5, 0.5)],
    };
    const [a, b] = sampleNet(model, 4000, rng);
    let zeros = 0;
    for (let i = 0; i < 4000; i++) {
      if (a![i] === 0) {
        zeros++;
        assert.equal(b![i], 0);
      } else assert.notEqual(b![i], 0);
    }
    assert.equal(zeros, 1000, 'systematic sampling hits the root marginal exactly');
    const merged = compressDomain(Float64Array.of(900, 30, 10), 100);
    const out = expandCodes(
      merged,
      Int32Array.from({ length: 400 }, (_, i) => (i < 100 ? 0 : 1)),
      rng,
    );
    assert.equal(out.filter((x) => x === 1).length, 225, 'merged cell split 3:1 by noisy counts');
  });
});
