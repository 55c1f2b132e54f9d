/**
 * Shows the policy checker's errors and notes on open policy files (policy.yaml, *.policy.yaml,
 * privet-policy.yaml) in the Problems panel as a steward types, the same findings with the same
 * file:line:column as `privet policy check`. Runs in the extension host; reads no data.
 */
import * as vscode from 'vscode';
import { isPolicyFile, policyProblems } from './policy-problems.js';

/** Milliseconds a burst of typing waits before the file is checked again. */
const CHECK_DELAY_MS = 250;

/** Registers the policy diagnostics; the returned disposable removes them. */
export function registerPolicyDiagnostics(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('privet-policy');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const check = (doc: vscode.TextDocument): void => {
    if (doc.isClosed || !isPolicyFile(doc.fileName)) return;
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
