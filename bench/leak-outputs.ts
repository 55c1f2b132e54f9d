/**
 * The gateway's raw-value check of an output a host is about to show (POST /leak-check/outputs:
 * candidate runs drawn from the output, each looked up in the keyed index of 20,000 people's raw
 * names and emails) against the local review check (`checkOutput`) of the same output, in the same
 * run and in turns: how much the display-time lookup adds to what every output already costs. The
 * outputs are review.ts's mixed-MIME bundles (log text, a pandas HTML table, JSON, markdown).
 * The route runs the check in a worker thread (output-worker.ts): its latency there (with the copy
 * to the worker) is reported too, and how long the main thread stalls during a 1 MB check, in the
 * worker against on the main thread (the longest gap between 1 ms timer ticks), and the same for
 * an export of a notebook showing it (POST /exports filters it in the worker too).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutput, outputContentHash, type NotebookOutput } from '@privet/core/review/index';
import { exportLookups, filterWithLookups } from '../gateway/src/export/lookups.js';
import { parseExportRequest } from '../gateway/src/export/request.js';
import { parseJsonBody } from '../gateway/src/http/json-body.js';
import { checkSubmitted } from '../gateway/src/review/submit-check.js';
import { submitBody } from '../gateway/src/review/validate.js';
import { holdsRawValue, rawValueVerdicts } from '../gateway/src/leak/outputs.js';
import { OutputCheckWorker } from '../gateway/src/leak/output-worker.js';
import { LeakService } from '../gateway/src/leak/service.js';
import { openServices } from '../gateway/src/ledger/open.js';
import { loadPolicyFile } from '../gateway/src/policy-file.js';
import { bundle } from './review.js';
import { median, type BenchResult } from './result.js';

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

/** A one-cell notebook showing `output` (as POST /exports receives it). */
function exportedNotebook(output: NotebookOutput): Record<string, unknown> {
  const cell = { cell_type: 'code', source: 'df', metadata: {}, execution_count: 1 };
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ ...cell, outputs: [output] }] };
}

