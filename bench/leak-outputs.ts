/**
 * The gateway's raw-value check of an output a host is about to show (POST /leak-check/outputs:
 * candidate runs drawn from the output, each looked up in the keyed index of 20,000 people's raw
 * names and emails) against the local review check (`checkOutput`) of the same output, in the same
 * run and in turns: how much the display-time lookup adds to what every output already costs. The
 * outputs are review.ts's mixed-MIME bundles (log text, a pandas HTML table, JSON, markdown).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutput, type NotebookOutput } from '@privet/core/review/index';
import { LeakService } from '../gateway/src/leak/service.js';
import { openServices } from '../gateway/src/ledger/open.js';
import { loadPolicyFile } from '../gateway/src/policy-file.js';
import { bundle } from './review.js';
import type { BenchResult } from './result.js';

const PEOPLE = 20_000;
const POLICY = `
version: 1
name: leak-bench
sources:
  people:
    path: people.csv
    format: csv
    privacy_unit: person_id
    columns:
      person_id: { type: integer, identifier: true }
      name: { type: string, identifier: true }
      email: { type: string, identifier: true }
      income: { type: number, bounds: [0, 500000] }
views:
  people_dp:
    tier: dp
    source: people
    columns: [income]
    contribution: { max_rows_per_unit: 1, max_groups_per_unit: 1 }
users:
  sue: { name: Sue, roles: [steward] }
budgets:
  - { source: people, epsilon: '10', scope: experiment }
retention: { derived_artefacts_days: 1, audit_log_days: 1 }
export: { require_review_for_flagged: true, images: review, small_cell_threshold: 10 }
`;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs the benchmark. */
export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'privet-leak-bench-'));
  try {
    const rows = Array.from(
      { length: PEOPLE },
      (_, i) => `${i},Person${i} Surname${i % 977},person${i}@example.org,${(i * 37) % 200000}`,
    );
    writeFileSync(join(dir, 'people.csv'), `person_id,name,email,income\n${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    const loaded = loadPolicyFile(join(dir, 'policy.yaml'));
    const stateDir = join(dir, 'state');
    const services = openServices({
      dbPath: join(dir, 'privet.db'),
      policy: loaded.policy,
      stateDir,
    });
    try {
      const leaks = new LeakService({
        audit: services.audit,
        policy: loaded.policy,
        policyDir: dir,
        stateDir,
      });
      const t0 = performance.now();
      await leaks.loadIndex();
      const indexMs = performance.now() - t0;
      const metrics: Record<string, number> = { index_build_ms: indexMs };
      const ratios: Record<string, number> = {};
      for (const [label, bytes] of [
        ['100kb', 100_000],
        ['1mb', 1_000_000],
      ] as const) {
        const outputs: NotebookOutput[] = Array.from({ length: 5 }, (_, i) => bundle(bytes, i + 1));
        const raw: number[] = [];
        const local: number[] = [];
        const rounds = bytes > 500_000 ? 10 : 40;
        for (let r = 0; r < rounds; r++) {
          const o = outputs[r % outputs.length]!;
          const a = performance.now();
          await leaks.outputHoldsRawValue(o);
          const b = performance.now();
          checkOutput(o);
          const c = performance.now();
          if (r >= 2) {
            raw.push(b - a);
            local.push(c - b);
          }
        }
        metrics[`raw_value_check_${label}_p50_ms`] = median(raw);
        metrics[`review_check_${label}_p50_ms`] = median(local);
        ratios[`raw_value_check_over_review_check_${label}`] = median(raw) / median(local);
      }
      return {
        name: 'leak-outputs: the gateway’s raw-value check of a shown output vs the local review check',
        metrics,
        ratios,
        notes: [
          `index: ${PEOPLE.toLocaleString('en-US')} people × (person_id, name, email), keyed HMAC tags`,
          'per output: every run of 1–4 words of its visible text (as drawn and as folded) looked up; local: checkOutput of the same output, timed in turns',
          'the hosts batch outputs shown together into one call and cache verdicts by content, so a redraw costs nothing',
        ],
      };
    } finally {
      services.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
