/**
 * Runs jupyter-ext's output gate — the gating renderer (gate/GatedOutput.ts) with its OutputGate,
 * GateHost and save filter — in Node: @lumino/widgets, @jupyterlab/rendermime, @jupyterlab/apputils
 * and @jupyterlab/ui-components are replaced by the fixtures/ stubs (the real ones need a browser).
 * With a fake gateway that finds the raw values it is given, an inner renderer that records what
 * it draws, and a notebook model serialized through the save filter. Modules are loaded by path:
 * test/tsconfig.json has no JupyterLab types, so the shapes below are the parts the tests use.
 */
import { register } from 'node:module';
import { Signal } from '@lumino/signaling';
import type { OutputLeakCheckRequest, OutputLeakCheckResponse } from '@privet/core';
import type { NotebookOutput, ReviewContext, ReviewResult } from '@privet/core/review/index';
import { fakeGateServices } from './fakes.js';

const stub = (name: string): string => new URL(`./fixtures/${name}.ts`, import.meta.url).href;
const STUBS: Record<string, string> = {
  '@lumino/widgets': stub('lumino-widgets'),
  '@jupyterlab/rendermime': stub('rendermime'),
  '@jupyterlab/apputils': stub('apputils'),
  '@jupyterlab/ui-components': stub('ui-components'),
};
const HOOKS = `const stubs = ${JSON.stringify(STUBS)};
export async function resolve(specifier, context, next) {
  return next(Object.hasOwn(stubs, specifier) ? stubs[specifier] : specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);

/** Imports a module of jupyter-ext/src/gate by name (after the stubs are registered). */
export async function gateModule<T>(name: string): Promise<T> {
  return (await import(
    new URL(`../../jupyter-ext/src/gate/${name}.ts`, import.meta.url).href
  )) as T;
}

/** jupyter-ext gate/gate.ts's OutputGate, as far as the tests use it. */
export interface Gate {
  check(output: NotebookOutput, views: readonly never[]): { result: ReviewResult };
  checkContext(): unknown[] | null;
  checkOnce(output: NotebookOutput): ReviewResult;
  saveContext(): ReviewContext;
}
/** An output model (IOutputModel) as the gate reads it. */
export interface OutputModel {
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  trusted: boolean;
  toJSON(): NotebookOutput;
}
/** jupyter-ext gate/GatedOutput.ts, as far as the tests use it. */
interface GatedOutputLike {
  renderModel(model: OutputModel): Promise<void>;
  dispose(): void;
}
/** jupyter-ext gate/host.ts's GateHost, as far as the tests use it. */
interface Host {
  gate: Gate;
  experiment(): string | null;
  isShown(model: OutputModel): boolean;
}
/** A notebook model as far as the save filter reads and patches it. */
interface ModelLike {
  cells: unknown[] & { changed: Signal<object, unknown> };
  toJSON(): unknown;
}

const { OutputGate } = await gateModule<{ OutputGate: new (services: unknown) => Gate }>('gate');
const { GateHost } = await gateModule<{ GateHost: new (gate: Gate) => Host }>('host');
const { GatedOutput } = await gateModule<{
  GatedOutput: new (inner: InnerRenderer, host: Host) => GatedOutputLike;
}>('GatedOutput');
const { filterSavedOutputs } = await gateModule<{
  filterSavedOutputs(model: ModelLike, host: Host): void;
}>('save-filter');

/** A made-up value of a raw identifier column, which the fake gateway knows. */
export const RAW = 'Ada Lindqvist';

/** A fake gateway client: an output whose text (after `before`) holds a raw value is raw. */
export function fakeGateway(baseUrl = 'http://127.0.0.1:1') {
  const state = { calls: 0, asked: 0, raw: [RAW], failure: null as Error | null };
  const client = {
    baseUrl,
    async checkOutputLeaks(body: OutputLeakCheckRequest): Promise<OutputLeakCheckResponse> {
      state.calls += 1;
      state.asked += body.outputs.length;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (state.failure) throw state.failure;
      return {
        rawValue: body.outputs.map(({ output, before }) => {
          const text = `${before ?? ''}${JSON.stringify(output)}`;
          return state.raw.some((value) => text.includes(value));
        }),
      };
    },
    listViews: async () => ({ views: [] }),
    reviewStatus: async (body: { contentHashes: string[] }) => ({
      statuses: body.contentHashes.map((contentHash) => ({ contentHash, state: 'none' })),
    }),
  };
  return { client, state };
}

/** The gated renderer's inner renderer: records the data of every model it draws. */
export class InnerRenderer {
  readonly node = { classList: { add(): void {}, remove(): void {} }, replaceChildren(): void {} };
  readonly drawn: string[] = [];
  /** Records the drawing. */
  async renderModel(model: { data: Record<string, unknown> }): Promise<void> {
    this.drawn.push(JSON.stringify(model.data));
  }
  /** Lumino's class hooks: nothing to draw. */
  addClass(): void {}
  /** Lumino's class hooks: nothing to draw. */
  removeClass(): void {}
  /** Nothing to free. */
  dispose(): void {}
}

/** An output model of `json`. */
export function outputModel(json: NotebookOutput): OutputModel {
  const data = 'data' in json ? { ...(json.data as Record<string, unknown>) } : {};
  return { type: json.output_type, data, metadata: {}, trusted: false, toJSON: () => json };
}

/** A display_data output showing `text`. */
export const display = (text: string): NotebookOutput => ({
  output_type: 'display_data',
  data: { 'text/plain': text },
  metadata: {},
});

/** A stdout stream output. */
export const stdout = (text: string): NotebookOutput => ({
  output_type: 'stream',
  name: 'stdout',
  text,
});

/** Waits until `done()` holds (or fails after `ms`): the gate's calls are batched and spaced. */
export async function until(done: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out waiting for the gate');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits long enough for every call the gate would make to be answered. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 300));

/**
 * A gate signed in to `gateway` (null: signed out) in `experiment`, as `user` (GET /whoami), with
 * a notebook whose cells' outputs are `cells`, serialized through the save filter: `render` draws
 * one output, `saved()` is the file Save would write. Signed in, it resolves once the views are
 * loaded (their arrival would decide outputs drawn before it again).
 */
export async function gatedNotebook(
  gateway: ReturnType<typeof fakeGateway>['client'] | null,
  experiment: string | null,
  cells: NotebookOutput[][] = [],
  user?: object,
) {
  const fake = fakeGateServices(gateway, experiment, user);
  const gate = new OutputGate(fake.services);
  const host = new GateHost(gate);
  const model: ModelLike = {
    cells: Object.assign([], { changed: new Signal<object, unknown>({}) }),
    toJSON: () => ({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: cells.map((outputs, i) => ({
        cell_type: 'code',
        id: `c${i}`,
        source: 'show()',
        metadata: {},
        execution_count: i + 1,
        outputs,
      })),
    }),
  };
  filterSavedOutputs(model, host);
  if (gateway) {
    fake.signIn(gateway, user); // as a real sign-in: the gate loads the views
    await until(() => gate.checkContext() !== null);
  }
  return {
    ...fake,
    gate,
    host,
    /** The file Save would write, as text. */
    saved: (): string => JSON.stringify(model.toJSON()),
    /** Draws `json` through a new gated renderer; resolves once it is decided. */
    async render(json: NotebookOutput) {
      const inner = new InnerRenderer();
      const out = new GatedOutput(inner, host);
      const model = outputModel(json);
      await out.renderModel(model);
      return { inner, model, out, state: () => heldState(out) };
    },
  };
}

/** The state of a gated output's placeholder ('raw-value', 'signed-out', …), or null when drawn. */
export function heldState(out: GatedOutputLike): string | null {
  // Read from the renderer's private record of what it holds: the placeholder shows exactly it.
  return (out as unknown as { held: { state: string } | null }).held?.state ?? null;
}
