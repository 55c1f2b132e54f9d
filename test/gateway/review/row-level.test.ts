/**
 * The row-level rule at the gateway: a table of a masked view's rows carrying its
 * quasi-identifiers is held on screen by both hosts (they check with every view the user may
 * list), so the export must withhold it and a reviewer must be able to take it. The gateway reads
 * the views from its policy (security review: it checked with no views and exported the rows as
 * "passed", and refused the review request as needing none).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExportBundle, ReviewRequest } from '@privet/core';
import { EXPERIMENT, PEOPLE, startReviewGateway, type ReviewGateway } from './fixture.js';

/** A second masked view of the fixture's people, k-anonymous over city. */
const BY_CITY = `  people_by_city:
    tier: masked
    source: people
    columns:
      person_id: { op: token, join_group: person }
      city: { op: keep }
      income: { op: keep }
    k_anonymity: { k: 5, quasi_identifiers: [city], max_suppressed_fraction: 0.1 }
`;

/** `df.head(30)` of people_by_city as pandas draws it: token, city and income per person. */
function headOfView(): Record<string, unknown> {
  const rows = PEOPLE.map(
    (p, i) =>
      `<tr><th>${i}</th><td>tok_${(p.person_id * 7919).toString(16)}</td><td>${p.city}</td><td>${p.income}</td></tr>`,
  ).join('');
  return {
    output_type: 'execute_result',
    execution_count: 2,
    data: {
      'text/html': `<table border="1" class="dataframe"><thead><tr><th></th><th>person_id</th><th>city</th><th>income</th></tr></thead><tbody>${rows}</tbody></table>`,
      'text/plain': '<DataFrame: 30 rows>',
    },
    metadata: {},
  };
}

let g: ReviewGateway;
before(async () => {
  g = await startReviewGateway(BY_CITY);
});
after(async () => g.stop());

describe('row-level data at the gateway', () => {
  test('an export withholds a masked view’s rows under row-level', async () => {
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        {
          cell_type: 'code',
          metadata: {},
          source: "df = load_view('people_by_city')\ndf.head(30)",
          execution_count: 2,
          outputs: [headOfView()],
        },
      ],
    };
    const res = await g.call('POST', '/exports', 'ana', {
      experiment: EXPERIMENT,
      name: 'rows.ipynb',
      notebook,
    });
    assert.equal(res.status, 201);
    const bundle = (await res.json()) as ExportBundle;
    assert.deepEqual(
      bundle.manifest.outputs.map((l) => [l.status, l.rules]),
      [['withheld', ['row-level']]],
    );
    assert.ok(!JSON.stringify(bundle.notebook).includes('Lyon</td>'), 'no row left the sandbox');
  });

  test('a reviewer can be asked about them (the submission is flagged, not refused)', async () => {
    const res = await g.call('POST', '/reviews', 'ana', {
      experiment: EXPERIMENT,
      output: headOfView(),
      justification: 'a sample of rows for the appendix',
    });
    assert.equal(res.status, 201, await res.clone().text());
    const request = (await res.json()) as ReviewRequest;
    assert.equal(request.verdict, 'flag');
    assert.deepEqual([...new Set(request.findings.map((f) => f.rule))], ['row-level']);
  });
});
