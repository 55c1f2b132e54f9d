/**
 * The setup shared by the VS Code gate tests: a fake session and views, the held outputs, the
 * approvals and the raw-value cache of one new notebook, the host's answers to the gate renderer
 * (RendererApprovals) and, on demand, the document gate (OutputGate), with a helper that asks as
 * the renderer does. Run with an in-memory VS Code API (fake-vscode/).
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { RawValueChecks } from '@privet/core/client/index';
import type { Approvals as ApprovalsType } from '../../vscode-ext/src/notebook/approvals.js';
import type { DisplayRules } from '@privet/core';
import type { OutputGate as OutputGateType } from '../../vscode-ext/src/notebook/gate.js';
import type { HeldOutputs as HeldOutputsType } from '../../vscode-ext/src/notebook/held.js';
import type * as Fake from './fake-vscode/index.js';

// Loaded after register.js has made 'vscode' resolve to the fake (static imports link first).
const fake = (await import('vscode')) as unknown as typeof Fake;
const { RendererApprovals } = await import('../../vscode-ext/src/notebook/renderer-approvals.js');
const { OutputGate } = await import('../../vscode-ext/src/notebook/gate.js');
const { HeldOutputs } = await import('../../vscode-ext/src/notebook/held.js');
const { Approvals } = await import('../../vscode-ext/src/notebook/approvals.js');
const { GATE_RENDERER_ID, isApprovalAnswer } =
  await import('../../vscode-ext/src/shared/gate-messages.js');

/**
 * A gateway for the gate's answers: it finds no raw values, knows no DP releases, and says each
 * content's review state as `stateOf` gives it ('none' when undefined).
 */
export function reviewingGateway(stateOf: (contentHash: string) => string | undefined) {
  return {
    baseUrl: 'http://gateway.test',
    async checkOutputLeaks({ outputs }: { outputs: unknown[] }) {
      return { rawValue: outputs.map(() => false) };
    },
    async reviewStatus({ contentHashes }: { contentHashes: string[] }) {
      return {
        statuses: contentHashes.map((contentHash) => ({
          contentHash,
          state: stateOf(contentHash) ?? 'none',
        })),
      };
    },
    async verifyReleases() {
      return { releases: [] };
    },
  };
}

/** Who the fake session is signed in as: the gateway `client`, user 'ana' and 'exp-1' unless set. */
export interface SignIn<C> {
  /** The fake gateway client the gate and the answers call. */
  client: C;
  /** The signed-in user (default 'ana'); the role is always 'analyst'. */
  user?: string;
  /** The selected experiment (default 'exp-1'). */
  experiment?: string;
  /** The review settings of the gateway's policy (GET /whoami `exportRules`); none when unset. */
  exportRules?: DisplayRules;
}

/** What differs between the gate tests' setups. */
export interface GateOptions<C> {
  /** The prefix of the notebook's name (a counter follows it). */
  name: string;
  /** Who is signed in at the start (undefined: signed out). */
  signedIn: SignIn<C> | undefined;
  /** Whether to build the document gate (OutputGate) too (default false). */
  gate?: boolean;
  /** Whether to build the host's answers to the gate renderer (default true). */
  answers?: boolean;
  /** How long `ask` waits for the host's answer before failing, in ms (default 8000). */
  answerWithinMs?: number;
}

/** The setup over one new notebook, signed in or not. */
export interface GateSetup<C> {
  /** The notebook, open in the fake workspace until `dispose`. */
  notebook: Fake.FakeNotebook;
  /** The originals the gate swapped out. */
  held: HeldOutputsType;
  /** The approvals shared by the gate and the answers. */
  approvals: ApprovalsType;
  /** The gateway's raw-value verdicts shared by the gate and the answers. */
  rawValues: RawValueChecks;
  /** The document gate, when built. */
  gate: OutputGateType | undefined;
  /** Signs in as `who` (undefined: out) and tells the session's listeners. */
  signIn(who: SignIn<C> | undefined): void;
  /** Tells the session's listeners it changed, signed in as before. */
  sessionChanged(): void;
  /** The views loaded again (as after every session change): the gate checks every output. */
  viewsLoaded(): void;
  /** Disposes what was built and closes the notebook. */
  dispose(): void;
}

