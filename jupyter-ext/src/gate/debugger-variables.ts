/**
 * Why: JupyterLab's debugger lists the kernel's variables with their values (debugpy's repr of
 * each), which shows kernel data outside any output — `contact = df.email[0]` would show the
 * address in the Variables panel. Every value the panel receives (the scopes after each run, and
 * the children of an expanded variable) is checked like a printed line first; a held value is
 * shown as a placeholder naming the rules. "Render Variable" asks the kernel for a variable's MIME
 * bundle and renders it with the active notebook's registry, but with the global (ungated) one
 * when a code console is active: so the bundle itself is checked where it arrives, and a held one
 * becomes a text/plain placeholder. "Evaluate Code" (the Debug Console, while stopped at a
 * breakpoint) shows the result string of a DAP `evaluate` request, and the debugger's completions
 * parse one (`d["` lists the keys of `d`): that result is checked like a printed line too, and a
 * held one becomes the held text. The debugger offers no hook for this, so its service instance
 * is wrapped where the panel reads: `model.variables.scopes`, `inspectVariable`,
 * `inspectRichVariable` and `evaluate`.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import { holdingRules, type NotebookOutput, type ReviewResult } from '@privet/core/review/index';
import type { OutputGate } from './gate.js';

/** The text shown instead of a held value. */
export function heldValueText(result: ReviewResult): string {
  return `held by Privet review: rules ${holdingRules(result.findings).join(', ')}`;
}

/** How to see a held value, where there is room to say it (Debug Console, completer help). */
export const HELD_VALUE_HINT =
  'To see this value, print it in a cell and request a review of that output.';

/** `text` quoted like `value` when that is a quoted string repr (the panel strips the quotes). */
function quotedLike(value: string, text: string): string {
  const quote = /^(['"]).*\1$/s.exec(value)?.[1] ?? '';
  return `${quote}${text}${quote}`;
}

/** The variable, with its value replaced when the check holds it. */
export function gateVariable<T extends { value: string }>(gate: OutputGate, variable: T): T {
  let result: ReviewResult;
  try {
    result = gate.checkOnce({ output_type: 'stream', name: 'stdout', text: variable.value });
  } catch {
    const text = 'held by Privet review: the value could not be read';
    return { ...variable, value: quotedLike(variable.value, text) };
  }
  if (result.verdict === 'pass') return variable;
  return { ...variable, value: quotedLike(variable.value, heldValueText(result)) };
}

/** The rich variable (a MIME bundle), or a text/plain placeholder when the check holds it. */
export function gateRichVariable(
  gate: OutputGate,
  variable: IDebugger.IRichVariable,
): IDebugger.IRichVariable {
  let text: string;
  try {
    const output = {
      output_type: 'display_data',
      data: variable.data,
      metadata: variable.metadata,
    } as NotebookOutput;
    const result = gate.checkOnce(output);
    if (result.verdict === 'pass') return variable;
    text = heldValueText(result);
  } catch {
    text = 'held by Privet review: the value could not be read';
  }
  return { data: { 'text/plain': text }, metadata: {} };
}

/** What the debugger service's `evaluate` resolves with (a DAP evaluate response body, or null). */
export type EvaluateResult = Awaited<ReturnType<IDebugger['evaluate']>>;

/**
 * The evaluate response, with its result string replaced by the held text when the check holds it
 * (and no child variables to expand: they belong to the held value).
 */
export function gateEvaluateResult(gate: OutputGate, reply: EvaluateResult): EvaluateResult {
  if (!reply) return reply;
  let text: string;
  try {
    const result = gate.checkOnce({ output_type: 'stream', name: 'stdout', text: reply.result });
    if (result.verdict === 'pass') return reply;
    text = heldValueText(result);
  } catch {
    text = 'held by Privet review: the value could not be read';
  }
  return { ...reply, result: `${text}\n${HELD_VALUE_HINT}`, variablesReference: 0 };
}

/**
 * Wraps the debugger service so its Variables panel, its Debug Console ("Evaluate Code") and its
 * completions only ever receive checked values.
 */
export function gateDebuggerVariables(service: IDebugger, gate: OutputGate): void {
  const variables = service.model.variables;
  const scopes = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(variables), 'scopes');
  if (!scopes?.get || !scopes.set) {
    throw new Error(
      'Privet: this JupyterLab debugger has no variables model to gate; its Variables panel would show unchecked values.',
    );
  }
  const { get, set } = scopes;
  Object.defineProperty(variables, 'scopes', {
    configurable: true,
    get(this: IDebugger.Model.IVariables): IDebugger.IScope[] {
      return get.call(this) as IDebugger.IScope[];
    },
    set(this: IDebugger.Model.IVariables, value: IDebugger.IScope[]) {
      set.call(
        this,
        value.map((scope) => ({
          ...scope,
          variables: scope.variables.map((v) => gateVariable(gate, v)),
        })),
      );
    },
  });
  const inspect = service.inspectVariable.bind(service);
  service.inspectVariable = async (reference: number) =>
    (await inspect(reference)).map((v) => gateVariable(gate, v));
  const inspectRich = service.inspectRichVariable.bind(service);
  service.inspectRichVariable = async (name: string, frameId?: number) =>
    gateRichVariable(gate, await inspectRich(name, frameId));
  const evaluate = service.evaluate.bind(service);
  service.evaluate = async (expression: string) =>
    gateEvaluateResult(gate, await evaluate(expression));
}
