/**
 * The Privet SQL language server (its own Node process, started by the extension's language
 * client; also runs over stdio for tests). For SQL notebook cells and .sql files: diagnostics
 * (SqlAnalyzer), hover (a view's tier and columns, a column's masking operator, a DP query's cost
 * and ±error from the dry run) and completion of approved views and columns.
 * Initialization options: { gatewayUrl, token, experiment, wasmDir }; `privet/session`
 * notifications carry the same fields when the user signs in or switches experiment.
 */
import {
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
  type Hover,
} from 'vscode-languageserver/node';
import { aggregateErrorText } from '@privet/core/client/aggregate-error';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { GatewayClient } from '../client/gateway.js';
import { SqlEngine } from '../sql/engine.js';
import { SqlAnalyzer, type SqlAnalysis } from './analysis.js';

/** Session fields the client sends. */
export interface ServerSession {
  gatewayUrl?: string;
  token?: string;
  experiment?: string;
  wasmDir?: string;
}

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let engine: SqlEngine | undefined;
let analyzer: SqlAnalyzer | undefined;
const analyses = new Map<string, SqlAnalysis>();
const pending = new Map<string, ReturnType<typeof setTimeout>>();

function configure(session: ServerSession): void {
  if (!engine) {
    if (!session.wasmDir)
      throw new Error('privet language server: wasmDir missing from initializationOptions');
    engine = new SqlEngine(session.wasmDir);
  }
  const client =
    session.gatewayUrl && session.token
      ? new GatewayClient(session.gatewayUrl, session.token)
      : undefined;
  analyzer = new SqlAnalyzer(client, engine, session.experiment);
  analyses.clear();
  for (const doc of documents.all()) schedule(doc);
}

connection.onInitialize((params) => {
  configure((params.initializationOptions ?? {}) as ServerSession);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Full,
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['.', ' '] },
    },
  };
});

connection.onNotification('privet/session', (session: ServerSession) => configure(session));

function schedule(doc: TextDocument): void {
  clearTimeout(pending.get(doc.uri));
  pending.set(
    doc.uri,
    setTimeout(() => {
      pending.delete(doc.uri);
      void validate(doc);
    }, 250),
  );
}

async function validate(doc: TextDocument): Promise<void> {
  if (!analyzer) return;
  const version = doc.version;
  let analysis: SqlAnalysis;
  try {
    analysis = await analyzer.analyze(doc.getText());
  } catch (error) {
    connection.console.error(
      `privet: analysis failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return;
  }
  if (documents.get(doc.uri)?.version !== version) return;
  analyses.set(doc.uri, analysis);
  const diagnostics: Diagnostic[] = analysis.problems.map((p) => ({
    range: { start: doc.positionAt(p.start), end: doc.positionAt(p.end) },
    severity:
      p.severity === 'error'
        ? DiagnosticSeverity.Error
        : p.severity === 'warning'
          ? DiagnosticSeverity.Warning
          : DiagnosticSeverity.Information,
    code: p.code,
    source: 'privet',
    message: p.message,
  }));
  await connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
}

documents.onDidOpen((e) => schedule(e.document));
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose((e) => {
  analyses.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

/** The identifier under a position. */
function wordAt(doc: TextDocument, offset: number): string {
  const text = doc.getText();
  let s = offset;
  let e = offset;
  while (s > 0 && /[A-Za-z0-9_]/.test(text[s - 1]!)) s--;
  while (e < text.length && /[A-Za-z0-9_]/.test(text[e]!)) e++;
  return text.slice(s, e);
}

connection.onHover(async (params): Promise<Hover | null> => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || !analyzer) return null;
  const word = wordAt(doc, doc.offsetAt(params.position));
  if (!word) return null;
  const views = await analyzer.viewMap();
  // Keyed by lowercased name: DuckDB (and the gateway) read `PEOPLE_DP` as people_dp.
  const view = views.get(word.toLowerCase());
  const lines: string[] = [];
  if (view) {
    lines.push(
      `**${view.name}** — ${view.tier} view of \`${view.source}\`${view.rows !== undefined ? `, ${view.rows} rows` : ''}`,
    );
    lines.push(view.columns.map((c) => `- \`${c.name}\`: ${c.operator}`).join('\n'));
  } else {
    const analysis = analyses.get(doc.uri);
    const scope = analysis?.tables.length ? analysis.tables : [...views.keys()];
    for (const t of scope) {
      const c = views.get(t)?.columns.find((col) => col.name === word);
      if (c) lines.push(`\`${t}.${c.name}\` (${c.type}): masking operator **${c.operator}**`);
    }
  }
  const dry = analyses.get(doc.uri)?.dryRun;
  if (dry) {
    const errs = dry.columns
      .filter((c) => c.role === 'aggregate')
      .map((c) => `${c.name} ${aggregateErrorText(c)}`);
    lines.push(
      `DP dry run: cost ε=${dry.cost.epsilon ?? '-'}${dry.cost.delta ? `, δ=${dry.cost.delta}` : ''}; ${errs.join(', ')} at ${Math.round((1 - dry.alpha) * 100)}%`,
    );
  }
  return lines.length > 0 ? { contents: { kind: 'markdown', value: lines.join('\n\n') } } : null;
});

connection.onCompletion(async () => {
  if (!analyzer) return [];
  const items = (await analyzer.completionViews()).flatMap((v) => [
    {
      label: v.name,
      kind: CompletionItemKind.Class,
      detail: `${v.tier} view`,
      documentation: v.description ?? '',
    },
    ...v.columns.map((c) => ({
      label: c.name,
      kind: CompletionItemKind.Field,
      detail: `${v.name} · ${c.operator}`,
    })),
  ]);
  const seen = new Set<string>();
  return items.filter((i) =>
    seen.has(i.label + i.detail) ? false : (seen.add(i.label + i.detail), true),
  );
});

documents.listen(connection);
connection.listen();
