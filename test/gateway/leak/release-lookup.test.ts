/**
 * A DP release shown alone is looked up in the raw-value index by its text, not its numbers
 * (core review/dp-release.ts `wholeRelease`, `releaseLookupOutput`; gateway leak/service.ts and
 * export/filter.ts). The text fallback's runs of noisy numbers ("1,234,567 [1,100,000, …") read as
 * phone-like ids, so a paid release was held as "raw identifier value", which no review can
 * approve, and export withheld. The release's own text (the SQL) is still looked up; an imitation,
 * or a release with anything else beside it, is looked up whole.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type {
  DpQueryResponse,
  DpRelease,
  ExportBundle,
  OutputLeakCheckResponse,
} from '@privet/core';
import { releaseText } from '@privet/core/client/release-format';
import { DP_RELEASE_MIME, leakCandidates, type NotebookOutput } from '@privet/core/review/index';
import { leakKeys } from '../../../gateway/src/leak/normalize.js';
import { EXPERIMENT, startReviewGateway, type ReviewGateway } from '../review/fixture.js';

let g: ReviewGateway;
before(async () => {
  g = await startReviewGateway();
});
after(() => g.stop());

/** The release as both hosts write it: its own MIME part and core's text fallback. */
const releaseOutput = (release: DpRelease, text = releaseText(release)): NotebookOutput =>
  ({
    output_type: 'display_data',
    data: { [DP_RELEASE_MIME]: release, 'text/plain': text },
    metadata: {},
  }) as unknown as NotebookOutput;

/** POST /leak-check/outputs as ana: one verdict per output. */
async function rawValues(outputs: NotebookOutput[]): Promise<boolean[]> {
  const res = await g.call('POST', '/leak-check/outputs', 'ana', {
    experiment: EXPERIMENT,
    outputs: outputs.map((output) => ({ output })),
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as OutputLeakCheckResponse).rawValue;
}

/** Adds a person whose phone is `phone` to the raw file (the index is rebuilt on its next use). */
function addRawPhone(phone: string): void {
  const csv = join(g.dir, 'people.csv');
  appendFileSync(csv, `9998,late-9q@example.org,${phone},Eir Lindqvist98,Oslo,1000\n`);
  const later = new Date(Date.now() + 5000); // whole-second file times: move it visibly forward
  utimesSync(csv, later, later);
}

test('a paid release whose numbers read like a raw phone number is not held for them', async () => {
  const q = await g.call('POST', '/dp/query', 'ana', {
    experiment: EXPERIMENT,
    sql: 'SELECT SUM(income) AS total FROM people_dp',
    epsilon: '0.1',
    dryRun: false,
  });
  assert.equal(q.status, 200);
  const { release } = (await q.json()) as DpQueryResponse;
  const shown = releaseOutput(release);
  // A run of the fallback's numbers that the index reads as a phone-like id (7+ digits).
  const text = { output_type: 'stream', name: 'stdout', text: releaseText(release) } as const;
  const run = leakCandidates(text as unknown as NotebookOutput, 4).find((c) =>
    leakKeys(c).some((k) => k.startsWith('#')),
  );
  assert.ok(run, `no phone-like run in ${JSON.stringify(releaseText(release))}`);
  addRawPhone(run);

  const [alone, asText, imitation, withMore] = await rawValues([
    shown,
    text as unknown as NotebookOutput,
    // The same id with other numbers: not what the ledger committed.
    releaseOutput({ ...release, rows: [] }, releaseText(release)),
    // The release with something else beside it.
    releaseOutput(release, `${releaseText(release)}\nnote`),
  ]);
  assert.equal(asText, true, 'the run is a raw value when printed as text');
  assert.equal(alone, false, 'the committed release alone is not held for its numbers');
  assert.equal(imitation, true, 'an imitation is looked up whole');
  assert.equal(withMore, true, 'anything beside the release is looked up with it');

  // Export reads it the same way: the release leaves; the run printed as text is withheld.
  const res = await g.call('POST', '/exports', 'ana', {
    experiment: EXPERIMENT,
    name: 'release.ipynb',
    notebook: {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        {
          cell_type: 'code',
          source: '# release',
          metadata: {},
          execution_count: 1,
          outputs: [shown, text],
        },
      ],
    },
  });
  assert.equal(res.status, 201, await res.clone().text());
  const bundle = (await res.json()) as ExportBundle;
  assert.deepEqual(
    bundle.manifest.outputs.map((o) => o.status),
    ['passed', 'withheld'],
  );
});

test("a committed release is still held for a raw value in its own text (the analyst's SQL)", async () => {
  const phone = '+1 415-555-7788';
  addRawPhone(phone);
  const q = await g.call('POST', '/dp/query', 'ana', {
    experiment: EXPERIMENT,
    sql: `SELECT COUNT(*) AS n FROM people_dp -- ${phone}`,
    epsilon: '0.1',
    dryRun: false,
  });
  assert.equal(q.status, 200, await q.clone().text());
  const { release } = (await q.json()) as DpQueryResponse;
  assert.ok(release.sql.includes(phone));
  assert.deepEqual(await rawValues([releaseOutput(release)]), [true]);
});
