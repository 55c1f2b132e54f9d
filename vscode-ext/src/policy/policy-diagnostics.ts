/**
 * Shows the policy checker's errors and notes on open policy files (policy.yaml, *.policy.yaml,
 * privet-policy.yaml, and the globs of the `privet.policyFiles` setting) in the Problems panel as a
 * steward types, the same findings with the same file:line:column as `privet policy check`. Runs
 * in the extension host; reads no data.
 */
import * as vscode from 'vscode';
import { isPolicyFile, policyProblems } from './policy-problems.js';

/** Milliseconds a burst of typing waits before the file is checked again. */
const CHECK_DELAY_MS = 250;

/** The `privet.policyFiles` setting: more glob patterns of policy files (strings only). */
function extraPatterns(): string[] {
  const value = vscode.workspace.getConfiguration('privet').get<unknown>('policyFiles', []);
  return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string') : [];
}

/** True when `doc` is checked as a policy: by its name, or a glob of `privet.policyFiles`. */
function checksAsPolicy(doc: vscode.TextDocument): boolean {
  return (
    isPolicyFile(doc.fileName) ||
    extraPatterns().some((pattern) => vscode.languages.match({ pattern }, doc) > 0)
  );
}

/** Registers the policy diagnostics; the returned disposable removes them. */
export function registerPolicyDiagnostics(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('privet-policy');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const check = (doc: vscode.TextDocument): void => {
    if (doc.isClosed) return;
    if (!checksAsPolicy(doc)) {
      collection.delete(doc.uri); // e.g. its pattern was just removed from the setting
      return;
    }
    const file = vscode.workspace.asRelativePath(doc.uri);
    collection.set(
      doc.uri,
      policyProblems(doc.getText(), file).map((p) => {
        const range = new vscode.Range(p.line, p.start, p.line, p.end);
        const severity =
          p.severity === 'error'
            ? vscode.DiagnosticSeverity.Error
            : vscode.DiagnosticSeverity.Information;
        const diagnostic = new vscode.Diagnostic(range, p.message, severity);
        diagnostic.source = 'Privet policy';
        if (p.path) diagnostic.code = p.path;
        return diagnostic;
      }),
    );
  };
  const later = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        check(doc);
      }, CHECK_DELAY_MS),
    );
  };
  vscode.workspace.textDocuments.forEach(check);
  const subscriptions = [
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => later(e.document)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('privet.policyFiles'))
        vscode.workspace.textDocuments.forEach(check);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      clearTimeout(timers.get(doc.uri.toString()));
      timers.delete(doc.uri.toString());
      collection.delete(doc.uri);
    }),
  ];
  return new vscode.Disposable(() => {
    for (const timer of timers.values()) clearTimeout(timer);
    subscriptions.forEach((s) => s.dispose());
    collection.dispose();
  });
}