/** The longest gap between 1 ms timer ticks on this thread while `work` runs. */
async function longestStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  try {
    await new Promise((r) => setTimeout(r, 5));
    last = performance.now();
    await work();
    await new Promise((r) => setTimeout(r, 5));
    longest = Math.max(longest, performance.now() - last);
  } finally {
    clearInterval(ticker);
  }
  return longest;
}

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
      const index = await leaks.loadIndex();
      const indexMs = performance.now() - t0;
      const worker = new OutputCheckWorker();
      await worker.check(index, [{ output: bundle(1000, 1) }]); // started, index sent
      const metrics: Record<string, number> = { index_build_ms: indexMs };
      const ratios: Record<string, number> = {};
      for (const [label, bytes] of [
        ['100kb', 100_000],
        ['1mb', 1_000_000],
      ] as const) {
        const outputs: NotebookOutput[] = Array.from({ length: 5 }, (_, i) => bundle(bytes, i + 1));
        const raw: number[] = [];
        const inWorker: number[] = [];
        const local: number[] = [];
        const rounds = bytes > 500_000 ? 10 : 40;
        for (let r = 0; r < rounds; r++) {
          const o = outputs[r % outputs.length]!;
          const a = performance.now();
          holdsRawValue(index, o);
          const b = performance.now();
          checkOutput(o);
          const c = performance.now();
          await worker.check(index, [{ output: o }]);
          const d = performance.now();
          if (r >= 2) {
            raw.push(b - a);
            local.push(c - b);
            inWorker.push(d - c);
          }
        }
        metrics[`raw_value_check_${label}_p50_ms`] = median(raw);
        metrics[`review_check_${label}_p50_ms`] = median(local);
        metrics[`raw_value_check_worker_${label}_p50_ms`] = median(inWorker);
        ratios[`raw_value_check_over_review_check_${label}`] = median(raw) / median(local);
        ratios[`raw_value_check_worker_over_review_check_${label}`] =
          median(inWorker) / median(local);
        if (bytes < 500_000) continue;
        const stallMain: number[] = [];
        const stallWorker: number[] = [];
        for (let r = 0; r < 5; r++) {
          const o = outputs[r % outputs.length]!;
          stallMain.push(await longestStall(async () => holdsRawValue(index, o)));
          stallWorker.push(await longestStall(() => worker.check(index, [{ output: o }])));
        }
        metrics[`main_thread_stall_${label}_on_main_ms`] = median(stallMain);
        metrics[`main_thread_stall_${label}_in_worker_ms`] = median(stallWorker);
        ratios[`main_thread_stall_in_worker_over_on_main_${label}`] =
          median(stallWorker) / median(stallMain);
        // An export of a notebook with this output (approved, so kept and looked up), from its
        // request body's bytes: parse, filter (rules, hashes, lookups) and serialize on the main
        // thread vs all in the worker (as POST /exports does: the main thread reads the stores).
        const exportStall = async (o: NotebookOutput, inWorker: boolean): Promise<number> => {
          const notebook = exportedNotebook(o);
          const body = { experiment: 'bench', name: 'bench.ipynb', notebook };
          const bytes = new TextEncoder().encode(JSON.stringify(body)); // moved to the worker
          const approved = new Map([[await outputContentHash(o), 'review-1']]);
          const lookups = exportLookups(notebook, loaded.policy.export, {
            releaseCommitted: () => false,
            approved: () => approved,
            views: () => [],
          });
          return longestStall(async () => {
            if (inWorker) {
              const { handle } = await worker.open('export', bytes);
              return worker.filterOpenedExport(index, handle, lookups);
            }
            const request = parseExportRequest(parseJsonBody(bytes));
            const filtered = await filterWithLookups(request.notebook, lookups, async (items) =>
              rawValueVerdicts(index, items),
            );
            return new TextEncoder().encode(JSON.stringify(filtered.notebook));
          });
        };
        // A review request of this output, from its body's bytes: parse, check (rules, hash,
        // lookup) and serialize the output to store there or in the worker (as POST /reviews does).
        const reviewStall = async (o: NotebookOutput, inWorker: boolean): Promise<number> => {
          const body = { experiment: 'bench', output: o, justification: 'bench' };
          const bytes = new TextEncoder().encode(JSON.stringify(body));
          const rules = { exportRules: loaded.policy.export, releases: [], viewsUsed: [] };
          return longestStall(async () => {
            if (inWorker) {
              const { handle } = await worker.open('review', bytes);
              return worker.checkOpenedReview(index, handle, rules);
            }
            const request = submitBody(parseJsonBody(bytes));
            const checked = await checkSubmitted(
              { output: request.output, streamContext: '', ...rules },
              (item) => rawValueVerdicts(index, [item])[0]!,
            );
            return { checked, outputJson: JSON.stringify(request.output) };
          });
        };
        const reviewMain: number[] = [];
        const reviewWorker: number[] = [];
        for (let r = 0; r < 5; r++) {
          const o = outputs[r % outputs.length]!;
          reviewMain.push(await reviewStall(o, false));
          reviewWorker.push(await reviewStall(o, true));
        }
        metrics[`review_stall_${label}_check_on_main_ms`] = median(reviewMain);
        metrics[`review_stall_${label}_check_in_worker_ms`] = median(reviewWorker);
        ratios[`review_stall_check_in_worker_over_on_main_${label}`] =
          median(reviewWorker) / median(reviewMain);
        const exportMain: number[] = [];
        const exportWorker: number[] = [];
        for (let r = 0; r < 5; r++) {
          const o = outputs[r % outputs.length]!;
          exportMain.push(await exportStall(o, false));
          exportWorker.push(await exportStall(o, true));
        }
        metrics[`export_stall_${label}_filter_on_main_ms`] = median(exportMain);
        metrics[`export_stall_${label}_filter_in_worker_ms`] = median(exportWorker);
        ratios[`export_stall_filter_in_worker_over_on_main_${label}`] =
          median(exportWorker) / median(exportMain);
      }
      await worker.close();
      return {
        name: 'leak-outputs: the gateway’s raw-value check of a shown output vs the local review check',
        metrics,
        ratios,
        notes: [
          `index: ${PEOPLE.toLocaleString('en-US')} people × (person_id, name, email), keyed HMAC tags`,
          'per output: every run of 1–4 words of its visible text (as drawn and as folded) looked up; local: checkOutput of the same output, timed in turns',
          'the hosts batch outputs shown together into one call and cache verdicts by content, so a redraw costs nothing',
          'POST /leak-check/outputs checks in a worker thread: "worker" latency includes copying the output to it; the stall is the longest gap between 1 ms ticks of the main thread during one 1 MB check',
          'review stall: the same gap while a review request of that output is handled from its body bytes (parse, rules, content hash, raw-value lookup, the output serialized to store) on the main thread vs in the worker (as POST /reviews does)',
          'export stall: the same gap while an export of a one-cell notebook with that output (approved, so kept and looked up) is handled from its body bytes (parse, rules, hashes, raw-value lookups, the notebook serialized) on the main thread vs in the worker (as POST /exports does; the main thread only reads the stores)',
        ],
      };
    } finally {
      services.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
