/**
 * The gateway token in notebook kernels follows the JupyterLab tab's sign-in (jupyter-ext
 * notebook.ts and kernel-token.ts): a kernel "Use in notebook" gave a token gets the new one when
 * the same user signs in again, loses it on sign-out, on a sign-in as someone else (a steward's
 * token never reaches an analyst's kernel) or to another gateway, and kernels Privet never gave a
 * token are left alone. A kernel that died, restarted or
 * closed is forgotten without an error. The token travels only by silent execution, never in a
 * cell. The inserted cell is a few lines calling privet_jupyter.load_view, run here in a real
 * Python (importing jupyter-ext's source) against a real gateway: it loads the view as a
 * DataFrame; a load refused with HTTP 401 tells the user to sign in again and re-run the cell,
 * other refusals show the gateway's message and fix, and a kernel without the package says so.
 * After a page reload the tab still knows those kernels (their ids and gateways in sessionStorage,
 * never a token): they are re-attached on start and follow the restored sign-in, so signing out
 * still removes the token. Real PrivetSession against real test gateways; the kernels, notebook,
 * app and kernel manager are fakes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, test } from 'node:test';
import { KernelManager, ServerConnection } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { fakeBrowserTab, TabStorage } from './fakes.js';
import { EXPERIMENT, PEOPLE, startTestGateway, type TestGateway } from '../gateway/http/fixture.js';
import { noProxyEnv, PANDAS_PYTHON, PYTHON, runPython, runs, VENV_PYTHON } from '../python-run.js';

// @jupyterlab/notebook and @lumino/widgets cannot load in Node (SVG and CSS imports; `navigator`).
// notebook.ts uses only NotebookActions, which the stub performs on the fake notebook below, and
// mime.ts (imported for release text) makes widgets only when rendering, never here.
const STUBS: Record<string, string> = {
  '@jupyterlab/notebook': `export const NotebookActions = {
    insertBelow: (notebook) => notebook.insertBelow(),
    changeCellType: () => undefined,
  };`,
  '@lumino/widgets': 'export class Widget {}',
};
const HOOKS = `const stubs = ${JSON.stringify(
  Object.fromEntries(
    Object.entries(STUBS).map(([name, code]) => [
      name,
      `data:text/javascript,${encodeURIComponent(code)}`,
    ]),
  ),
)};
export async function resolve(specifier, context, next) {
  if (Object.hasOwn(stubs, specifier)) return { url: stubs[specifier], shortCircuit: true };
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);

// session.ts and client.ts read these browser globals; set before they load.
const tab = fakeBrowserTab();

/** jupyter-ext session.ts's SignedIn, as far as used here. */
interface SignedInLike {
  user: { user: string };
  token: string;
  client: { baseUrl: string; parquetUrl(view: string, experiment: string): string };
}
/** jupyter-ext session.ts's PrivetSession, as far as used here. */
interface Session {
  readonly signedIn: SignedInLike | null;
  signIn(gatewayUrl: string, token: string): Promise<SignedInLike>;
  resume(gatewayUrl: string): Promise<SignedInLike | null>;
  signOut(): void;
}
/** jupyter-ext kernel-token.ts's KernelTokens, as far as used here. */
interface Tokens {
  follow(source: Session): void;
  reattach(kernels: RunningKernels): Promise<void>;
  give(kernel: unknown, signedIn: SignedInLike): Promise<void>;
}
/** jupyter-ext kernel-token-running.ts's RunningKernels. */
interface RunningKernels {
  listRunning(): Promise<Iterable<{ id: string; name: string }>>;
  connectTo(options: { model: { id: string }; handleComms: boolean }): unknown;
}
/** One entry of jupyter-ext kernel-token-record.ts's KernelRecord. */
interface Remembered {
  id: string;
  gateway: string;
  user: string;
}
/** jupyter-ext notebook.ts, as far as used here (loaded by path: no JupyterLab types in test/). */
interface NotebookModule {
  TOKEN_ENV: string;
  loadViewCode(view: string, parquetUrl: string): string;
  useInNotebook(
    app: unknown,
    tracker: unknown,
    session: SignedInLike,
    view: string,
    experiment: string,
  ): Promise<unknown>;
}
const source = (path: string): string =>
  new URL(`../../jupyter-ext/src/${path}`, import.meta.url).href;
const { PrivetSession } = (await import(source('session.ts'))) as {
  PrivetSession: new () => Session;
};
const { TOKEN_ENV, loadViewCode, useInNotebook } = (await import(
  source('notebook.ts')
)) as NotebookModule;
const { GATEWAY_ENV, KernelTokens } = (await import(source('kernel-token.ts'))) as {
  GATEWAY_ENV: string;
  KernelTokens: new () => Tokens;
};
const { runningKernelsOf } = (await import(source('kernel-token-running.ts'))) as {
  runningKernelsOf(manager: KernelManager): RunningKernels;
};
const { KERNEL_RECORD_KEY, KERNEL_RECORD_LIMIT, KernelRecord } = (await import(
  source('kernel-token-record.ts')
)) as {
  KERNEL_RECORD_KEY: string;
  KERNEL_RECORD_LIMIT: number;
  KernelRecord: new () => {
    remember(id: string, gateway: string, user: string): void;
    list(): Remembered[];
  };
};

