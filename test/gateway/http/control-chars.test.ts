/**
 * Over HTTP, a proposal or a transition note holding terminal control sequences is refused with a
 * 400 ApiError naming the field, and never stored: it would reach a steward's terminal through
 * `privet experiment list`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiError, Experiment, ListExperimentsResponse } from '@privet/core';
import { startTestGateway, type TestGateway } from './fixture.js';

/** The exploit of the security review: erase the line, forge a row, set title and clipboard. */
const FORGED =
  'Income\u001b[2K\r\u001b[1Aexp-review\tapproved\tall good\u001b]0;owned\u0007\u001b]52;c;ZWNobyBvd25lZA==\u0007';

let g: TestGateway;
before(async () => {
  g = await startTestGateway();
});
after(async () => g.stop());

const ana = () => g.gateway.tokens.ana!;
const stu = () => g.gateway.tokens.stu!;

function post(path: string, token: string, body: unknown): Promise<Response> {
  return g.call('POST', `/api/v1${path}`, {
    token,
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  });
}

const proposal = (extra: Record<string, unknown>) => ({
  title: 'Income by city',
  purpose: 'Compare incomes',
  dataCategories: ['income'],
  views: ['people_masked'],
  analyses: ['counts'],
  expectedOutputs: ['tables'],
  ...extra,
});

/** A raw control character, or a JSON escape of ESC or BEL, in an answer. */
// eslint-disable-next-line no-control-regex -- finding control characters is what this test does
const CONTROL = /[\u0000-\u001f\u007f-\u009f]|\\u00(1b|07)/i;

/** Checks a 400 ApiError names `field`, has a fix and repeats no control character or text. */
async function assertRefused(res: Response, field: RegExp): Promise<ApiError['error']> {
  assert.equal(res.status, 400);
  const text = await res.text();
  assert.ok(!CONTROL.test(text), text);
  assert.ok(!text.includes('owned') && !text.includes('ZWNobyBvd25lZA'), text);
  const { error } = JSON.parse(text) as ApiError;
  assert.equal(error.code, 'bad_request');
  assert.match(error.message, field);
  assert.match(error.message, /control character/);
  assert.match(error.fix, /remove control characters/);
  return error;
}

describe('POST /experiments', () => {
  test('the forged title of the security review gets 400 naming "title", and is not stored', async () => {
    const res = await post('/experiments', ana(), proposal({ id: 'exp-forged', title: FORGED }));
    await assertRefused(res, /"title"/);
    const listed = (await (
      await g.call('GET', '/api/v1/experiments', { token: stu() })
    ).json()) as ListExperimentsResponse;
    assert.ok(!listed.experiments.some((e) => e.id === 'exp-forged'));
  });

  test('an ESC in the purpose or an analysis is refused naming it; line breaks in the purpose are fine', async () => {
    await assertRefused(
      await post('/experiments', ana(), proposal({ purpose: 'Compare\u001b]0;owned\u0007' })),
      /"purpose"/,
    );
    await assertRefused(
      await post(
        '/experiments',
        ana(),
        proposal({ analyses: ['counts', 'x\u001b]0;owned\u0007'] }),
      ),
      /"analyses" item 2/,
    );
    const ok = await post(
      '/experiments',
      ana(),
      proposal({ id: 'exp-lines', purpose: 'Compare incomes:\n\t- by city\n\t- by year' }),
    );
    assert.equal(ok.status, 201, await ok.clone().text());
    assert.equal(
      ((await ok.json()) as Experiment).purpose,
      'Compare incomes:\n\t- by city\n\t- by year',
    );
  });
});

describe('POST /experiments/:id/:transition', () => {
  test('a note with an ESC sequence gets 400 naming "note"; the experiment stays as it was', async () => {
    const made = await post('/experiments', ana(), proposal({ id: 'exp-note' }));
    assert.equal(made.status, 201);
    for (const transition of ['approve', 'reject']) {
      const res = await post(`/experiments/exp-note/${transition}`, stu(), {
        note: 'fine\u001b]0;owned\u0007',
      });
      await assertRefused(res, /"note"/);
    }
    const e = (await (
      await g.call('GET', '/api/v1/experiments/exp-note', { token: stu() })
    ).json()) as Experiment;
    assert.equal(e.state, 'proposal');
    assert.equal(e.decisionNote, undefined);
    const approved = await post('/experiments/exp-note/approve', stu(), { note: 'ok' });
    assert.equal(approved.status, 200);
    await assertRefused(
      await post('/experiments/exp-note/dissolve', ana(), {
        note: 'done\u001b]52;c;ZWNobyBvd25lZA==\u0007',
      }),
      /"note"/,
    );
  });
});
