/**
 * Control characters in what people write about an experiment (its proposal, decision and
 * dissolution notes) are refused with a 400 that names the field and never repeats the text: in a
 * steward's terminal they could forge lines or set the clipboard. Line breaks and tabs stay
 * allowed in long texts; a title also refuses bidirectional overrides.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../gateway/src/audit/service-error.js';
import { makeEnv, proposal, who, type Env } from './fixture.js';

/** The exploit of the security review: erase the line, forge a row, set title and clipboard. */
const FORGED =
  'Income\u001b[2K\r\u001b[1Aexp-review\tapproved\tall good\u001b]0;owned\u0007\u001b]52;c;ZWNobyBvd25lZA==\u0007';

let env: Env;
beforeEach(() => {
  env = makeEnv();
});
afterEach(() => env.close());

/** The ServiceError `fn` throws (fails the test when it throws nothing or something else). */
function refusal(fn: () => unknown): ServiceError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ServiceError, String(error));
    return error;
  }
  assert.fail('expected a refusal');
}

// eslint-disable-next-line no-control-regex -- finding control characters is what this test does
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/;

/** Checks a 400 names `field`, says how to fix it and quotes none of `text`. */
function assertNamesField(e: ServiceError, field: RegExp, text: string): void {
  assert.equal(e.status, 400);
  assert.equal(e.code, 'bad_request');
  assert.match(e.message, field);
  assert.match(e.message, /control character|bidirectional/);
  assert.match(e.fix, /remove/);
  const said = e.message + e.fix;
  assert.ok(!CONTROL.test(said), said);
  for (const piece of text.split(CONTROL).filter((p) => p.length >= 4))
    assert.ok(!said.includes(piece), `the refusal repeats "${piece}"`);
}

describe('a proposal with control characters', () => {
  const alice = () => who(env.policy, 'alice');

  test('the forged title is refused, naming "title" and the character, and nothing is stored', () => {
    const e = refusal(() =>
      env.experiments.propose(alice(), proposal('exp-forged', { title: FORGED })),
    );
    assertNamesField(e, /"title"/, FORGED);
    assert.match(e.message, /U\+001B, character 7/);
    assert.equal(e.reason, 'experiment.bad-proposal');
    assert.deepEqual(env.experiments.list(who(env.policy, 'sam')), []);
  });

  test('a title is one line: a line break, tab or C1 control is refused too', () => {
    for (const title of ['Income\nby city', 'Income\tby city', 'Income\u009b2Kby city']) {
      const e = refusal(() => env.experiments.propose(alice(), proposal('exp-t', { title })));
      assertNamesField(e, /"title"/, title);
    }
  });

  test('a title with a bidirectional override or isolate is refused; the purpose may hold one', () => {
    for (const cp of [0x202a, 0x202e, 0x2066, 0x2069]) {
      const title = `Income by ${String.fromCodePoint(cp)}ytic`;
      const e = refusal(() => env.experiments.propose(alice(), proposal('exp-b', { title })));
      assertNamesField(e, /"title"/, title);
      assert.match(e.message, /bidirectional/);
    }
    const e = env.experiments.propose(
      alice(),
      proposal('exp-rtl', { purpose: 'Quote \u2067مرحبا\u2069 in the report' }),
    );
    assert.equal(e.id, 'exp-rtl');
  });

  test('the purpose may span lines with tabs (LF or CR LF), but an ESC or a lone CR is refused', () => {
    const purpose = 'Line one\n\tindented\r\nline three';
    const e = env.experiments.propose(alice(), proposal('exp-lines', { purpose }));
    assert.equal(e.purpose, purpose);
    for (const bad of ['Counts\u001b[31m in red', 'Counts\rforged', 'Bell\u0007']) {
      const r = refusal(() =>
        env.experiments.propose(alice(), proposal('exp-p', { purpose: bad })),
      );
      assertNamesField(r, /"purpose"/, bad);
      assert.match(r.fix, /line breaks and tabs are fine/);
    }
  });

  test('an item of a list field is refused naming the field and the item', () => {
    const analyses = ['dp_mean', 'dp_count\u001b]52;c;eA==\u0007'];
    const e = refusal(() => env.experiments.propose(alice(), proposal('exp-l', { analyses })));
    assertNamesField(e, /"analyses" item 2/, analyses[1]!);
    for (const field of ['dataCategories', 'expectedOutputs', 'views', 'members'] as const) {
      const r = refusal(() =>
        env.experiments.propose(alice(), proposal('exp-l', { [field]: ['x\u001b[2Ky'] })),
      );
      assertNamesField(r, new RegExp(`"${field}" item 1`), 'x\u001b[2Ky');
    }
  });

  test('the refusal is audited as a refused proposal', () => {
    refusal(() => env.experiments.propose(alice(), proposal('exp-a', { title: FORGED })));
    const last = env.audit.entries({ fromSeq: 0, limit: 100 }).at(-1);
    assert.equal(last?.action, 'experiment.refused');
    assert.equal(last?.details.reason, 'experiment.bad-proposal');
    assert.ok(!JSON.stringify(last).includes('\u001b'));
  });
});

describe('decision and dissolution notes with control characters', () => {
  test('approve, reject and dissolve refuse the note, naming "note", and change nothing', async () => {
    const sam = who(env.policy, 'sam');
    const note = 'ok\u001b[1A\u001b[2Kapproved by the board';
    env.experiments.propose(who(env.policy, 'alice'), proposal('exp-n'));
    assertNamesField(
      refusal(() => env.experiments.approve(sam, 'exp-n', note)),
      /"note"/,
      note,
    );
    assertNamesField(
      refusal(() => env.experiments.reject(sam, 'exp-n', note)),
      /"note"/,
      note,
    );
    assert.equal(env.experiments.get(sam, 'exp-n').state, 'proposal');
    const approved = env.experiments.approve(sam, 'exp-n', 'fine:\n\tsee the minutes');
    assert.equal(approved.decisionNote, 'fine:\n\tsee the minutes');
    await assert.rejects(env.experiments.dissolve(sam, 'exp-n', note), (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assertNamesField(e, /"note"/, note);
      assert.equal(e.reason, 'experiment.bad-note');
      return true;
    });
    assert.equal(env.experiments.get(sam, 'exp-n').state, 'approved');
  });
});
