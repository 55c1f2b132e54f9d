import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { priceDpPlan } from '@privet/core/dpsql/price';
import { describeColumns } from '@privet/core/dpsql/describe';
import { avgAge, count, plan } from '../core/dpsql/plans.js';
import { dryRunText } from '../../vscode-ext/src/notebook/outputs.js';

describe('the hosts show it', () => {
  test('VS Code’s dry-run output gives an AVG’s ± per group size, not "depends on the data"', () => {
    const priced = priceDpPlan(plan([count(), avgAge()]), { epsilon: 1 });
    const text = dryRunText({
      dryRun: true,
      planHash: 'h',
      mechanism: priced.mechanism,
      alpha: 0.05,
      cost: priced.cost,
      columns: describeColumns(priced),
      warnings: [],
      budget: [],
    });
    assert.match(text, /a \(avg\): ± [\d.,]+ over 100 rows · .* over 10,000 rows at 95%/);
    assert.doesNotMatch(text, /depends on the data/);
  });
});
