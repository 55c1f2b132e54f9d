/**
 * A stream part is checked as the continuation of the earlier parts of its stream in the cell, so
 * its approval covers those parts too: "3" approved after "clinics north" is exported after the
 * same header, and withheld after "HIV" (the same text completing another small count).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExportManifestOutput, ReviewRequest } from '@privet/core';
import { EXPERIMENT, startReviewGateway, type ReviewGateway } from './fixture.js';

let g: ReviewGateway;
before(async () => {
  g = await startReviewGateway();
});
after(async () => g.stop());

const part = { output_type: 'stream', name: 'stdout', text: '3\n' };
const regions = 'clinics   count\nnorth     ';
const diagnoses = 'diagnosis   patients\nflu         1200\nasthma      900\nHIV         ';

/** A notebook whose one cell prints `before`, writes to stderr (splitting stdout), then the part. */
function notebookAfter(before: string) {
  const outputs = [
    { output_type: 'stream', name: 'stdout', text: before },
    { output_type: 'stream', name: 'stderr', text: 'warning\n' },
    part,
  ];
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ cell_type: 'code', metadata: {}, source: 'print(t)', execution_count: 1, outputs }],
  };
}

/** The export manifest's line for the part (cell 0, output 2). */
async function exportedPart(before: string): Promise<ExportManifestOutput> {
  const res = await g.call('POST', '/exports', 'ana', {
    experiment: EXPERIMENT,
    name: 'counts.ipynb',
    notebook: notebookAfter(before),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const bundle = (await res.json()) as { manifest: { outputs: ExportManifestOutput[] } };
  const line = bundle.manifest.outputs.find((l) => l.cellIndex === 0 && l.outputIndex === 2);
  assert.ok(line);
  return line;
}

describe('approving a stream part', () => {
  test('covers it after the parts it was submitted with, not after others', async () => {
    const submitted = await g.call('POST', '/reviews', 'ana', {
      experiment: EXPERIMENT,
      output: part,
      streamContext: regions,
      justification: 'three clinics in the north region, not people',
    });
    assert.equal(submitted.status, 201, await submitted.clone().text());
    const review = (await submitted.json()) as ReviewRequest;
    const decided = await g.call('POST', `/reviews/${review.id}/decision`, 'rev', {
      decision: 'approve',
    });
    assert.equal(decided.status, 200, await decided.clone().text());

    const same = await exportedPart(regions);
    assert.equal(same.status, 'approved');
    assert.equal(same.reviewId, review.id);
    const other = await exportedPart(diagnoses);
    assert.equal(other.status, 'withheld', 'the same "3" completing another table');
    assert.ok(other.rules?.includes('small-cell'), JSON.stringify(other.rules));
  });
});
