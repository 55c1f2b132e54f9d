/**
 * Pickers whose list is read from the gateway (Select Experiment, New SQL/Python Cell for View,
 * Show Fidelity Report, Review Comments) open their quick pick at once, busy, titled as the command
 * with a "Loading …" placeholder, and fill it in when the list arrives; a failed load closes the
 * pick and the caller's error notification (with Show Log) says what failed; Escape while loading
 * closes it at once, and the list, or its failure, arriving later changes nothing. With the
 * in-memory VS Code API and stub gateway clients whose answers the tests release.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { pickWhileLoading } = await import('../../vscode-ext/src/shared/busy-pick.js');
const { pickExperiment } = await import('../../vscode-ext/src/sidebar/select-experiment.js');
const { pickView } = await import('../../vscode-ext/src/notebook/query-view.js');
const { pickSyntheticView } = await import('../../vscode-ext/src/synthetic/commands.js');
const { showConversation, REPLY_LABEL } =
  await import('../../vscode-ext/src/review/conversation-picker.js');
const { showError, SHOW_LOG } = await import('../../vscode-ext/src/shared/show-error.js');
const { GatewayError } = await import('../../vscode-ext/src/client/gateway.js');

/** A promise the test settles. */
interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** A promise and its resolve and reject. */
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks and timers of zero run. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** Whether `promise` has settled after the pending callbacks ran. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await settle();
  return done;
}

/** The quick pick made last. */
const lastPick = (): Fake.FakeQuickPick<{ label: string; kind?: number }> => {
  const pick = fake.createdQuickPicks.at(-1);
  assert.ok(pick, 'a quick pick was made with createQuickPick');
  return pick;
};

/** A log that records what it was given (the "Privet" output channel). */
function recordingLog(): { lines: string[]; error(m: string): void; show(): void } {
  const log = { lines: [] as string[], error: (m: string) => void log.lines.push(m), show() {} };
  return log;
}

const experiments = {
  experiments: [
    { id: 'e1', title: 'Study', state: 'running', views: ['people', 'people_syn'] },
    { id: 'e2', title: 'Pilot', state: 'approved', views: [] },
  ],
};
const views = {
  views: [
    { name: 'people', tier: 'masked', columns: [], published: true, rows: 3 },
    { name: 'people_syn', tier: 'synthetic', columns: [], published: true, rows: 3 },
  ],
};
const review = {
  id: 'rev-7',
  state: 'pending',
  comments: [{ author: 'rita', at: '2024-01-01T00:00:00Z', text: 'which groups?' }],
};
const refused = new GatewayError('the gateway is not reachable', 'start it and try again', 'down');

/**
 * A picker under test: `start` opens it with a client whose list call waits for `answer`;
 * `reportFailure` shows its rejection as the code that runs it does (extension.ts's showError).
 */
interface Picker {
  name: string;
  title: string;
  loading: RegExp;
  /** The label of an item the loaded pick offers, and what picking it returns. */
  item: string;
  picked: unknown;
  start(answer: Deferred<unknown>, log: ReturnType<typeof recordingLog>): Promise<unknown>;
  /** Answers `answer` with the list this picker asks for. */
  list(answer: Deferred<unknown>): void;
}

/** Runs `run` and, as extension.ts does, shows its failure as "Privet: <what> failed: …". */
async function asCommand(
  log: ReturnType<typeof recordingLog>,
  what: string,
  run: () => Promise<unknown>,
): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    await showError(log, what, error);
    return undefined;
  }
}

const pickers: Picker[] = [
  {
    name: 'Select Experiment',
    title: 'Privet: Select Experiment',
    loading: /^Loading experiments…$/,
    item: 'Pilot',
    picked: 'e2',
    start: (answer, log) =>
      asCommand(log, 'listing experiments', () =>
        pickExperiment({ listExperiments: () => answer.promise } as never),
      ),
    list: (answer) => answer.resolve(experiments),
  },
  {
    name: 'New SQL Cell for View',
    title: 'Privet: New SQL Cell for View',
    loading: /^Loading the views of e1…$/,
    item: 'people_syn',
    picked: 'people_syn',
    start: async (answer, log) => {
      const client = {
        listExperiments: () => answer.promise.then(() => experiments),
        listViews: () => answer.promise,
      };
      const signedIn = { client, user: 'ana', roles: ['analyst'], experiment: 'e1' } as never;
      const target = await asCommand(log, 'inserting the SQL cell', () =>
        pickView(signedIn, 'sql'),
      );
      return (target as { view: { name: string } } | undefined)?.view.name;
    },
    list: (answer) => answer.resolve(views),
  },
  {
    name: 'Show Fidelity Report',
    title: 'Privet: Show Fidelity Report',
    loading: /^Loading synthetic views…$/,
    item: 'people_syn',
    picked: 'people_syn',
    start: (answer, log) =>
      asCommand(log, 'opening the fidelity report', () =>
        pickSyntheticView({ listViews: () => answer.promise } as never, undefined),
      ),
    list: (answer) => answer.resolve(views),
  },
  {
    name: 'Review Comments',
    title: 'Privet: Review rev-7',
    loading: /^Loading the comments on review rev-7…$/,
    item: 'rita',
    picked: undefined, // a comment closes the pick: nothing to return
    start: (answer, log) =>
      showConversation(
        { getReview: () => answer.promise } as never,
        'rev-7',
        (what, error) => void showError(log, what, error),
      ),
    list: (answer) => answer.resolve(review),
  },
];

