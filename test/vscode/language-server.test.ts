/**
 * The Privet SQL language server, started as its own Node process and driven over stdio by a real
 * LSP client connection (vscode-languageserver-protocol), against a real gateway: diagnostics
 * (syntax, unknown view, raw source, unknown/dropped column, refused function, DP refusal with the
 * engine's reason), hover (operator, DP cost from the dry run), completion of views and columns.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createProtocolConnection,
  DiagnosticSeverity,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type Hover,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { readFileSync } from 'node:fs';
import { startTestGateway, EXPERIMENT, type TestGateway } from '../gateway/http/fixture.js';
import { SELECT_EXPERIMENT_COMMAND } from '../../vscode-ext/src/server/analysis.js';

const require = createRequire(import.meta.url);

/** A diagnostic message as text (LSP allows plain text or markup). */
function text(message: string | { value: string }): string {
  return typeof message === 'string' ? message : message.value;
}
const wasmDir = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
const root = resolve(import.meta.dirname, '../..');

describe('Privet SQL language server over stdio', () => {
  let t: TestGateway;
  let server: ChildProcess;
  let conn: ProtocolConnection;
  const diagnostics = new Map<string, PublishDiagnosticsParams>();
  const waiters: (() => void)[] = [];
  let version = 0;

  /** Opens (or changes) a document and waits for its diagnostics of that version. */
  async function diagnose(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    version++;
    const v = version;
    if (v === 1 || !diagnostics.has(uri)) {
      await conn.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'sql', version: v, text },
      });
    } else {
      await conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ text }],
      });
    }
    const deadline = Date.now() + 60_000;
    while (diagnostics.get(uri)?.version !== v) {
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} v${v}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 500);
      });
    }
    return diagnostics.get(uri)!;
  }

  before(async () => {
    t = await startTestGateway();
    server = spawn(
      process.execPath,
      [
        '--conditions=privet-source',
        '--import',
        'tsx',
        'vscode-ext/src/server/server.ts',
        '--stdio',
      ],
      { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    conn = createProtocolConnection(
      new StreamMessageReader(server.stdout!),
      new StreamMessageWriter(server.stdin!),
    );
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      diagnostics.set(p.uri, p);
      for (const w of waiters.splice(0)) w();
    });
    conn.listen();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: {
        gatewayUrl: t.gateway.url,
        token: t.gateway.tokens.ana,
        experiment: EXPERIMENT,
        wasmDir,
      },
    });
    await conn.sendNotification('initialized', {});
  });

  after(async () => {
    conn?.dispose();
    server?.kill('SIGTERM');
    await t.stop();
  });

  const uri = 'file:///cell.sql';

  /** Tells the server about another session, as the extension does on a sign-in or a switch. */
  async function selectExperiment(experiment: string | undefined): Promise<void> {
    await conn.sendNotification('privet/session', {
      gatewayUrl: t.gateway.url,
      token: t.gateway.tokens.ana,
      experiment,
      wasmDir,
    });
  }

  /** Proposes an experiment as ana (approved by stu unless `approve` is false). */
  function experimentWith(id: string, views: string[], approve = true): void {
    t.gateway.services.experiments.propose(
      { user: 'ana', roles: ['analyst'] },
      {
        id,
        title: id,
        purpose: 'language server checks',
        dataCategories: ['income'],
        views,
        analyses: ['counts'],
        expectedOutputs: ['tables'],
      },
    );
    if (approve)
      t.gateway.services.experiments.approve({ user: 'stu', roles: ['steward'] }, id, 'ok');
  }

  it('reports nothing on a valid masked-view query', async () => {
    const d = await diagnose(uri, 'SELECT city, COUNT(*) FROM people_masked GROUP BY city');
    assert.deepEqual(d.diagnostics, []);
  });

  it('reports an unknown view and a raw source by name', async () => {
    const unknown = await diagnose(uri, 'SELECT * FROM patientz');
    assert.equal(unknown.diagnostics[0]?.code, 'unknown-view');
    assert.equal(unknown.diagnostics[0]?.range.start.character, 14);
    const raw = await diagnose(uri, 'SELECT * FROM people');
    assert.equal(raw.diagnostics[0]?.code, 'raw-source');
    assert.match(text(raw.diagnostics[0]!.message), /people_masked/);
  });

  it('tells a column the policy drops from a column that does not exist', async () => {
    // people_later is not published either: that is reported next to the dropped column.
    const dropped = await diagnose(uri, 'SELECT email FROM people_later');
    const column = dropped.diagnostics.find((d) => d.code === 'dropped-column');
    assert.equal(column?.range.start.character, 7, JSON.stringify(dropped.diagnostics));
    assert.match(
      text(column!.message),
      /exists in source "people" but the policy keeps it out of view "people_later"/,
    );
    const unknown = await diagnose(uri, 'SELECT emial FROM people_masked');
    assert.equal(unknown.diagnostics[0]?.code, 'unknown-column');
    assert.match(text(unknown.diagnostics[0]!.message), /Fix: use one of .*email/);
  });

  it('reports syntax errors and refused functions from DuckDB itself', async () => {
    const syntax = await diagnose(uri, 'SELEC city FROM people_masked');
    assert.equal(syntax.diagnostics[0]?.code, 'syntax');
    const file = await diagnose(uri, "SELECT * FROM read_csv('/etc/passwd')");
    assert.equal(file.diagnostics[0]?.code, 'refused-function', JSON.stringify(file.diagnostics));
  });

  it("reports a DP query the engine would refuse, with the engine's reason", async () => {
    const d = await diagnose(uri, 'SELECT person_id FROM people_dp');
    assert.equal(d.diagnostics[0]?.code, 'dp-refused');
    assert.match(text(d.diagnostics[0]!.message), /Fix: /);
  });

  it('flags a DP query its budget cannot pay before Run, saying what is short and the fix', async () => {
    const d = await diagnose(uri, '-- privet: epsilon=5\nSELECT COUNT(*) AS n FROM people_dp');
    assert.equal(d.diagnostics.length, 1, JSON.stringify(d.diagnostics));
    const [problem] = d.diagnostics;
    assert.equal(problem?.code, 'dp-unaffordable');
    assert.equal(problem?.severity, DiagnosticSeverity.Error);
    assert.deepEqual(problem?.range.start, { line: 1, character: 0 });
    assert.match(
      text(problem!.message),
      /^Running this query would be refused: the query needs ε=5 on people \([\d.]+ left\)\. Fix: ask for less ε/,
    );
  });

  it("hovers a column's masking operator and a DP query's cost", async () => {
    await diagnose(uri, 'SELECT email FROM people_masked');
    const hover = (await conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 9 },
    })) as Hover;
    assert.match(JSON.stringify(hover.contents), /mask_email/);
    const dp = await diagnose(uri, '-- privet: epsilon=0.2\nSELECT COUNT(*) AS n FROM people_dp');
    assert.deepEqual(dp.diagnostics, []);
    const dpHover = (await conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 1, character: 30 },
    })) as Hover;
    assert.match(JSON.stringify(dpHover.contents), /cost ε=0\.2; n ± \d/);
  });

  it('reads view names case-insensitively, quoted or not, as DuckDB and the gateway do', async () => {
    const masked = await diagnose(
      uri,
      'SELECT city, COUNT(*) AS n FROM People_Masked GROUP BY city',
    );
    assert.deepEqual(masked.diagnostics, []);
    const dp = await diagnose(uri, 'SELECT COUNT(*) AS n FROM PEOPLE_DP');
    assert.deepEqual(dp.diagnostics, [], 'the gateway prices FROM PEOPLE_DP');
    const hover = (await conn.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 30 },
    })) as Hover;
    assert.match(JSON.stringify(hover.contents), /people_dp\*\* — dp view/);
    const quoted = await diagnose(uri, 'SELECT COUNT(*) AS n FROM "People_Dp"');
    assert.deepEqual(quoted.diagnostics, []);
    const raw = await diagnose(uri, 'SELECT * FROM "PEOPLE"');
    assert.equal(raw.diagnostics[0]?.code, 'raw-source');
  });

  it('reports views the Run would refuse in the selected experiment', async () => {
    const later = await diagnose(uri, 'SELECT city FROM people_later');
    assert.deepEqual(
      later.diagnostics.map((d) => d.code),
      ['view-not-published'],
    );
    assert.equal(later.diagnostics[0]?.range.start.character, 17);
    assert.match(
      text(later.diagnostics[0]!.message),
      /view "people_later" is not published yet.*Fix: ask a steward to run privet publish/,
    );
    experimentWith('exp-masked-only', ['people_masked']);
    experimentWith('exp-proposed', ['people_masked'], false);
    try {
      await selectExperiment('exp-masked-only');
      const dp = await diagnose(uri, 'SELECT COUNT(*) AS n FROM people_dp');
      assert.equal(dp.diagnostics.length, 1, JSON.stringify(dp.diagnostics));
      assert.equal(dp.diagnostics[0]?.code, 'view-not-in-experiment');
      assert.equal(dp.diagnostics[0]?.severity, DiagnosticSeverity.Error);
      assert.match(
        text(dp.diagnostics[0]!.message),
        /view "people_dp" is not among the views experiment "exp-masked-only" requested \(people_masked\)\. Fix: /,
      );
      const both = await diagnose(uri, 'SELECT city FROM people_later');
      assert.deepEqual(
        both.diagnostics.map((d) => d.code),
        ['view-not-in-experiment', 'view-not-published'],
      );
      const ok = await diagnose(uri, 'SELECT city FROM people_masked');
      assert.deepEqual(ok.diagnostics, []);
      await selectExperiment('exp-proposed');
      const proposed = await diagnose(uri, 'SELECT city FROM people_masked');
      assert.equal(proposed.diagnostics[0]?.code, 'experiment-inactive');
      assert.match(
        text(proposed.diagnostics[0]!.message),
        /experiment "exp-proposed" is in state proposal.*Fix: ask a steward to approve it/,
      );
      await selectExperiment('exp-nobody-has');
      const unknown = await diagnose(uri, 'SELECT city FROM people_masked');
      assert.equal(unknown.diagnostics[0]?.code, 'experiment-unknown');
    } finally {
      await selectExperiment(EXPERIMENT);
    }
  });

  it('says a DP query was checked only locally while no experiment is selected', async () => {
    const pkg = JSON.parse(readFileSync(resolve(root, 'vscode-ext/package.json'), 'utf8')) as {
      contributes: { commands: { command: string; title: string; category?: string }[] };
    };
    const command = pkg.contributes.commands.find((c) => c.command === 'privet.selectExperiment');
    assert.equal(`${command?.category}: ${command?.title}`, SELECT_EXPERIMENT_COMMAND);
    try {
      await selectExperiment(undefined);
      const d = await diagnose(uri, 'SELECT COUNT(*) AS n FROM people_dp');
      assert.equal(d.diagnostics.length, 1, JSON.stringify(d.diagnostics));
      assert.equal(d.diagnostics[0]?.code, 'dp-not-checked');
      assert.equal(d.diagnostics[0]?.severity, DiagnosticSeverity.Information);
      assert.ok(
        text(d.diagnostics[0]!.message).includes(
          `pick an experiment (${SELECT_EXPERIMENT_COMMAND}) to check this DP query against the gateway`,
        ),
      );
      const masked = await diagnose(uri, 'SELECT city FROM people_masked');
      assert.deepEqual(masked.diagnostics, [], 'only DP queries go to the gateway');
    } finally {
      await selectExperiment(EXPERIMENT);
    }
  });

  it('refuses a -- privet: option with no value, as the runner does', async () => {
    const d = await diagnose(uri, '-- privet: epsilon=\nSELECT COUNT(*) AS n FROM people_dp');
    assert.equal(d.diagnostics.length, 1, JSON.stringify(d.diagnostics));
    assert.equal(d.diagnostics[0]?.code, 'dp-option');
    assert.deepEqual(d.diagnostics[0]?.range, {
      start: { line: 0, character: 11 },
      end: { line: 0, character: 19 },
    });
    assert.match(
      text(d.diagnostics[0]!.message),
      /^epsilon has no value\. Fix: write epsilon=0\.5/,
    );
  });

  it('completes approved views and their columns', async () => {
    const items = (await conn.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: 0, character: 0 },
    })) as CompletionItem[];
    const labels = items.map((i) => i.label);
    for (const name of ['people_masked', 'people_dp', 'city', 'income'])
      assert.ok(labels.includes(name), name);
    assert.ok(!labels.includes('people'), 'raw sources are never offered');
  });
});
