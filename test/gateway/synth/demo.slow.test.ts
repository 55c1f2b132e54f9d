import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FidelityColumn, FidelityReport } from '@privet/core/synth/fidelity-types';
import { NOT_RELEASED_LABEL } from '@privet/core/synth/report-tables';
import { publishViews, viewFiles } from '../../../gateway/src/publish/index.js';
import { demoPolicy, demoPolicyDir, freshStateDir } from '../publish/helpers.js';

/** The real share of a column's values that DP discovery did not release (0 when none). */
const notReleasedShare = (c: FidelityColumn): number =>
  c.bars.find((b) => b.label === NOT_RELEASED_LABEL)?.real ?? 0;

// Its speed is measured in bench/publish.ts, as a ratio to a baseline, not asserted here.
test('the demo policy publishes patients_synthetic (50,000 patients) with a fidelity report', async () => {
  const { text, policy } = demoPolicy();
  const stateDir = freshStateDir();
  try {
    const [r] = await publishViews({
      policy,
      policyText: text,
      policyDir: await demoPolicyDir(),
      stateDir,
      viewNames: ['patients_synthetic'],
    });
    assert.ok(Math.abs(r!.rows - 50_000) < 500, `rows ${r!.rows}`);
    const report = JSON.parse(
      readFileSync(join(viewFiles(stateDir, 'patients_synthetic').dir, 'fidelity.json'), 'utf8'),
    ) as FidelityReport;
    assert.equal(report.utility?.target, 'diagnosis');
    // Real values DP discovery did not release (e.g. sparse diagnoses) count against a column: its
    // TVD is at least their share, however closely the rest is reproduced. Beyond that share,
    // every column is reproduced closely. Zip is synthesized as its 3-digit area (prefix: 3):
    // every area is released, so nothing is left to warn about.
    assert.deepEqual(r!.manifest.warnings ?? [], [], 'no thin column');
    for (const c of report.columns) {
      const notReleased = notReleasedShare(c);
      assert.ok(c.tvd >= notReleased - 1e-9, `${c.name}: TVD ${c.tvd} < ${notReleased}`);
      assert.ok(c.tvd < notReleased + 0.02, `${c.name}: TVD ${c.tvd}`);
    }
    const zip = report.columns.find((c) => c.name === 'zip')!;
    assert.equal(notReleasedShare(zip), 0, 'every real area is released');
    assert.ok(zip.tvd < 0.02, `zip TVD ${zip.tvd}`);
    assert.ok(report.tvd.twoWay < 0.1, `mean 2-way TVD ${report.tvd.twoWay}`);
    assert.ok(report.utility!.accuracySyntheticOnReal > report.utility!.accuracyMajority);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});
