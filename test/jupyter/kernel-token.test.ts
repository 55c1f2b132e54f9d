/**
 * The gateway token in notebook kernels follows the JupyterLab tab's sign-in (jupyter-ext
 * notebook.ts and kernel-token.ts): a kernel "Use in notebook" gave a token gets the new one when
 * the user signs in again or as someone else, loses it on sign-out or on a sign-in to another
 * gateway, and kernels Privet never gave a token are left alone. A kernel that died, restarted or
 * closed is forgotten without an error. The token travels only by silent execution, never in a
 * cell. And a load refused with HTTP 401 tells the user to sign in again and re-run the cell.
 * Real PrivetSession against real test gateways; the kernels, notebook and app are fakes.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Signal } from '@lumino/signaling';
import { fakeBrowserTab, TabStorage } from './fakes.js';
import { EXPERIMENT, startTestGateway, type TestGateway } from '../gateway/http/fixture.js';

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
  signOut(): void;
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

  test('signing in again, or as someone else, gives the kernel the new token silently', async () => {
    await session.signIn(first.gateway.url, token(first, 'ana'));
    const kernel = new FakeKernel();
    const untouched = new FakeKernel(); // another notebook's kernel: no "Use in notebook"
    const panel = await use(kernel);
    assert.equal(holder(kernel), 'ana@first');

    await session.signIn(first.gateway.url, token(first, 'rev'));
    await settle();
    assert.equal(holder(kernel), 'rev@first', 'the kernel now runs as rev, not ana');

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

    await session.signIn(first.gateway.url, token(first, 'rev'));
    await settle();
    assert.equal(holder(kernel), 'rev@first', 'back on its gateway: the new token');
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
      await session.signIn(first.gateway.url, token(first, 'rev'));
      await settle();
    } finally {
      console.warn = warn;
    }

    assert.equal(holder(live!), 'rev@first', 'the live kernel is still updated');
    assert.deepEqual(
      [restarted!, closed!].map((k) => k.requests.length),
      requestsBefore,
      'a restarted or closed kernel gets nothing more',
    );
    assert.equal(holder(restarted!), 'none', 'the restarted kernel is not given a token unasked');
    assert.equal(canceled!.requests.length, 2, 'canceled on sign-out, then forgotten');
    assert.deepEqual(warnings, [], 'nothing went wrong that the user must fix');
  });
});

/** python3 when it is on PATH (the refused-load test runs the cell's code), else null. */
const PYTHON = spawnSync('python3', ['--version']).status === 0 ? 'python3' : null;

describe('JupyterLab: the load cell in the kernel', { skip: PYTHON ? false : 'no python3' }, () => {
  let gateway: TestGateway;
  let stubs: string;
  let parquetUrl: string;

  before(async () => {
    gateway = await startTestGateway();
    tab.storage = new TabStorage();
    const ana = await new PrivetSession().signIn(gateway.gateway.url, gateway.gateway.tokens.ana!);
    parquetUrl = ana.client.parquetUrl('people_masked', EXPERIMENT); // as "Use in notebook" does
    // The refused load never reaches pandas; a stub lets the cell's imports run without it.
    stubs = mkdtempSync(join(tmpdir(), 'privet-pandas-stub-'));
    writeFileSync(join(stubs, 'pandas.py'), 'def read_parquet(_):\n    raise AssertionError\n');
  });
  after(async () => {
    await gateway.stop();
    rmSync(stubs, { recursive: true, force: true });
  });

  /**
   * Runs the load cell of people_masked in python3 with `token` in PRIVET_TOKEN (or none) and
   * answers its stderr. Asynchronously: the gateway answering it runs in this process.
   */
  function runLoadCell(token: string | null): Promise<string> {
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: stubs };
    delete env[TOKEN_ENV];
    // The cell's urllib would send 127.0.0.1 through a proxy the environment names.
    for (const key of Object.keys(env)) if (/_proxy$/i.test(key)) delete env[key];
    if (token !== null) env[TOKEN_ENV] = token;
    return new Promise((resolve) => {
      execFile(
        PYTHON!,
        ['-c', loadViewCode('people_masked', parquetUrl)],
        { env, encoding: 'utf8', timeout: 30_000 },
        (error, _stdout, stderr) => {
          assert.ok(error, 'the load is refused');
          resolve(stderr);
        },
      );
    });
  }

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
  });

  test('after a sign-out the cell says to sign in to Privet and click Use in notebook', async () => {
    const stderr = await runLoadCell(null);
    assert.match(stderr, /RuntimeError: Privet: this kernel has no gateway token/);
    assert.match(stderr, /Fix: sign in to Privet in the JupyterLab Privet panel/);
    assert.match(stderr, /click 'Use in notebook'/);
  });
});
