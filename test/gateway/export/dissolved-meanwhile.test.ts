/**
 * An export is checked against its experiment again when it is signed: one admitted while the
 * experiment was running but filtered while it was dissolved is refused (and audited as refused),
 * not signed after the dissolution with the dissolved experiment's approvals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../gateway/src/audit/service-error.js';
import { ExportService } from '../../../gateway/src/export/service.js';
import { Ledger } from '../../../gateway/src/ledger/ledger.js';
import type { Services } from '../../../gateway/src/ledger/open.js';
import { ReviewService } from '../../../gateway/src/review/service.js';
import { approvedExperiment, demoPolicy, makeEnv, who } from '../experiments/fixture.js';

test('an export filtered while its experiment is dissolved is refused, not signed', async () => {
  const policy = demoPolicy();
  const env = makeEnv(policy);
  try {
    const services = {
      db: env.db,
      audit: env.audit,
      experiments: env.experiments,
      ledger: new Ledger({ audit: env.audit, policy }),
      reviews: new ReviewService({ audit: env.audit, policy }),
      close() {},
    } as Services;
    const alice = who(policy, 'alice');
    approvedExperiment(env, 'e1');
    let finishFilter!: () => void;
    const filtering = new Promise<void>((resolve) => (finishFilter = resolve));
    let filterStarted!: () => void;
    const started = new Promise<void>((resolve) => (filterStarted = resolve));
    const exports = new ExportService({
      services,
      policy,
      policyHash: 'h',
      stateDir: env.dir,
      bodies: {
        open: async () =>
          ({
            handle: 1,
            opened: { experiment: 'e1', name: 'nb.ipynb', lookups: 0, releaseClaims: [] },
          }) as never,
        // A large notebook: the filter takes a while in the worker.
        filter: async () => {
          filterStarted();
          await filtering;
          return {
            lines: { notebookHash: 'x', outputs: [], withheldSources: [] },
            notebookJson: new TextEncoder().encode('{}'),
          } as never;
        },
        close() {},
      },
    });
    const exporting = exports.createFromBody(alice, new Uint8Array());
    await started;
    await env.experiments.dissolve(alice, 'e1');
    finishFilter();
    await assert.rejects(exporting, (err: unknown) => {
      assert.ok(err instanceof ServiceError, String(err));
      assert.match(err.message, /dissolved/);
      return true;
    });
    const actions = env.audit.entries().map((e) => e.action);
    assert.ok(!actions.includes('export'), 'no export filed');
    assert.ok(
      actions.indexOf('export.refused') > actions.indexOf('experiment.dissolved'),
      actions.join(', '),
    );
  } finally {
    env.close();
  }
});
