/**
 * The free texts of the reviewer workflow (a submission's justification, notebook path, cell id
 * and cell code; a decision's comment; a comment) refuse control characters with a 400 naming the
 * field, never repeating the text. The output and its stream context are data the kernel wrote
 * (colours, progress bars): they are reviewed as they are, never refused for control characters.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiError, ReviewRequest } from '@privet/core';
import { EXPERIMENT, smallCellTable, startReviewGateway, type ReviewGateway } from './fixture.js';

const OSC52 = '\u001b]52;c;ZWNobyBvd25lZA==\u0007';

let g: ReviewGateway;
before(async () => {
  g = await startReviewGateway();
});
after(async () => g.stop());

/** A distinct flagged output per call (the same content cannot be submitted twice). */
let small = 1;
const submission = (extra: Record<string, unknown>) => ({
  experiment: EXPERIMENT,
  output: smallCellTable(small++),
  justification: 'aggregate table for the report',
  ...extra,
});

/** A raw control character, or a JSON escape of ESC or BEL, in an answer. */
// eslint-disable-next-line no-control-regex -- finding control characters is what this test does
const CONTROL = /[\u0000-\u001f\u007f-\u009f]|\\u00(1b|07)/i;

/** Checks a 400 ApiError names `field`, has a fix and repeats no control character or text. */
async function assertRefused(res: Response, field: RegExp): Promise<void> {
  const text = await res.text();
  assert.equal(res.status, 400, text);
  assert.ok(!CONTROL.test(text), text);
  assert.ok(!text.includes('ZWNobyBvd25lZA'), text);
  const { error } = JSON.parse(text) as ApiError;
  assert.equal(error.code, 'bad_request');
  assert.match(error.message, field);
  assert.match(error.message, /control character/);
  assert.match(error.fix, /remove control characters/);
}

describe('submitting an output for review', () => {
  test('a justification with an ESC sequence gets 400 naming "justification"', async () => {
    await assertRefused(
      await g.call('POST', '/reviews', 'ana', submission({ justification: `ok${OSC52}` })),
      /"justification"/,
    );
    await assertRefused(
      await g.call('POST', '/reviews', 'ana', submission({ justification: 'ok\rforged line' })),
      /"justification"/,
    );
  });

  test('the notebook path, cell id and cell code refuse control characters too', async () => {
    for (const [field, value] of [
      ['notebook', 'work/a\nb.ipynb'],
      ['cellId', `cell${OSC52}`],
      ['cellSource', `df.head()\n# ${OSC52}`],
    ] as const)
      await assertRefused(
        await g.call('POST', '/reviews', 'ana', submission({ [field]: value })),
        new RegExp(`"${field}"`),
      );
  });

  test('multi-line texts keep line breaks and tabs (LF or CR LF); the request is stored', async () => {
    const res = await g.call(
      'POST',
      '/reviews',
      'ana',
      submission({
        justification: 'Counts per city:\n\t- aggregated\r\n\t- no names',
        cellSource: 'for c in cities:\r\n\tprint(c)\n',
      }),
    );
    assert.equal(res.status, 201, await res.clone().text());
    const r = (await res.json()) as ReviewRequest;
    assert.equal(r.justification, 'Counts per city:\n\t- aggregated\r\n\t- no names');
  });

  test('a stream context with colours and carriage returns is output data, not refused', async () => {
    const res = await g.call('POST', '/reviews', 'ana', {
      experiment: EXPERIMENT,
      output: { output_type: 'stream', name: 'stdout', text: '3\n' },
      streamContext: 'loading 50%\rloading 100%\n\u001b[1mclinics   count\u001b[0m\nnorth     ',
      justification: 'three clinics in the north region, not people',
    });
    const text = await res.text();
    assert.ok(!/control character/.test(text), text);
    assert.equal(res.status, 201, text);
  });
});

describe('deciding and commenting', () => {
  test('a decision comment or a comment with an ESC sequence gets 400 naming the field', async () => {
    const submitted = await g.call('POST', '/reviews', 'ana', submission({}));
    assert.equal(submitted.status, 201, await submitted.clone().text());
    const { id } = (await submitted.json()) as ReviewRequest;
    await assertRefused(
      await g.call('POST', `/reviews/${id}/decision`, 'rev', {
        decision: 'reject',
        comment: `small cells${OSC52}`,
      }),
      /"comment"/,
    );
    await assertRefused(
      await g.call('POST', `/reviews/${id}/comments`, 'ana', { text: `see\u001b[2K\rthis` }),
      /"text"/,
    );
    const still = (await (await g.call('GET', `/reviews/${id}`, 'rev')).json()) as ReviewRequest;
    assert.equal(still.state, 'pending');
    assert.deepEqual(still.comments, []);
    const commented = await g.call('POST', `/reviews/${id}/comments`, 'ana', {
      text: 'Two lines:\n\tthe second indented',
    });
    assert.equal(commented.status, 201);
    const decided = await g.call('POST', `/reviews/${id}/decision`, 'rev', {
      decision: 'request_changes',
      comment: 'merge the small cells:\n\tLyon and Oslo',
    });
    assert.equal(decided.status, 200, await decided.clone().text());
  });
});