beforeEach(() => {
  fake.createdQuickPicks.length = 0;
  fake.shownQuickPicks.length = 0;
  fake.shownQuickPickOptions.length = 0;
  fake.shownMessageDetails.length = 0;
  fake.shownProgress.length = 0;
  fake.quickPickAnswer.pick = () => undefined;
  fake.messageAnswer.pick = () => undefined;
});

for (const picker of pickers) {
  describe(`${picker.name} opens its quick pick while the list loads`, () => {
    it('shows the pick at once, busy, titled, with a loading placeholder; items fill it after', async () => {
      const answer = deferred<unknown>();
      let offered: string[] = [];
      fake.quickPickAnswer.pick = (items) => {
        offered = items.map((i) => (i as { label: string }).label);
        return items.find((i) => (i as { label: string }).label === picker.item);
      };
      const done = picker.start(answer, recordingLog());
      await settle();
      const pick = lastPick();
      assert.equal(pick.visible, true, 'shown before the list arrives');
      assert.equal(pick.busy, true);
      assert.equal(pick.enabled, true, 'the user can type ahead and press Escape');
      assert.equal(pick.title, picker.title);
      assert.match(pick.placeholder ?? '', picker.loading);
      assert.deepEqual(pick.items, []);
      assert.deepEqual(fake.shownProgress, [], 'no status bar progress instead');
      assert.equal(await hasSettled(done), false, 'waits for the list');

      picker.list(answer);
      const result = await done;
      assert.equal(pick.busy, false, 'no longer busy once the list is in');
      assert.ok(offered.includes(picker.item), `offers ${picker.item}: ${offered.join(', ')}`);
      assert.doesNotMatch(pick.placeholder ?? '', /^Loading/, 'the question replaces "Loading…"');
      assert.equal(result, picker.picked);
      assert.equal(pick.visible, false, 'closed once picked');
      assert.equal(pick.disposed, true);
      assert.deepEqual(fake.shownMessageDetails, []);
    });

    it('on a failed load hides the pick and shows the error with Show Log', async () => {
      const answer = deferred<unknown>();
      const log = recordingLog();
      const done = picker.start(answer, log);
      await settle();
      const pick = lastPick();
      assert.equal(pick.visible, true);
      answer.reject(refused);
      await done;
      await settle();
      assert.equal(pick.visible, false, 'the pick is closed');
      assert.equal(pick.disposed, true);
      const errors = fake.shownMessageDetails.filter((m) => m.severity === 'error');
      assert.equal(errors.length, 1);
      assert.match(
        errors[0]!.message,
        /^Privet: .+ failed: the gateway is not reachable\. Fix: start it and try again$/,
      );
      assert.deepEqual(errors[0]!.items, [SHOW_LOG]);
      assert.deepEqual(log.lines, [errors[0]!.message], 'the same text is in the Privet log');
    });

    it('Escape while loading closes it at once; the list or failure arriving later is ignored', async () => {
      for (const outcome of ['fails', 'arrives'] as const) {
        fake.shownMessageDetails.length = 0;
        const answer = deferred<unknown>();
        const log = recordingLog();
        const done = picker.start(answer, log);
        await settle();
        const pick = lastPick();
        pick.escape();
        assert.equal(await hasSettled(done), true, 'settles without waiting for the gateway');
        assert.equal(await done, undefined);
        assert.equal(pick.disposed, true);
        if (outcome === 'fails') answer.reject(refused);
        else picker.list(answer);
        await settle();
        assert.deepEqual(fake.shownMessageDetails, [], `no message once the list ${outcome}`);
        assert.deepEqual(log.lines, []);
        assert.deepEqual(pick.items, [], 'the closed pick is not filled');
        assert.equal(pick.visible, false);
        assert.deepEqual(fake.shownQuickPicks, [], 'nothing was offered');
      }
    });
  });
}

