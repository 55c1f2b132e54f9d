/**
 * Starts the Privet SQL language server (dist/server.cjs) in its own Node process over IPC and
 * keeps it told about the session (gateway URL, token, experiment) — in memory only.
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { Session } from '../session.js';
import { SQL_CELL_LANGUAGES } from '../shared/sql-languages.js';
import { sessionFields } from './session-fields.js';

/** Starts the language client; the returned disposable stops it. */
export async function startLanguageClient(
  context: vscode.ExtensionContext,
  session: Session,
): Promise<vscode.Disposable> {
  const module = context.asAbsolutePath('dist/server.cjs');
  const wasmDir = context.asAbsolutePath('dist/duckdb');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SQL_CELL_LANGUAGES.flatMap((language) =>
      ['vscode-notebook-cell', 'file', 'untitled'].map((scheme) => ({ scheme, language })),
    ),
    initializationOptions: sessionFields(session, wasmDir),
    outputChannelName: 'Privet SQL language server',
  };
  const client = new LanguageClient('privetSql', 'Privet SQL', serverOptions, clientOptions);
  await client.start();
  const listener = session.onDidChange(() => {
    void client.sendNotification('privet/session', sessionFields(session, wasmDir));
  });
  return new vscode.Disposable(() => {
    listener.dispose();
    void client.stop();
  });
}