/** What one execute request asked of a kernel. */
interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}

/**
 * A kernel connection as JupyterLab's KernelConnection behaves for these requests: a dead one
 * throws "Kernel is dead"; a restart clears the process's environment. `env` is the kernel's
 * PRIVET_TOKEN, as the silent code sets or removes it.
 */
class FakeKernel {
  private static count = 0;
  /** The kernel's id, as the Jupyter server names it. */
  readonly id = `kernel-${++FakeKernel.count}`;
  status = 'idle';
  isDisposed = false;
  readonly statusChanged = new Signal<FakeKernel, string>(this);
  readonly disposed = new Signal<FakeKernel, void>(this);
  readonly requests: ExecuteRequest[] = [];
  env: string | undefined;
  /** When set, the request's future rejects (the connection went away while it ran). */
  cancelNext = false;

  requestExecute(content: ExecuteRequest): { done: Promise<{ content: { status: string } }> } {
    if (this.status === 'dead') throw new Error('Kernel is dead');
    this.requests.push(content);
    if (this.cancelNext) {
      return { done: Promise.reject(new Error('Canceled future for execute_request message')) };
    }
    const set = /_o\.environ\["PRIVET_TOKEN"\] = "([^"]*)"/.exec(content.code);
    if (set) this.env = set[1];
    else if (content.code.includes('_o.environ.pop("PRIVET_TOKEN", None)')) this.env = undefined;
    else throw new Error(`unexpected code for the fake kernel: ${content.code}`);
    return { done: Promise.resolve({ content: { status: 'ok' } }) };
  }

  /** A restart: a new process, without the token. */
  restart(): void {
    this.setStatus('restarting');
    this.env = undefined;
    this.setStatus('idle');
  }

  setStatus(status: string): void {
    this.status = status;
    this.statusChanged.emit(status);
  }

  dispose(): void {
    this.isDisposed = true;
    this.disposed.emit();
  }
}

/** A code cell model holding its source. */
class FakeCell {
  private source = '';
  readonly model = {
    type: 'code',
    sharedModel: {
      getSource: () => this.source,
      setSource: (text: string) => {
        this.source = text;
      },
    },
  };
}

/** A notebook panel running `kernel`: cells, their active one, and its session context. */
function fakePanel(id: string, kernel: FakeKernel) {
  const cells = [new FakeCell()];
  const content = {
    widgets: cells,
    activeCell: cells[0],
    insertBelow() {
      const cell = new FakeCell();
      cells.push(cell);
      content.activeCell = cell;
    },
  };
  return {
    id,
    content,
    sessionContext: { ready: Promise.resolve(), session: { kernel } },
    /** Every cell's source: where the token must never be. */
    sources: () => cells.map((c) => c.model.sharedModel.getSource()).join('\n'),
  };
}

/** The parts of JupyterFrontEnd notebook.ts uses; IPrivetServices resolves to `session`. */
function fakeApp(session: Session) {
  return {
    commands: { execute: () => Promise.reject(new Error('a notebook is open in these tests')) },
    shell: { activateById: () => undefined },
    resolveRequiredService: (token: { name: string }) => {
      assert.equal(token.name, 'privet:services');
      return Promise.resolve({ session, context: {} });
    },
  };
}

/**
 * The running kernels after a page reload (RunningKernels, as runningKernelsOf() makes them of
 * JupyterLab's kernel manager): `running` are the kernel processes still running; connectTo
 * answers the same FakeKernel (its process, with its environment).
 */
function fakeKernelManager(running: FakeKernel[]) {
  const connected: { id: string; handleComms: boolean }[] = [];
  return {
    /** Every connectTo(), in order. */
    connected,
    listRunning: () => Promise.resolve(running.map((k) => ({ id: k.id, name: 'python3' }))),
    connectTo({ model, handleComms }: { model: { id: string }; handleComms: boolean }) {
      connected.push({ id: model.id, handleComms });
      const kernel = running.find((k) => k.id === model.id);
      assert.ok(kernel, `connectTo(${model.id}): not a running kernel`);
      return kernel;
    },
  };
}

/** The kernels the tab's sessionStorage remembers (kernel-token-record.ts). */
function remembered(): Remembered[] {
  return JSON.parse(tab.storage.getItem(KERNEL_RECORD_KEY) ?? '[]') as Remembered[];
}

/** Runs `body`, answering what it warned about in the console. */
async function warningsOf(body: () => Promise<void>): Promise<unknown[][]> {
  const warnings: unknown[][] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args);
  try {
    await body();
  } finally {
    console.warn = warn;
  }
  return warnings;
}

