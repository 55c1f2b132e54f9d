/**
 * The JupyterLab output gate's list of the gateway's views (jupyter-ext gate/gate.ts,
 * core client/view-list.ts), which the row-level rule reads: a view published while the analyst stays
 * signed in is loaded when the experiment changes, and by a check once the list is 30 s old (at
 * most one load per 30 s, never two at once), so `df.head()` of it is held; one failed GET /views
 * is retried after 2 s, 4 s, … at most every 60 s until it loads (and no longer after sign-out),
 * and meanwhile a held table does not ask for a pointless review but says the views could not be
 * loaded and how to fix it, while it stays held (fail closed). Without a browser, with a fake
 * gateway client and Node's mocked timers where the real delays count.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, mock, test } from 'node:test';
import { Signal } from '@lumino/signaling';
import { GatewayError } from '@privet/core/client/index';
import type { NotebookOutput, ReviewResult } from '@privet/core/review/index';
import { expectViewsRetries, settle } from '../views-retry.js';
import { fakeGateServices } from './fakes.js';

// Loaded by path: test/tsconfig.json type-checks test/ as its own project (no JupyterLab types),
// so a static import of jupyter-ext/src would not compile there. The shapes below are the parts of
// it this test uses.

/** A view as GET /views lists it, as far as the row-level rule reads it. */
interface ListedView {
  name: string;
  tier: 'masked';
  source: string;
  published: boolean;
  columns: { name: string; type: string; operator: string }[];
  manifest: { kAnonymity: { quasiIdentifiers: string[] } };
}
/** core client/view-list.ts's timing. */
interface ViewsTiming {
  retryFirstMs: number;
  retryMaxMs: number;
  staleMs: number;
  now(): number;
}
/** jupyter-ext gate/gate.ts's OutputGate, as far as used here. */
interface Gate {
  changed: Signal<object, void>;
  checkContext(): { name: string }[] | null;
  checkOnce(output: NotebookOutput): ReviewResult;
  approval(experiment: string | null, hash: string): Promise<{ state: string } | null>;
  readonly viewsProblem: { reason: string; fix: string } | null;
}

const { OutputGate } = (await import(
  new URL('../../jupyter-ext/src/gate/gate.ts', import.meta.url).href
)) as { OutputGate: new (services: unknown, timing?: ViewsTiming) => Gate };

/** The placeholder's state line, from what its review lookup rejected with (held-text.ts). */
const { approvalLookupProblem, heldStateText } = (await import(
  new URL('../../jupyter-ext/src/gate/held-text.ts', import.meta.url).href
)) as {
  approvalLookupProblem(error: unknown): { reason: string; fix: string } | undefined;
  heldStateText(props: {
    state: 'unavailable';
    findings: [];
    unavailable?: { reason: string; fix: string };
  }): string;
};

/** A published masked view with these columns, the first two its quasi-identifiers. */
function maskedView(name: string, columns: string[]): ListedView {
  return {
    name,
    tier: 'masked',
    source: name,
    published: true,
    columns: columns.map((c) => ({ name: c, type: 'VARCHAR', operator: 'keep' })),
    manifest: { kAnonymity: { quasiIdentifiers: columns.slice(0, 2) } },
  };
}

const PEOPLE = maskedView('people_masked', ['city', 'age', 'income']);
/** The view the steward publishes while the analyst stays signed in. */
const VISITS = maskedView('visits_masked', ['clinic', 'visit_month', 'patient_token']);

/** `df.head(12)` of visits_masked, as pandas prints it. */
const VISITS_HEAD: NotebookOutput = {
  output_type: 'execute_result',
  execution_count: 1,
  metadata: {},
  data: {
    'text/plain': [
      '   clinic  visit_month  patient_token',
      ...Array.from(
        { length: 12 },
        (_, i) => `${i}  C${i % 3}  2024-0${(i % 9) + 1}-1${i % 9}  tok_${i}ab`,
      ),
    ].join('\n'),
  },
};

/** A fake gateway: GET /views answers `views` (or fails `failures` more times); nothing reviewed. */
function fakeGateway(views: ListedView[]) {
  const state = { views, failures: 0, calls: 0, pending: 0, mostPending: 0 };
  const client = {
    baseUrl: 'http://127.0.0.1:1',
    async listViews(): Promise<{ views: ListedView[] }> {
      state.calls += 1;
      state.pending += 1;
      state.mostPending = Math.max(state.mostPending, state.pending);
      await Promise.resolve();
      state.pending -= 1;
      if (state.failures > 0) {
        state.failures -= 1;
        throw new GatewayError('the gateway answered HTTP 503', 'start the gateway', 'http', 503);
      }
      return { views: state.views };
    },
    async reviewStatus(body: { contentHashes: string[] }) {
      await Promise.resolve();
      return {
        statuses: body.contentHashes.map((contentHash) => ({ contentHash, state: 'none' })),
      };
    },
  };
  return { client, state };
}

/** Names of the views the gate checks with, or null while unknown. */
const known = (gate: Gate): string[] | null => gate.checkContext()?.map((v) => v.name) ?? null;

/** A gate, signed in to a fake gateway listing `views`, with a clock the test moves. */
async function signedInGate(views: ListedView[], failures = 0) {
  const gateway = fakeGateway(views);
  gateway.state.failures = failures;
  const clock = { now: 1_000_000 };
  const timing: ViewsTiming = {
    retryFirstMs: 2_000,
    retryMaxMs: 60_000,
    staleMs: 30_000,
    now: () => clock.now,
  };
  const fake = fakeGateServices<unknown>(null, 'exp-1');
  const gate = new OutputGate(fake.services, timing);
  fake.signIn(gateway.client);
  await settle();
  return { gate, gateway, fake, clock };
}

