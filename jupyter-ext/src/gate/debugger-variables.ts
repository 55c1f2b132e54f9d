/**
 * Why: JupyterLab's debugger lists the kernel's variables with their values (debugpy's repr of
 * each), which shows kernel data outside any output — `contact = df.email[0]` would show the
 * address in the Variables panel. Every value the panel receives (the scopes after each run, and
 * the children of an expanded variable) is checked like a printed line first; a held value is
 * shown as a placeholder naming the rules. The debugger offers no hook for this, so its service
 * instance is wrapped where the panel reads: `model.variables.scopes` and `inspectVariable`.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import { holdingRules, type ReviewResult } from '@privet/core/review/index';
import type { OutputGate } from './gate.js';

/** The text shown instead of a held value. */
export function heldValueText(result: ReviewResult): string {
  return `held by Privet review: rules ${holdingRules(result.findings).join(', ')}`;
}

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

/** Wraps the debugger service so its Variables panel only ever receives checked values. */
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
}
