import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FidelityReport } from '@privet/core/synth/fidelity-types';
import { publishViews, viewFiles } from '../../../gateway/src/publish/index.js';
import { demoPolicy, demoPolicyDir, freshStateDir } from '../publish/helpers.js';

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
    assert.ok(report.tvd.oneWay < 0.02, `1-way TVD ${report.tvd.oneWay}`);
    assert.ok(report.utility!.accuracySyntheticOnReal > report.utility!.accuracyMajority);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
});