/** Lets the session's `changed` slot finish the kernel updates it started. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe('JupyterLab: the kernels given a token follow the sign-in', () => {
  let first: TestGateway;
  let second: TestGateway;
  let session: Session;
  let app: ReturnType<typeof fakeApp>;

  before(async () => {
    [first, second] = await Promise.all([startTestGateway(), startTestGateway()]);
  });
  after(async () => {
    await Promise.all([first.stop(), second.stop()]);
  });
  beforeEach(() => {
    tab.storage = new TabStorage();
    session = new PrivetSession();
    app = fakeApp(session);
  });

  const token = (t: TestGateway, user: string): string => t.gateway.tokens[user]!;

  /** Whose token `kernel` holds, e.g. "ana@first" (so a failing assertion shows no token). */
  function holder(kernel: FakeKernel): string {
    if (kernel.env === undefined) return 'none';
    for (const [name, t] of [
      ['first', first],
      ['second', second],
    ] as const) {
      for (const user of ['ana', 'rev', 'stu']) {
        if (kernel.env === token(t, user)) return `${user}@${name}`;
      }
    }
    return 'an unknown token';
  }

  /** "Use in notebook" on people_masked in a notebook running `kernel`, as the data panel does. */
  async function use(kernel: FakeKernel, id = 'nb') {
    const panel = fakePanel(id, kernel);
    const signedIn = session.signedIn;
    assert.ok(signedIn, 'Use in notebook is offered only when signed in');
    await useInNotebook(app, { currentWidget: panel }, signedIn, 'people_masked', EXPERIMENT);
    return panel;
  }

  test('signing in again gives the kernel the new token silently; as someone else, none', async () => {
    await session.signIn(first.gateway.url, token(first, 'ana'));
    const kernel = new FakeKernel();
    const untouched = new FakeKernel(); // another notebook's kernel: no "Use in notebook"
    const panel = await use(kernel);
    assert.equal(holder(kernel), 'ana@first');

    await session.signIn(first.gateway.url, token(first, 'stu'));
    await settle();
    assert.equal(holder(kernel), 'none', "the steward's token does not reach ana's kernel");
    await session.signIn(first.gateway.url, token(first, 'rev'));
    await settle();
    assert.equal(holder(kernel), 'none', 'nor does the reviewer’s');

    session.signOut();
    await session.signIn(first.gateway.url, token(first, 'ana'));
    await settle();
    assert.equal(holder(kernel), 'ana@first', 'signed in again: the cell works when re-run');

    assert.deepEqual(untouched.requests, [], 'a kernel never given a token is not disturbed');
    for (const request of kernel.requests) {
      assert.equal(request.silent, true);
      assert.equal(request.store_history, false);
      assert.equal(request.allow_stdin, false);
    }
    for (const user of ['ana', 'rev']) {
      assert.ok(!panel.sources().includes(token(first, user)), `no token of ${user} in a cell`);
    }
  });

  test('signing out removes the token from every kernel given one', async () => {
    await session.signIn(first.gateway.url, token(first, 'ana'));
    const kernels = [new FakeKernel(), new FakeKernel()];
    await use(kernels[0]!, 'nb1');
    await use(kernels[1]!, 'nb2');

    session.signOut();
    await settle();
    for (const kernel of kernels) {
      assert.equal(holder(kernel), 'none', 'the signed-out user stays in no kernel');
      assert.match(kernel.requests.at(-1)!.code, /environ\.pop\("PRIVET_TOKEN", None\)/);
    }
  });

  test("a sign-in to another gateway removes the token: that gateway's token is not sent", async () => {
    await session.signIn(first.gateway.url, token(first, 'ana'));
    const kernel = new FakeKernel();
    await use(kernel);

    await session.signIn(second.gateway.url, token(second, 'ana'));
    await settle();
    assert.equal(holder(kernel), 'none', "its cells load from the first gateway's URLs");
    assert.ok(!kernel.requests.some((r) => r.code.includes(token(second, 'ana'))));

    await session.signIn(first.gateway.url, token(first, 'ana'));
    await settle();
    assert.equal(holder(kernel), 'ana@first', 'back on its gateway: the new token');
  });

  test('a kernel that died, restarted or closed is forgotten without an error', async () => {
    await session.signIn(first.gateway.url, token(first, 'ana'));
    const [dead, restarted, closed, canceled, live] = Array.from(
      { length: 5 },
      () => new FakeKernel(),
    );
    for (const [i, kernel] of [dead, restarted, closed, canceled, live].entries()) {
      await use(kernel!, `nb${i}`);
    }
    dead!.setStatus('dead');
    restarted!.restart();
    closed!.dispose();
    canceled!.cancelNext = true;
    const requestsBefore = [restarted!, closed!].map((k) => k.requests.length);

    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      session.signOut();
      await session.signIn(first.gateway.url, token(first, 'ana'));
      await settle();
    } finally {
      console.warn = warn;
    }

    assert.equal(holder(live!), 'ana@first', 'the live kernel is still updated');
    assert.deepEqual(
      [restarted!, closed!].map((k) => k.requests.length),
      requestsBefore,
      'a restarted or closed kernel gets nothing more',
    );
    assert.equal(holder(restarted!), 'none', 'the restarted kernel is not given a token unasked');
    assert.equal(canceled!.requests.length, 2, 'canceled on sign-out, then forgotten');
    assert.deepEqual(warnings, [], 'nothing went wrong that the user must fix');
  });

  /**
   * A page reload as the tab sees it: a fresh session and KernelTokens over the same tab storage
   * (the kernels of the old page keep running), the session following as on JupyterLab start.
   */
  function reload(): { reloaded: Session; tokens: Tokens } {
    const reloaded = new PrivetSession();
    const tokens = new KernelTokens();
    tokens.follow(reloaded);
    return { reloaded, tokens };
  }

  test('after a page reload, signing out still removes the token from the kernel', async () => {
    await session.signIn(first.gateway.url, token(first, 'ana'));
    const kernel = new FakeKernel();
    const untouched = new FakeKernel(); // running too, but never given a token
    await use(kernel);
    assert.equal(holder(kernel), 'ana@first');

    const { reloaded, tokens } = reload();
    const kernels = fakeKernelManager([kernel, untouched]);
    const warnings = await warningsOf(async () => {
      await tokens.reattach(kernels); // while the sign-in is still being restored
      assert.ok(await reloaded.resume(first.gateway.url), 'the sign-in is restored');
      await settle();
    });
    assert.equal(holder(kernel), 'ana@first', 'in step with the restored sign-in');
    assert.deepEqual(kernels.connected, [{ id: kernel.id, handleComms: false }]);

    await reloaded.signIn(first.gateway.url, token(first, 'rev'));
    await settle();
    assert.equal(holder(kernel), 'none', 'a sign-in as someone else unsets it');
    await reloaded.signIn(first.gateway.url, token(first, 'ana'));
    await settle();
    assert.equal(holder(kernel), 'ana@first', "ana's new sign-in still reaches it");

    reloaded.signOut();
    await settle();
    assert.equal(holder(kernel), 'none', 'the signed-out user stays in no kernel');
    assert.deepEqual(untouched.requests, [], 'a kernel never given a token is not disturbed');
    assert.deepEqual(warnings, [], 'nothing went wrong that the user must fix');
  });

  test('a remembered kernel that no longer runs is dropped from the tab storage', async () => {
    await session.signIn(first.gateway.url, token(first, 'ana'));
    const [kept, gone] = [new FakeKernel(), new FakeKernel()];
    await use(kept!, 'nb1');
    await use(gone!, 'nb2');
    assert.deepEqual(
      remembered().map((k) => k.id),
      [kept!.id, gone!.id],
    );
    const requestsBefore = gone!.requests.length;

    const { reloaded, tokens } = reload();
    const kernels = fakeKernelManager([kept!]); // `gone` was shut down while the page reloaded
    const warnings = await warningsOf(async () => {
      await reloaded.resume(first.gateway.url);
      await tokens.reattach(kernels);
    });
    assert.deepEqual(
      remembered().map((k) => k.id),
      [kept!.id],
      'only the running kernel is remembered',
    );
    assert.deepEqual(kernels.connected, [{ id: kept!.id, handleComms: false }]);
    assert.equal(gone!.requests.length, requestsBefore, 'nothing is sent to a kernel gone');
    assert.deepEqual(warnings, [], 'a kernel gone holds no token: nothing to fix');
  });

  test('a kernel remembered for another gateway is unset, not given the signed-in token', async () => {
    await session.signIn(first.gateway.url, token(first, 'ana'));
    const kernel = new FakeKernel();
    await use(kernel);
    assert.equal(holder(kernel), 'ana@first');

    const { reloaded, tokens } = reload();
    await reloaded.signIn(second.gateway.url, token(second, 'ana'));
    await tokens.reattach(fakeKernelManager([kernel]));
    assert.equal(holder(kernel), 'none', "its cells load from the first gateway's URLs");
    assert.ok(!kernel.requests.some((r) => r.code.includes(token(second, 'ana'))));
    assert.match(kernel.requests.at(-1)!.code, /environ\.pop\("PRIVET_TOKEN", None\)/);
  });

  test('a kernel left running when its notebook was closed still follows the sign-in', async () => {
    const signedIn = await session.signIn(first.gateway.url, token(first, 'ana'));
    const tokens = new KernelTokens();
    tokens.follow(session);
    const notebooks = new FakeKernel(); // the notebook's connection to the kernel process
    const privets = new FakeKernel(); // a connection Privet opens to the same process later
    Object.defineProperty(privets, 'id', { value: notebooks.id });
    const kernels = fakeKernelManager([privets]);
    await tokens.reattach(kernels); // as on JupyterLab start: nothing remembered yet
    assert.deepEqual(kernels.connected, []);
    await tokens.give(notebooks, signedIn);
    assert.equal(holder(notebooks), 'ana@first');

    notebooks.dispose(); // the notebook closed; its kernel was left running, with the token
    assert.deepEqual(
      remembered().map((k) => k.id),
      [notebooks.id],
      'still remembered: the process may hold the token',
    );
    const warnings = await warningsOf(async () => {
      session.signOut();
      await settle();
    });
    assert.deepEqual(kernels.connected, [{ id: notebooks.id, handleComms: false }]);
    assert.match(privets.requests.at(-1)!.code, /environ\.pop\("PRIVET_TOKEN", None\)/);
    assert.equal(holder(privets), 'none', 'the signed-out user stays in no kernel');

    await session.signIn(first.gateway.url, token(first, 'ana'));
    await settle();
    assert.equal(holder(privets), 'ana@first', 'signing in again reaches it too');
    assert.equal(kernels.connected.length, 1, 'one connection for the kernel');
    assert.deepEqual(warnings, []);
  });

  test('the tab storage keeps kernel ids, gateway URLs and users, never a token', async () => {
    const signedIn = await session.signIn(first.gateway.url, token(first, 'ana'));
    const kernels = [new FakeKernel(), new FakeKernel()];
    await use(kernels[0]!, 'nb1');
    await use(kernels[1]!, 'nb2');
    await session.signIn(first.gateway.url, token(first, 'rev'));
    await settle();
    assert.deepEqual(
      remembered(),
      kernels.map((k) => ({ id: k.id, gateway: signedIn.client.baseUrl, user: 'ana' })),
    );

    const tokens = [first, second].flatMap((t) => ['ana', 'rev', 'stu'].map((u) => token(t, u)));
    // The session keeps its own token under privet:token:… (session.ts); nothing else may.
    const record = tab.storage
      .keys()
      .filter((key) => !key.startsWith('privet:token:'))
      .map((key) => `${key}=${tab.storage.getItem(key)}`)
      .join('\n');
    assert.ok(record.includes(kernels[0]!.id), 'the record is in the tab storage');
    for (const t of tokens) assert.ok(!record.includes(t), 'no token in the kernel record');

    session.signOut();
    await settle();
    assert.equal(remembered().length, 2, 'still known while signed out');
    const text = tab.storage.values().join('\n');
    for (const t of tokens) assert.ok(!text.includes(t), 'signed out: no token in the tab storage');
  });

  test('a Jupyter server that cannot list its kernels: one warning, the record is kept', async () => {
    await session.signIn(first.gateway.url, token(first, 'ana'));
    const kernel = new FakeKernel();
    await use(kernel);

    const { tokens } = reload();
    // JupyterLab's own kernel manager, its server unreachable: its refreshRunning() resolves
    // anyway and running() is empty, which must not read as "no kernel runs any more".
    const manager = new KernelManager({
      standby: 'never',
      serverSettings: ServerConnection.makeSettings({
        baseUrl: 'http://127.0.0.1:8888/',
        wsUrl: 'ws://127.0.0.1:8888/',
        fetch: () => Promise.reject(new TypeError('Failed to fetch')),
        Request,
        Headers,
        WebSocket: class {} as unknown as typeof WebSocket,
      }),
    });
    let warnings: unknown[][];
    try {
      warnings = await warningsOf(() => tokens.reattach(runningKernelsOf(manager)));
    } finally {
      await manager.ready; // its first (failed) listing: disposing before it would reject it
      manager.dispose();
    }
    assert.equal(warnings.length, 1, 'warned once');
    assert.match(String(warnings[0]![0]), /Failed to fetch.*Fix: reload the page/s);
    assert.deepEqual(
      remembered().map((k) => k.id),
      [kernel.id],
      'kept for the next start: it may still hold the token',
    );
  });

  test(`the tab storage remembers at most the ${KERNEL_RECORD_LIMIT} newest kernels`, () => {
    const record = new KernelRecord();
    const ids = Array.from({ length: KERNEL_RECORD_LIMIT + 6 }, (_, i) => `k${i}`);
    for (const id of ids) record.remember(id, 'http://127.0.0.1:8765', 'ana');
    assert.deepEqual(
      record.list().map((k) => k.id),
      ids.slice(-KERNEL_RECORD_LIMIT),
    );
  });

  test('a kernel remembered without its user (an older record) is unset, never given a token', async () => {
    await session.signIn(first.gateway.url, token(first, 'ana'));
    const kernel = new FakeKernel();
    tab.storage.setItem(
      KERNEL_RECORD_KEY,
      JSON.stringify([{ id: kernel.id, gateway: session.signedIn!.client.baseUrl }]),
    );
    const tokens = new KernelTokens();
    tokens.follow(session);
    await tokens.reattach(fakeKernelManager([kernel]));
    assert.equal(holder(kernel), 'none', 'whose token it held is unknown: it gets none');
    await session.signIn(first.gateway.url, token(first, 'ana'));
    await settle();
    assert.equal(holder(kernel), 'none');
  });
});