const warn = console.warn;
afterEach(() => {
  console.warn = warn;
  mock.timers.reset();
});

describe('JupyterLab gate: views published while signed in', () => {
  test('another experiment loads the views again: df.head() of a new view is held', async () => {
    const { gate, gateway, fake } = await signedInGate([PEOPLE]);
    assert.deepEqual(known(gate), ['people_masked']);
    assert.equal(gate.checkOnce(VISITS_HEAD).verdict, 'pass'); // not a known view yet

    gateway.state.views = [PEOPLE, VISITS]; // published; the gateway restarted
    fake.select('exp-2');
    await settle();

    assert.deepEqual(known(gate), ['people_masked', 'visits_masked']);
    const result = gate.checkOnce(VISITS_HEAD);
    assert.equal(result.verdict, 'flag');
    assert.ok(result.findings.some((f) => f.rule === 'row-level'));
    fake.signIn(null);
  });

  test('a check reloads a list older than 30 s, at most once per 30 s', async () => {
    const { gate, gateway, fake, clock } = await signedInGate([PEOPLE]);
    assert.equal(gateway.state.calls, 1);
    gateway.state.views = [PEOPLE, VISITS];

    clock.now += 29_000;
    gate.checkOnce(VISITS_HEAD);
    await settle();
    assert.equal(gateway.state.calls, 1, 'a list younger than 30 s is not loaded again');

    clock.now += 2_000;
    for (let i = 0; i < 20; i++) gate.checkOnce(VISITS_HEAD); // many outputs at once
    await settle();
    assert.equal(gateway.state.calls, 2, 'one reload for the many checks');
    assert.equal(gateway.state.mostPending, 1, 'never two loads in flight');
    assert.equal(gate.checkOnce(VISITS_HEAD).verdict, 'flag');

    clock.now += 10_000;
    gate.checkOnce(VISITS_HEAD);
    await settle();
    assert.equal(gateway.state.calls, 2, 'at most one reload per 30 s');
    fake.signIn(null);
  });

  test('held outputs are decided again when the reloaded list changed, not when it is the same', async () => {
    const { gate, gateway, fake } = await signedInGate([PEOPLE]);
    let changes = 0;
    gate.changed.connect(() => void (changes += 1));
    fake.select('exp-1b');
    await settle();
    const afterSameList = changes;
    gateway.state.views = [PEOPLE, VISITS];
    fake.select('exp-2');
    await settle();
    assert.equal(changes, afterSameList + 2, 'the selection, then the new list');
    fake.signIn(null);
  });
});

describe('JupyterLab gate: a failed GET /views is retried', () => {
  test('after 2 s, 4 s, 8 s, … at most every 60 s, until it loads', async () => {
    console.warn = () => undefined;
    mock.timers.enable({ apis: ['setTimeout'] });
    const { gate, gateway, fake } = await signedInGate([PEOPLE, VISITS], 7);
    let changes = 0;
    gate.changed.connect(() => void (changes += 1));
    await expectViewsRetries(
      () => gateway.state.calls,
      () => known(gate) === null,
    );
    assert.deepEqual(known(gate), ['people_masked', 'visits_masked']);
    assert.ok(changes >= 1, 'held outputs are decided again with the views');
    assert.equal(gate.checkOnce(VISITS_HEAD).verdict, 'flag');
    mock.timers.tick(600_000);
    await settle();
    assert.equal(gateway.state.calls, 8, 'no retries once loaded');
    fake.signIn(null);
  });

  test('no more retries after sign-out', async () => {
    console.warn = () => undefined;
    mock.timers.enable({ apis: ['setTimeout'] });
    const { gateway, fake } = await signedInGate([PEOPLE], 1_000);
    mock.timers.tick(2_000);
    await settle();
    assert.equal(gateway.state.calls, 2);
    fake.signIn(null);
    mock.timers.tick(600_000);
    await settle();
    assert.equal(gateway.state.calls, 2);
  });

  test('meanwhile a held table stays held and says why instead of "Not reviewed"', async () => {
    console.warn = () => undefined;
    mock.timers.enable({ apis: ['setTimeout'] });
    const { gate, gateway, fake } = await signedInGate([PEOPLE, VISITS], 1);

    const held = gate.checkOnce(VISITS_HEAD);
    assert.equal(held.verdict, 'flag', 'fail closed while the views are unknown');
    assert.match(gate.viewsProblem?.reason ?? '', /list of views could not be loaded.*HTTP 503/);
    assert.match(gate.viewsProblem?.fix ?? '', /start the gateway/);
    // The placeholder's review lookup: no "Not reviewed. Request a review", but what happened.
    await assert.rejects(gate.approval('exp-1', 'hash-1'), (error: Error) => {
      assert.match(error.message, /list of views could not be loaded/);
      assert.match(error.message, /Fix: start the gateway/);
      // What GatedOutput.decideHeld gives the placeholder: why the views are unknown, not a
      // general "the gateway could not be asked".
      const line = heldStateText({
        state: 'unavailable',
        findings: [],
        unavailable: approvalLookupProblem(error),
      });
      assert.match(line, /^This output stays hidden: the gateway's list of views could not be /);
      assert.match(line, /HTTP 503.*a review would not release them\. Fix: start the gateway/);
      assert.match(line, /Privet tries again on its own, or choose Check again\.$/);
      return true;
    });

    mock.timers.tick(2_000);
    await settle();
    assert.equal(gateway.state.calls, 2);
    assert.equal(gate.viewsProblem, null);
    assert.deepEqual(await gate.approval('exp-1', 'hash-1'), {
      state: 'none',
      reviewId: undefined,
    });
    fake.signIn(null);
  });
});