describe('the busy pick', () => {
  it('ignores Enter while loading (nothing listed yet) and keeps the pick open', async () => {
    const answer = deferred<{ label: string }[]>();
    const done = pickWhileLoading(
      { title: 'Privet: Test', loadingPlaceholder: 'Loading things…' },
      () => answer.promise,
      (items) => ({ items, placeholder: 'Thing to pick' }),
    );
    await settle();
    const pick = lastPick();
    pick.accept(undefined);
    assert.equal(pick.visible, true);
    assert.equal(await hasSettled(done), false);
    fake.quickPickAnswer.pick = (items) => items[0];
    answer.resolve([{ label: 'one' }]);
    assert.deepEqual(await done, { label: 'one' });
  });

  it('keeps the keyboard options of each pick', async () => {
    const client = {
      listExperiments: () => Promise.resolve(experiments),
      listViews: () => Promise.resolve(views),
      getReview: () => Promise.resolve(review),
    };
    const signedIn = { client, user: 'ana', roles: [], experiment: 'e1' } as never;
    await pickView(signedIn, 'python');
    const view = lastPick();
    assert.equal(view.matchOnDescription, true);
    assert.equal(view.matchOnDetail, true);
    await showConversation(client as never, 'rev-7', (what, error) =>
      assert.fail(`${what}: ${String(error)}`),
    );
    const conversation = lastPick();
    assert.equal(conversation.matchOnDetail, true);
    assert.equal(conversation.ignoreFocusOut, true, 'typing a reply elsewhere does not close it');
  });

  it('closes when there is nothing to pick, with the existing message', async () => {
    const answer = deferred<unknown>();
    const done = pickSyntheticView({ listViews: () => answer.promise } as never, undefined);
    await settle();
    const pick = lastPick();
    assert.equal(pick.busy, true);
    answer.resolve({ views: [] });
    assert.equal(await done, undefined);
    assert.equal(pick.visible, false);
    assert.deepEqual(
      fake.shownMessageDetails.map((m) => m.message),
      ['Privet: no published synthetic view to show.'],
    );
    assert.deepEqual(fake.shownQuickPicks, [], 'no empty pick was offered');
  });
});

describe('Review Comments after a reply', () => {
  it('opens the pick at once, busy, while the reply is sent, then shows the conversation', async () => {
    const sending = deferred<unknown>();
    const client = {
      getReview: () => Promise.resolve(review),
      commentReview: () => sending.promise,
    };
    let round = 0;
    fake.quickPickAnswer.pick = (items) =>
      round++ === 0 ? items.find((i) => (i as { label: string }).label === REPLY_LABEL) : undefined;
    fake.inputBoxAnswer.pick = () => 'the groups of five';
    try {
      const done = showConversation(client as never, 'rev-7', (what, error) =>
        assert.fail(`${what}: ${String(error)}`),
      );
      await settle();
      const pick = lastPick();
      assert.equal(fake.createdQuickPicks.length, 2, 'the second pick is open');
      assert.equal(pick.visible, true);
      assert.equal(pick.busy, true);
      assert.equal(pick.placeholder, 'Sending your reply…');
      sending.resolve({ ...review, comments: [...review.comments, review.comments[0]] });
      await done;
      assert.equal(fake.shownQuickPicks.length, 2);
      assert.equal(fake.shownQuickPicks[1]!.length, 3, 'two comments and the reply line');
    } finally {
      fake.inputBoxAnswer.pick = () => undefined;
    }
  });

  it('still reports a reply that failed to send after the pick was closed', async () => {
    const sending = deferred<unknown>();
    const client = {
      getReview: () => Promise.resolve(review),
      commentReview: () => sending.promise,
    };
    const failures: string[] = [];
    fake.quickPickAnswer.pick = (items) =>
      items.find((i) => (i as { label: string }).label === REPLY_LABEL);
    fake.inputBoxAnswer.pick = () => 'the groups of five';
    try {
      const done = showConversation(client as never, 'rev-7', (what) => void failures.push(what));
      await settle();
      lastPick().escape();
      sending.reject(refused);
      await done;
      assert.deepEqual(failures, ['loading or answering the review comments']);
    } finally {
      fake.inputBoxAnswer.pick = () => undefined;
    }
  });
});