/** The jupyter-ext folder: the privet_jupyter source the load cells import in these tests. */
const JUPYTER_EXT = fileURLToPath(new URL('../../jupyter-ext', import.meta.url));

describe('JupyterLab: the load cell in the kernel', { skip: PYTHON ? false : 'no python3' }, () => {
  let gateway: TestGateway;
  let session: Session;
  let ana: SignedInLike;
  let stubs: string;
  let oldPackage: string;
  let parquetUrl: string;

  before(async () => {
    gateway = await startTestGateway();
    tab.storage = new TabStorage();
    session = new PrivetSession();
    ana = await session.signIn(gateway.gateway.url, gateway.gateway.tokens.ana!);
    parquetUrl = ana.client.parquetUrl('people_masked', EXPERIMENT); // as "Use in notebook" does
    // The refused loads never reach read_parquet; a stub lets load_view import pandas without it.
    stubs = mkdtempSync(join(tmpdir(), 'privet-pandas-stub-'));
    writeFileSync(join(stubs, 'pandas.py'), 'def read_parquet(_):\n    raise AssertionError\n');
    // privet_jupyter as installed before it had load_view: only the labextension path.
    oldPackage = mkdtempSync(join(tmpdir(), 'privet-old-package-'));
    mkdirSync(join(oldPackage, 'privet_jupyter'));
    writeFileSync(
      join(oldPackage, 'privet_jupyter', '__init__.py'),
      '__version__ = "0.1.0"\n\ndef _jupyter_labextension_paths():\n    return []\n',
    );
  });
  after(async () => {
    await gateway.stop();
    rmSync(stubs, { recursive: true, force: true });
    rmSync(oldPackage, { recursive: true, force: true });
  });

  /**
   * The environment of a kernel process: `token` in PRIVET_TOKEN (or none) with its gateway's base
   * URL in PRIVET_GATEWAY (the test gateway's unless `tokenGateway` says otherwise; null: none),
   * PYTHONPATH of `pythonPath` (none when empty), no proxy (urllib would send 127.0.0.1 through
   * it), and no __pycache__ written into jupyter-ext/privet_jupyter.
   */
  function kernelEnv(
    token: string | null,
    pythonPath: string[],
    tokenGateway: string | null = ana.client.baseUrl,
  ): NodeJS.ProcessEnv {
    const env = noProxyEnv();
    delete env[TOKEN_ENV];
    delete env[GATEWAY_ENV];
    delete env.PYTHONPATH;
    if (pythonPath.length > 0) env.PYTHONPATH = pythonPath.join(delimiter);
    if (token !== null) env[TOKEN_ENV] = token;
    if (token !== null && tokenGateway !== null) env[GATEWAY_ENV] = tokenGateway;
    return env;
  }

  /**
   * Runs the load cell of `view` in python3 with `token` in PRIVET_TOKEN (or none), importing
   * privet_jupyter from jupyter-ext (the source, not an installed wheel), and answers its stderr.
   */
  async function runLoadCell(
    token: string | null,
    url = parquetUrl,
    view = 'people_masked',
    tokenGateway: string | null = ana.client.baseUrl,
  ): Promise<string> {
    const run = await runPython(
      PYTHON!,
      ['-c', loadViewCode(view, url)],
      kernelEnv(token, [JUPYTER_EXT, stubs], tokenGateway),
    );
    assert.notEqual(run.status, 0, 'the load is refused');
    return run.stderr;
  }

  /** The error was raised in jupyter-ext's load_view (the source under test), not in the cell. */
  function assertRaisedInLoadView(stderr: string): void {
    const views = join(JUPYTER_EXT, 'privet_jupyter', 'views.py');
    assert.ok(stderr.includes(`File "${views}", line `), 'raised by jupyter-ext privet_jupyter');
    assert.match(stderr, /, in load_view\n/);
  }

  test('the inserted cell is short, calls load_view, and holds no token', async () => {
    const kernel = new FakeKernel();
    const panel = fakePanel('nb-short', kernel);
    await useInNotebook(
      fakeApp(session),
      { currentWidget: panel },
      ana,
      'people_masked',
      EXPERIMENT,
    );
    const cell = panel.sources();
    assert.equal(cell, loadViewCode('people_masked', parquetUrl));
    const lines = cell.split('\n');
    assert.ok(lines.length <= 8, `${lines.length} lines: a cell the user can read at a glance`);
    assert.equal(
      lines[0],
      `# Privet: load the approved view "people_masked" from the gateway (token from ${TOKEN_ENV}).`,
    );
    assert.match(cell, /^ {4}from privet_jupyter import load_view$/m);
    assert.ok(
      lines.includes(`people_masked = load_view(${JSON.stringify(parquetUrl)}, "people_masked")`),
    );
    assert.doesNotMatch(cell, /urllib|Authorization|os\.environ/, 'the loading is in load_view');
    for (const token of Object.values(gateway.gateway.tokens)) {
      assert.ok(!cell.includes(token), 'no token in the cell');
    }
    assert.equal(kernel.env, ana.token, 'the kernel got the token silently instead');
    // View names that are not Python identifiers still give one.
    assert.match(loadViewCode('2024-visits', parquetUrl), /^v_2024_visits = load_view\(/m);
  });

  test('privet_jupyter imports without pandas and reads the TOKEN_ENV the extension sets', async () => {
    const run = await runPython(
      PYTHON!,
      [
        '-c',
        'import sys, privet_jupyter, privet_jupyter.views as v\n' +
          'print(v.TOKEN_ENV, "pandas" in sys.modules, privet_jupyter.load_view is v.load_view)\n' +
          'print(privet_jupyter._jupyter_labextension_paths())',
      ],
      kernelEnv(null, [JUPYTER_EXT]),
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stdout,
      `${TOKEN_ENV} False True\n[{'src': 'labextension', 'dest': '@privet/jupyter-ext'}]\n`,
    );
  });

  test(
    'a load through the cell prints the summary and gives a DataFrame of the view',
    { skip: PANDAS_PYTHON ? false : 'no Python with pandas and pyarrow (.venv or python3)' },
    async () => {
      const check = [
        'import pandas, privet_jupyter',
        'print("DataFrame:", isinstance(people_masked, pandas.DataFrame), len(people_masked))',
        'print("load_view from:", load_view.__module__, privet_jupyter.__file__)',
      ];
      const run = await runPython(
        PANDAS_PYTHON!,
        ['-c', [loadViewCode('people_masked', parquetUrl), ...check].join('\n')],
        kernelEnv(gateway.gateway.tokens.ana!, [JUPYTER_EXT]),
      );
      assert.equal(run.status, 0, run.stderr);
      assert.equal(
        run.stdout,
        [
          `Loaded people_masked as people_masked: ${PEOPLE.length} rows; columns: person_id, email, city, income`,
          `DataFrame: True ${PEOPLE.length}`,
          `load_view from: privet_jupyter.views ${join(JUPYTER_EXT, 'privet_jupyter', '__init__.py')}`,
          '',
        ].join('\n'),
      );
      for (const token of Object.values(gateway.gateway.tokens)) {
        assert.ok(!run.stdout.includes(token) && !run.stderr.includes(token), 'no token shown');
      }
    },
  );

  test('a kernel whose Python lacks privet_jupyter says so and how to fix it', async (t) => {
    // python -S skips site-packages (where pip installed the wheel) but keeps PYTHONPATH, here
    // the pandas stub only. With the .venv's Python, the one that has the wheel, when there is one.
    const python = runs(VENV_PYTHON, ['--version']) ? VENV_PYTHON : PYTHON!;
    const probe = ['-c', 'import privet_jupyter'];
    assert.equal(
      runs(python, ['-S', ...probe], kernelEnv(null, [stubs])),
      false,
      `${python} -S still imports privet_jupyter: this test would not show the missing package`,
    );
    const installed = runs(python, probe, kernelEnv(null, []));
    t.diagnostic(`privet_jupyter installed in ${python}: ${installed} (hidden by -S)`);

    const run = await runPython(
      python,
      ['-S', '-c', loadViewCode('people_masked', parquetUrl)],
      kernelEnv(gateway.gateway.tokens.ana!, [stubs]),
    );
    assert.notEqual(run.status, 0);
    assert.match(
      run.stderr,
      /RuntimeError: Privet: this kernel's Python cannot import load_view from the Privet JupyterLab package \(No module named 'privet_jupyter'\)\. Fix: use the kernel of JupyterLab's own environment/,
    );
    assert.match(run.stderr, /pip install the Privet JupyterLab package/);
    assert.doesNotMatch(run.stderr, /^ModuleNotFoundError/m, 'only the explained error');
  });

  test('a kernel with an older privet_jupyter (no load_view) says to install it again', async () => {
    const run = await runPython(
      PYTHON!,
      ['-c', loadViewCode('people_masked', parquetUrl)],
      kernelEnv(gateway.gateway.tokens.ana!, [oldPackage, stubs]),
    );
    assert.notEqual(run.status, 0);
    assert.match(
      run.stderr,
      /RuntimeError: Privet: this kernel's Python cannot import load_view .*cannot import name 'load_view'.*Fix: .*pip install the Privet JupyterLab package/,
    );
    assert.doesNotMatch(run.stderr, /^ImportError/m, 'only the explained error');
  });

  test('a load refused with 401 says to sign in again in the Privet panel and re-run', async () => {
    const stderr = await runLoadCell('pvt_expired_or_replaced_000000000000');
    assert.match(stderr, /RuntimeError: Privet: the bearer token is not valid\./);
    assert.match(
      stderr,
      /Fix: sign in again in the Privet panel, then re-run this cell/,
      'the user can fix this without a steward',
    );
    assert.doesNotMatch(stderr, /ask a steward/);
    assert.doesNotMatch(stderr, /HTTP Error 401/);
    assertRaisedInLoadView(stderr);
  });

  test('after a sign-out the cell says to sign in to Privet and click Use in notebook', async () => {
    const stderr = await runLoadCell(null);
    assert.match(stderr, /RuntimeError: Privet: this kernel has no gateway token/);
    assert.match(stderr, /Fix: sign in to Privet in the JupyterLab Privet panel/);
    assert.match(stderr, /click 'Use in notebook'/);
    assertRaisedInLoadView(stderr);
  });

  test("a load refused with 409 or 403 shows the gateway's message and fix", async () => {
    const unpublished = await runLoadCell(
      gateway.gateway.tokens.ana!,
      ana.client.parquetUrl('people_later', EXPERIMENT),
      'people_later',
    );
    assert.match(
      unpublished,
      /RuntimeError: Privet: view "people_later" has not been published yet\. Fix: a steward runs `privet publish --policy FILE`/,
    );
    assert.doesNotMatch(unpublished, /HTTP Error 409/);
    assertRaisedInLoadView(unpublished);

    const reviewer = await runLoadCell(gateway.gateway.tokens.rev!);
    assert.match(
      reviewer,
      /RuntimeError: Privet: GET \/views\/:name\/parquet needs the role analyst or steward; rev has reviewer\. Fix: sign in as a user with that role/,
    );
    assert.doesNotMatch(reviewer, /HTTP Error 403/);
    assertRaisedInLoadView(reviewer);
  });

  test('a cell edited to name another view than its URL is refused before any download', async () => {
    const stderr = await runLoadCell(gateway.gateway.tokens.ana!, parquetUrl, 'people_later');
    assert.match(
      stderr,
      /ValueError: Privet: the URL loads the view 'people_masked', not 'people_later'\. Fix: click 'Use in notebook' on the view you want/,
    );
    assertRaisedInLoadView(stderr);
  });

  test('a gateway that cannot be reached: start it and run the cell again', async () => {
    // A port that was free a moment ago: nothing listens on it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const url = new URL(parquetUrl);
    url.port = String(port);
    const stderr = await runLoadCell(
      gateway.gateway.tokens.ana!,
      url.href,
      'people_masked',
      url.origin, // the token's gateway, down
    );
    assert.match(
      stderr,
      /RuntimeError: Privet: the gateway could not be reached \(.+\)\. Fix: start it \(npm start\) and run this cell again/,
    );
    assert.doesNotMatch(stderr, /^urllib\.error/m);
    assertRaisedInLoadView(stderr);
  });

  test('the token goes only to its gateway: another host, a missing gateway, a redirect', async () => {
    const asked: string[] = [];
    const capture = createHttpServer((request, response) => {
      asked.push(`${request.url} ${request.headers.authorization ?? 'no token'}`);
      response.writeHead(302, { location: '/stolen' }).end();
    });
    await new Promise<void>((resolve) => capture.listen(0, '127.0.0.1', resolve));
    const { port } = capture.address() as AddressInfo;
    const elsewhere = `http://127.0.0.1:${port}/views/people_masked/parquet`;
    try {
      const other = await runLoadCell(gateway.gateway.tokens.ana!, elsewhere);
      assert.match(
        other,
        /ValueError: Privet: 'http:\/\/127\.0\.0\.1:\d+\/views\/people_masked\/parquet' is not on the gateway this kernel's token is for \(http:\/\/127\.0\.0\.1:\d+\), so the token is not sent there\. Fix: click 'Use in notebook'/,
      );
      assertRaisedInLoadView(other);
      assert.deepEqual(asked, [], 'nothing was sent to the other host');

      const noGateway = await runLoadCell(
        gateway.gateway.tokens.ana!,
        parquetUrl,
        'people_masked',
        null,
      );
      assert.match(
        noGateway,
        /RuntimeError: Privet: this kernel's token came without the address of its gateway/,
      );

      // A gateway (as far as the kernel knows) that redirects: the token is not sent on.
      const redirected = await runLoadCell(
        gateway.gateway.tokens.ana!,
        elsewhere,
        'people_masked',
        `http://127.0.0.1:${port}`,
      );
      assert.match(redirected, /RuntimeError: Privet: the gateway answered HTTP 302/);
      assert.equal(asked.length, 1, 'one request, no redirect followed');
      assert.doesNotMatch(asked.join('\n'), /\/stolen/, 'nothing sent where it pointed');
    } finally {
      await new Promise<void>((resolve) => capture.close(() => resolve()));
    }
  });
});