/** The setup with the host's answers to the gate renderer. */
export interface AnsweringGateSetup<C> extends GateSetup<C> {
  /** The gate renderer's messaging: what the host posted to the renderers. */
  messaging: Fake.FakeRendererMessaging;
  /** The lines the host wrote to its Privet output channel. */
  logged: string[];
  /** Asks as the renderer does about an item; resolves with the host's answer. */
  ask(mime: string, text: string): Promise<boolean>;
}

let notebookCount = 0;

/** Builds the setup with the host's answers to the gate renderer (the default). */
export function setUpGate<C>(options: GateOptions<C> & { answers?: true }): AnsweringGateSetup<C>;
/** Builds the setup without the host's answers (the document gate alone). */
export function setUpGate<C>(options: GateOptions<C> & { answers: false }): GateSetup<C>;
export function setUpGate<C>(options: GateOptions<C>): GateSetup<C> | AnsweringGateSetup<C> {
  const sessionChanged = new fake.EventEmitter<void>();
  const viewsChanged = new fake.EventEmitter<void>();
  const signedInAs = (who: SignIn<C> | undefined) =>
    who && {
      client: who.client,
      user: who.user ?? 'ana',
      roles: ['analyst'],
      experiment: who.experiment ?? 'exp-1',
      ...(who.exportRules ? { exportRules: who.exportRules } : {}),
    };
  const session = {
    signedIn: signedInAs(options.signedIn),
    onDidChange: sessionChanged.event,
    whenRestored: () => Promise.resolve(),
  };
  const views = {
    current: () => [],
    whenKnown: () => Promise.resolve([]),
    onDidChange: viewsChanged.event,
  };
  const held = new HeldOutputs();
  const approvals = new Approvals();
  const rawValues = new RawValueChecks();
  const notebook = new fake.FakeNotebook(`${options.name}-${++notebookCount}`);
  fake.workspace.notebookDocuments.push(notebook);
  const logged: string[] = [];
  const answers =
    options.answers === false
      ? undefined
      : new RendererApprovals(approvals, session as never, views as never, held, rawValues, {
          info: (line) => logged.push(line),
        });
  const gate = options.gate
    ? new OutputGate(held, approvals, session as never, views as never, rawValues)
    : undefined;
  const setup: GateSetup<C> = {
    notebook,
    held,
    approvals,
    rawValues,
    gate,
    signIn(who) {
      session.signedIn = signedInAs(who);
      sessionChanged.fire();
    },
    sessionChanged: () => sessionChanged.fire(),
    viewsLoaded: () => viewsChanged.fire(),
    dispose() {
      answers?.dispose();
      gate?.dispose();
      notebook.isClosed = true;
      const all = fake.workspace.notebookDocuments;
      all.splice(all.indexOf(notebook), 1);
    },
  };
  if (!answers) return setup;
  const messaging = fake.rendererMessagings.get(GATE_RENDERER_ID)!;
  const answerWithinMs = options.answerWithinMs ?? 8000;
  let nextId = 1;
  return {
    ...setup,
    messaging,
    logged,
    async ask(mime, text) {
      const requestId = nextId++;
      const deadline = Date.now() + answerWithinMs;
      messaging.send(notebook, { type: 'privet.approval?', requestId, mime, text });
      for (;;) {
        const a = messaging.posted.find((m) => isApprovalAnswer(m) && m.requestId === requestId);
        if (a && isApprovalAnswer(a)) return a.approved;
        if (Date.now() > deadline) return assert.fail(`no answer to question ${requestId}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}
