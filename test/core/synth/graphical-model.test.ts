import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { projectionIndex } from '@privet/core/synth/factor';
import { graphSteps, sampleGraph } from '@privet/core/synth/graph-sample';
import {
  calibratedLogBeliefs,
  estimateGraphModel,
  type Observation,
} from '@privet/core/synth/graphical-model';
import { buildJunctionTree, junctionTreeCells } from '@privet/core/synth/junction-tree';
import { seededRandom } from '@privet/core/synth/seeded-random';

/** Exact counts of the marginal over `attrs` of sampled columns (row-major). */
function counts(cols: Int32Array[], sizes: number[], attrs: number[]): Float64Array {
  const out = new Float64Array(attrs.reduce((p, a) => p * sizes[a]!, 1));
  for (let r = 0; r < cols[0]!.length; r++) {
    let idx = 0;
    for (const a of attrs) idx = idx * sizes[a]! + cols[a]![r]!;
    out[idx]!++;
  }
  return out;
}

describe('junction-tree model', () => {
  test('projection index maps clique cells onto a subset, optionally through coarse maps', () => {
    // Clique over attrs [0, 1] with sizes [2, 3]; target [1] then [1, 0] (reordered).
    assert.deepEqual(Array.from(projectionIndex([0, 1], [2, 3], [1])), [0, 1, 2, 0, 1, 2]);
    assert.deepEqual(Array.from(projectionIndex([0, 1], [2, 3], [1, 0])), [0, 2, 4, 1, 3, 5]);
    const coarse = Int32Array.of(0, 0, 1);
    assert.deepEqual(
      Array.from(projectionIndex([0, 1], [2, 3], [1], [coarse], [2])),
      [0, 0, 1, 0, 0, 1],
    );
  });

  test('a cycle is triangulated; the tree has the running-intersection property', () => {
    const sizes = [2, 3, 4, 5];
    const sets = [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 0],
    ];
    const tree = buildJunctionTree(4, sizes, sets);
    for (const s of sets) assert.ok(tree.cliques.some((c) => s.every((a) => c.includes(a))));
    assert.equal(tree.cliques.length, 2, 'a 4-cycle needs one chord: two triangles');
    assert.equal(tree.parent.filter((p) => p < 0).length, 1, 'one root');
    tree.order.forEach((i, q) => {
      if (q > 0) assert.ok(tree.order.indexOf(tree.parent[i]!) < q, 'parents first');
    });
    assert.deepEqual(tree.separators[tree.order[1]!]!.length, 2);
    assert.equal(
      junctionTreeCells(4, sizes, sets),
      tree.cells.reduce((s, x) => s + x, 0),
    );
  });

  test('calibration gives every clique its exact marginal (clique with several children, two components)', async () => {
    // Cliques {0,1,2} with leaves {0,3}, {1,4}, {2,5}, and a separate component {6,7}; random
    // log-potentials spanning ±30 (far beyond one exp's range when summed) checked against the
    // brute-force joint over all 864 cells.
    const sizes = [2, 3, 2, 3, 2, 2, 3, 2];
    const tree = buildJunctionTree(8, sizes, [
      [0, 1, 2],
      [0, 3],
      [1, 4],
      [2, 5],
      [6, 7],
    ]);
    const children = tree.parent.map((_, i) => tree.parent.filter((p) => p === i).length);
    assert.ok(Math.max(...children) >= 2, 'some clique has two or more children');
    assert.ok(
      tree.separators.some((sep, i) => tree.parent[i]! >= 0 && sep.length === 0) ||
        tree.parent.filter((p) => p < 0).length > 1,
      'two components',
    );
    const rng = await seededRandom('calibration');
    const theta = tree.cells.map((n) =>
      Float64Array.from({ length: n }, () => (rng.nextUint32() / 2 ** 32) * 60 - 30),
    );
    const beliefs = calibratedLogBeliefs(tree, sizes, theta);
    // Brute force: log p(x) = Σ_c θ_c[x_c] − log Z over every joint cell.
    const cells = sizes.reduce((p, k) => p * k, 1);
    const logP = new Float64Array(cells);
    const x = new Array<number>(8).fill(0);
    for (let j = 0; j < cells; j++) {
      for (let a = 7, rest = j; a >= 0; a--) {
        x[a] = rest % sizes[a]!;
        rest = Math.floor(rest / sizes[a]!);
      }
      tree.cliques.forEach((c, i) => {
        let idx = 0;
        for (const a of c) idx = idx * sizes[a]! + x[a]!;
        logP[j]! += theta[i]![idx]!;
      });
    }
    const max = Math.max(...logP);
    const z = logP.reduce((s, v) => s + Math.exp(v - max), 0);
    tree.cliques.forEach((c, i) => {
      const exact = new Float64Array(tree.cells[i]!);
      for (let j = 0; j < cells; j++) {
        for (let a = 7, rest = j; a >= 0; a--) {
          x[a] = rest % sizes[a]!;
          rest = Math.floor(rest / sizes[a]!);
        }
        let idx = 0;
        for (const a of c) idx = idx * sizes[a]! + x[a]!;
        exact[idx]! += Math.exp(logP[j]! - max) / z;
      }
      exact.forEach((p, idx) =>
        assert.ok(
          Math.abs(Math.exp(beliefs[i]![idx]!) - p) < 1e-9,
          `clique ${c.join(',')} cell ${idx}: ${Math.exp(beliefs[i]![idx]!)} vs ${p}`,
        ),
      );
    });
  });

  test('consistent marginals are recovered and sampled; coarse readings constrain sums', async () => {
    // Truth: a chain 0 → 1 → 2 with strong dependence; observe exact (0,1) and a coarse (1,2).
    const sizes = [2, 3, 4];
    const p01 = Float64Array.of(300, 100, 100, 50, 150, 300);
    const p2given1 = [
      [0.7, 0.1, 0.1, 0.1],
      [0.1, 0.7, 0.1, 0.1],
      [0.1, 0.1, 0.4, 0.4],
    ];
    const p1 = [350, 250, 400]; // the 1-margin of p01
    const p12 = Float64Array.from(
      { length: 12 },
      (_, j) => p1[Math.floor(j / 4)]! * p2given1[Math.floor(j / 4)]![j % 4]!,
    );
    const coarse2 = Int32Array.of(0, 0, 1, 1);
    const p12coarse = new Float64Array(6);
    p12.forEach((v, j) => (p12coarse[Math.floor(j / 4) * 2 + coarse2[j % 4]!]! += v));
    const p2 = new Float64Array(4);
    p12.forEach((v, j) => (p2[j % 4]! += v));
    const obs: Observation[] = [
      { attrs: [0, 1], maps: [undefined, undefined], sizes: [2, 3], values: p01, weight: 1 },
      { attrs: [1, 2], maps: [undefined, coarse2], sizes: [3, 2], values: p12coarse, weight: 1 },
      { attrs: [2], maps: [undefined], sizes: [4], values: p2, weight: 1 },
    ];
    const model = estimateGraphModel(sizes, obs, 1000, 300);
    const rng = await seededRandom('graph-model');
    const rows = 20_000;
    const cols = sampleGraph(graphSteps(model), sizes, rows, rng);
    const got01 = counts(cols, sizes, [0, 1]);
    p01.forEach((v, j) =>
      assert.ok(Math.abs(got01[j]! / rows - v / 1000) < 0.01, `(0,1) cell ${j}`),
    );
    const got2 = counts(cols, sizes, [2]);
    p2.forEach((v, j) => assert.ok(Math.abs(got2[j]! / rows - v / 1000) < 0.01, `2 cell ${j}`));
    const got12 = counts(cols, sizes, [1, 2]);
    const gotCoarse = new Float64Array(6);
    got12.forEach((v, j) => (gotCoarse[Math.floor(j / 4) * 2 + coarse2[j % 4]!]! += v));
    p12coarse.forEach((v, j) =>
      assert.ok(Math.abs(gotCoarse[j]! / rows - v / 1000) < 0.01, `coarse (1,2) cell ${j}`),
    );
    cols.forEach((c, a) =>
      assert.ok(
        c.every((x) => x >= 0 && x < sizes[a]!),
        `attr ${a} in domain`,
      ),
    );
  });

  test('sampled rows come in random order: every stretch follows the model, neighbours are independent', async () => {
    // Rows are drawn stratified and laid out evenly interleaved, and must be shuffled back: a
    // head() of the synthetic table should look like any other sample of it, neither one group
    // nor a regular pattern (0, 1, 0, 1, …).
    const sizes = [2, 3];
    const p01 = Float64Array.of(300, 100, 100, 50, 150, 300);
    const obs: Observation[] = [
      { attrs: [0, 1], maps: [undefined, undefined], sizes: [2, 3], values: p01, weight: 1 },
    ];
    const steps = graphSteps(estimateGraphModel(sizes, obs, 1000, 200));
    const rows = 20_000;
    const block = 2_000;
    const [first, second] = sampleGraph(steps, sizes, rows, await seededRandom('row-order'));
    for (let from = 0; from < rows; from += block) {
      let zeros = 0;
      let twos = 0;
      for (let r = from; r < from + block; r++) {
        if (first![r] === 0) zeros++;
        if (second![r] === 2) twos++;
      }
      // Expected shares 0.5 and 0.4; binomial sd ≈ 0.011, so 0.05 is over 4 sd.
      assert.ok(Math.abs(zeros / block - 0.5) < 0.05, `rows ${from}+: share of 0 ${zeros / block}`);
      assert.ok(Math.abs(twos / block - 0.4) < 0.05, `rows ${from}+: share of 2 ${twos / block}`);
    }
    // Neighbouring rows are independent: equal first values in 0.5² + 0.5² of neighbour pairs.
    let same = 0;
    for (let r = 1; r < rows; r++) if (first![r] === first![r - 1]) same++;
    assert.ok(Math.abs(same / (rows - 1) - 0.5) < 0.03, `neighbours equal ${same / (rows - 1)}`);
  });

  test('same model and seed give the same rows', async () => {
    const sizes = [3, 3];
    const obs: Observation[] = [
      {
        attrs: [0, 1],
        maps: [undefined, undefined],
        sizes: [3, 3],
        values: Float64Array.of(90, -3, 10, 5, 80, 15, 0, 20, 60),
        weight: 0.5,
      },
    ];
    const steps = graphSteps(estimateGraphModel(sizes, obs, 280, 50));
    const a = sampleGraph(steps, sizes, 1000, await seededRandom('same'));
    const b = sampleGraph(steps, sizes, 1000, await seededRandom('same'));
    assert.deepEqual(a, b);
  });
  test('domains wider than a byte or two are sampled exactly (narrow code columns are widened)', async () => {
    // Columns are kept in the narrowest array that holds every code: Uint8Array up to 256 values,
    // Uint16Array up to 65,536, else Int32Array. A code past a narrow array's range would wrap.
    for (const wide of [300, 70_000]) {
      const sizes = [wide, 3];
      const root = new Float64Array(wide);
      for (let v = 0; v < wide; v += 97) root[v] = 1; // only every 97th value, the last ones too
      root[wide - 1] = 1;
      // The second attribute copies the first's value mod 3.
      const pair = new Float64Array(wide * 3);
      for (let v = 0; v < wide; v++) pair[v * 3 + (v % 3)] = 1;
      const steps = [
        { given: [], fresh: [0], table: root, freshCells: wide },
        { given: [0], fresh: [1], table: pair, freshCells: 3 },
      ];
      const rows = 5_000;
      const [first, second] = sampleGraph(steps, sizes, rows, await seededRandom(`wide-${wide}`));
      const support = new Set(Array.from(root.keys()).filter((v) => root[v]! > 0));
      assert.ok(
        first!.every((v) => support.has(v)),
        `${wide}: only values with mass`,
      );
      assert.ok(
        first!.some((v) => v === wide - 1),
        `${wide}: the largest code survives`,
      );
      assert.ok(
        first!.every((v, r) => second![r] === v % 3),
        `${wide}: rows stay aligned`,
      );
    }
  });
});
