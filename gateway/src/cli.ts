/** The `privet` command line: serve, publish, tokens, policy checks and demo data. */
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { PolicyError, policyJsonSchema } from '@privet/core';
import { loadPolicyFile } from './policy-file.js';
import { startGateway } from './http/server.js';
import { checkTokenStore, parseDuration, type IssuedTokens } from './http/tokens.js';
import { issueTokensRecorded, revokeTokensRecorded, withStateRecords } from './http/token-audit.js';
import { publishViews, type PublishResult } from './publish/index.js';
import { progressReporter } from './publish/progress-bar.js';
import {
  publishedSources,
  undeclaredColumns,
  undeclaredColumnsNote,
  undeclaredColumnsNotes,
  viewSources,
} from './publish/undeclared-columns.js';
import { formatPlan, planFromState } from './publish/plan-cli.js';
import { generateDemoData } from './demo/generate.js';
import { checkFiles, exitCodeFor, formatFileVerdicts } from './review/check-files.js';
import { openReleaseRegistry } from './review/open-releases.js';
import { runSynthCommand } from './synth/cli.js';
import { exposedHostWarning } from './http/listen-host.js';
import { addRecordCommands, requireStateDir } from './cli-records.js';
import { addExportCommands } from './cli-export.js';
import { declared } from '@privet/core/policy/lookup';
import { linkedRowsCaveat } from '@privet/core/policy/linking';
import { policyNotes } from '@privet/core/policy/notes';
import { policyPositions } from '@privet/core/policy/positions';
import { buildLeakIndex } from './leak/index-build.js';
import { loadOrCreateMasterKey } from './keys.js';
import { printableJson } from './text/control-chars.js';
import { cliErrorMessage, type CliErrorContext } from './cli-errors.js';

const DEFAULT_STATE = '.privet/state';
const DEMO_POLICY = fileURLToPath(new URL('../demo/policy.yaml', import.meta.url));
const program = new Command('privet')
  .description('Privet gateway: the only process that reads raw data')
  .showHelpAfterError();

const policyOption = () => new Option('--policy <file>', 'policy YAML file').makeOptionMandatory();
const stateOption = () =>
  new Option('--state <dir>', 'gateway state folder (keys, views, ledger)').default(DEFAULT_STATE);

/** The `--port` value as a TCP port (0..65535, 0 = any free port), or a refusal with the fix. */
function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new Error(
      `--port ${JSON.stringify(text)} is not a port number. Fix: pass a whole number from 0 to 65535 ` +
        '(0 picks a free port), e.g. --port 8765',
    );
  return port;
}

program
  .command('serve')
  .description('start the HTTP API on 127.0.0.1')
  .addOption(policyOption())
  .addOption(stateOption())
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .addOption(
    new Option(
      '--allowed-hosts <names>',
      'more Host names to answer to, comma-separated (e.g. a reverse proxy’s name); besides ' +
        '127.0.0.1, localhost, [::1] and the --host address, every other Host gets 421 (DNS rebinding)',
    ).env('PRIVET_ALLOWED_HOSTS'),
  )
  .option('--port <port>', 'port (0 picks a free one)', '8765')
  .option('--cors <origin...>', 'browser origins allowed to call the API')
  .option('--issue-tokens', 'issue fresh tokens for every user of the policy and print them')
  .option('--token-ttl <duration>', 'lifetime of the issued tokens (e.g. 90m, 12h, 7d)', '12h')
  .option('--log', 'log each request as a JSON line on stdout (download tickets redacted)')
  .action(
    async (opts: {
      policy: string;
      state: string;
      host: string;
      allowedHosts?: string;
      port: string;
      cors?: string[];
      issueTokens?: boolean;
      tokenTtl: string;
      log?: boolean;
    }) => {
      const port = parsePort(opts.port);
      const loaded = loadPolicyFile(opts.policy);
      const users = opts.issueTokens ? Object.keys(loaded.policy.users) : [];
      const gateway = await startGateway({
        policyPath: opts.policy,
        stateDir: opts.state,
        host: opts.host,
        allowedHosts: (opts.allowedHosts ?? '')
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== ''),
        port,
        corsOrigins: opts.cors ?? [],
        issueTokensFor: users,
        tokenTtlMs: parseDuration(opts.tokenTtl),
        warmLeakIndex: true,
        log: opts.log ?? false,
      });
      console.log(`Privet gateway listening on ${gateway.url}/api/v1`);
      const exposed = exposedHostWarning(opts.host);
      if (exposed) console.warn(exposed);
      // Once, at start: columns of the files the views read (any tier) that are never loaded.
      for (const note of await undeclaredColumnsNotes(
        loaded.policy,
        loaded.dir,
        viewSources(loaded.policy),
      ))
        console.warn(`note: ${note}`);
      for (const [user, token] of Object.entries(gateway.tokens))
        console.log(`  token for ${user}: ${token}`);
      if (users.length > 0) console.log(`  (tokens expire at ${gateway.tokensExpireAt})`);
      const stop = () => void gateway.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
  );

/**
 * The line `privet publish` prints for one view: kept, published, or rebuilt byte-identical to a
 * release already charged (the manifest's budget names the charge that paid and the reservation
 * this publish gave back), so no budget was spent.
 */
function publishedLine(r: PublishResult): string {
  if (r.unchanged) return `kept ${r.view}: ${r.rows} rows (inputs unchanged, no budget spent)`;
  const budget = r.manifest.privacy?.['budget'];
  const { refunded, reservation } = (
    typeof budget === 'object' && budget !== null ? budget : {}
  ) as { refunded?: unknown; reservation?: unknown };
  if (typeof refunded !== 'string')
    return `published ${r.view}: ${r.rows} rows, ${r.rowsSuppressed} suppressed`;
  const paidBy = typeof reservation === 'string' ? ` (charge ${reservation} paid for it)` : '';
  return (
    `rebuilt ${r.view}: ${r.rows} rows, byte-identical to the release already charged${paidBy}; ` +
    `this publish's reservation ${refunded} was refunded, no budget spent`
  );
}

program
  .command('publish')
  .description(
    'materialize every masked and synthetic view of the policy (Parquet + Arrow + manifest)',
  )
  .addOption(policyOption())
  .addOption(stateOption())
  .option('--view <name...>', 'publish only these views')
  .option('--plan', 'only show what would be rebuilt and charged; write and spend nothing')
  .action(async (opts: { policy: string; state: string; view?: string[]; plan?: boolean }) => {
    const loaded = loadPolicyFile(opts.policy);
    if (opts.plan) {
      const report = await planFromState(loaded.policy, loaded.dir, opts.state, opts.view);
      console.log(formatPlan(report));
      if (!report.plan.fits) process.exitCode = 1;
      return;
    }
    // Before the progress bar, so a publish that fails still tells which columns it ignores.
    const sources = publishedSources(loaded.policy, opts.view);
    for (const u of await undeclaredColumns(loaded.policy, loaded.dir, sources))
      console.warn(`note: ${undeclaredColumnsNote(u)}`);
    const reporter = progressReporter(process.stderr);
    const results = await publishViews({
      policy: loaded.policy,
      policyText: loaded.text,
      policyDir: loaded.dir,
      stateDir: opts.state,
      ...(opts.view ? { viewNames: opts.view } : {}),
      onProgress: reporter.onProgress,
    }).finally(() => reporter.done()); // an error starts on its own line, not after the bar
    for (const r of results) {
      console.log(publishedLine(r));
      for (const w of r.manifest.warnings ?? [])
        console.warn(`warning: view ${r.view}, column ${w.column}: ${w.message}. Fix: ${w.fix}.`);
      const k = r.manifest.kAnonymity;
      const caveat = k ? linkedRowsCaveat(k.k, k.linkedBy ?? []) : '';
      if (caveat) console.warn(`note: view ${r.view}: ${caveat}.`);
    }
  });

const token = program.command('token').description('manage bearer tokens');
token
  .command('issue')
  .description('issue new tokens (replacing old ones) and print them once')
  .addOption(policyOption())
  .addOption(stateOption())
  .requiredOption('--user <name...>', 'users to issue tokens for')
  .option('--ttl <duration>', 'how long the tokens stay valid (e.g. 90m, 12h, 7d)', '12h')
  .option(
    '--reset',
    'start a new token file with only these tokens: every token issued before stops working; ' +
      'a malformed tokens.json is moved aside to tokens.json.malformed-<time>',
  )
  .addHelpText(
    'after',
    '\nIf <state>/tokens.json is malformed (hand-edited, truncated), issuing refuses and changes\n' +
      'nothing; the running gateway refuses every token until it is fixed. Repair the file, or run\n' +
      'again with --reset (then issue tokens for every user who needs one).',
  )
  .action(
    (opts: { policy: string; state: string; user: string[]; ttl: string; reset?: boolean }) => {
      const { policy } = loadPolicyFile(opts.policy);
      const unknown = opts.user.filter((u) => !declared(policy.users, u));
      if (unknown.length > 0)
        throw new Error(
          `unknown user ${unknown.join(', ')}. Fix: use one of ${Object.keys(policy.users).join(', ')}`,
        );
      // Tokens written to a mistyped folder would never reach the gateway: refuse, never create.
      requireStateDir(
        opts.state,
        'for a new gateway, run `privet publish` or `privet serve` with that --state first (they create it)',
      );
      if (!opts.reset) checkTokenStore(opts.state);
      const issued = withStateRecords(opts.state, (records) =>
        issueTokensRecorded(records, 'cli', opts.state, opts.user, {
          ttlMs: parseDuration(opts.ttl),
          ...(opts.reset ? { reset: true } : {}),
        }),
      );
      for (const [user, value] of Object.entries(issued.tokens)) console.log(`${user}\t${value}`);
      console.error(`(valid until ${issued.expiresAt})`);
      if (issued.reset) reportReset(issued.reset, Object.keys(policy.users), opts.user);
    },
  );

token
  .command('revoke')
  .description(
    'remove the tokens of these users; a running gateway refuses them at once (e.g. a user removed from the policy)',
  )
  .addOption(stateOption())
  .requiredOption('--user <name...>', 'users whose tokens stop working')
  .action((opts: { state: string; user: string[] }) => {
    requireStateDir(opts.state, 'pass the --state folder of the gateway that issued the tokens');
    checkTokenStore(opts.state);
    const revoked = withStateRecords(opts.state, (records) =>
      revokeTokensRecorded(records, 'cli', opts.state, opts.user),
    );
    const without = opts.user.filter((u) => !revoked.includes(u));
    if (revoked.length > 0) console.log(`revoked the tokens of ${revoked.join(', ')}`);
    // A mistyped name must not look like success: the real user's token would still work.
    if (without.length > 0) {
      console.error(
        `no token to revoke for ${without.join(', ')} in ${opts.state}. Fix: check the spelling (user names as in the policy) and the --state folder`,
      );
      process.exitCode = 1;
    }
  });

/** Tells the steward what `token issue --reset` did: which tokens no longer work. */
function reportReset(
  reset: NonNullable<IssuedTokens['reset']>,
  users: readonly string[],
  issuedFor: readonly string[],
): void {
  if (reset.malformedMovedTo)
    console.error(`the malformed token file was moved aside to ${reset.malformedMovedTo}`);
  const without = users.filter((u) => !issuedFor.includes(u));
  console.error(
    'token file reset: every previously issued token is now invalid' +
      (without.length > 0
        ? `; without a token now: ${without.join(', ')} (issue theirs with \`privet token issue --user NAME\`)`
        : ''),
  );
}

const policyCmd = program.command('policy').description('check policy files');
policyCmd
  .command('check')
  .argument('<file>', 'policy YAML file')
  .description('validate a policy; prints file:line:col errors')
  .action(async (file: string) => {
    const { policy, text, dir } = loadPolicyFile(file);
    console.log(
      `${file}: ok (${Object.keys(policy.sources).length} sources, ${Object.keys(policy.views).length} views)`,
    );
    for (const { position: where, message } of policyNotes(policy, text, file))
      console.warn(`${where.file}:${where.line}:${where.column}: note: ${message}.`);
    // Every declared source, CSV or Parquet (DP views read them too), at its columns key; files not
    // found or unreadable are skipped: the check is about the policy, loading reports them.
    const at = policyPositions(text, file);
    for (const u of await undeclaredColumns(policy, dir, Object.keys(policy.sources))) {
      const where = at(['sources', u.source, 'columns']);
      console.warn(
        `${where.file}:${where.line}:${where.column}: note: ${undeclaredColumnsNote(u)}.`,
      );
    }
  });
policyCmd
  .command('schema')
  .description('print the policy JSON Schema')
  .action(() => console.log(JSON.stringify(policyJsonSchema(), null, 2)));

const demo = program.command('demo').description('the bundled demo dataset');
demo
  .command('generate')
  .requiredOption('--out <dir>', 'output folder')
  .option('--patients <n>', 'number of patients', '50000')
  .option('--seed <n>', 'seed', '20261128')
  .action(async (opts: { out: string; patients: string; seed: string }) => {
    const patients = Number(opts.patients);
    if (!/^\d+$/.test(opts.patients) || patients < 1 || patients > 10_000_000)
      throw new Error(
        `--patients ${JSON.stringify(opts.patients)} is not a number of patients. Fix: pass a whole number from 1 to 10000000, e.g. --patients 50000`,
      );
    if (!/^\d+$/.test(opts.seed) || !Number.isSafeInteger(Number(opts.seed)))
      throw new Error(
        `--seed ${JSON.stringify(opts.seed)} is not a seed. Fix: pass a whole number, e.g. --seed 20261128`,
      );
    const files = await generateDemoData({
      outDir: opts.out,
      patients,
      seed: Number(opts.seed),
    }).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      if (typeof code !== 'string') throw error;
      throw new Error(
        `cannot write the demo data to --out ${opts.out} (${code}). Fix: pass a folder path you can write (it is created if missing)`,
      );
    });
    console.log(`wrote ${files.patients} and ${files.visits}`);
  });

const review = program.command('review').description('privacy review of notebook outputs');
review
  .command('check')
  .description(
    'check notebooks (.ipynb) or JSON arrays of outputs; exit 0 only if every output passes',
  )
  .argument('<files...>', 'files to check')
  .option('--policy <file>', 'policy whose export rules apply', DEMO_POLICY)
  .option('--mode <mode>', 'export (default) or display', 'export')
  .option('--json', 'print one JSON verdict per output')
  .option(
    '--state <dir>',
    'gateway state folder: trust DP release ids committed in its ledger, and block outputs that hold a raw identifier value (its keyed index)',
  )
  .action(
    async (
      files: string[],
      opts: { policy: string; mode: string; json?: boolean; state?: string },
      command: Command,
    ) => {
      if (opts.mode !== 'export' && opts.mode !== 'display')
        throw new Error(`unknown --mode ${opts.mode}. Fix: use export or display`);
      // A state folder's raw values come from its own policy's sources, not the demo's.
      if (opts.state !== undefined && command.getOptionValueSource('policy') === 'default')
        throw new Error(
          `--state ${opts.state} was given without --policy. Fix: pass --policy with the policy file of the gateway that keeps that state folder`,
        );
      const { policy, dir } = loadPolicyFile(opts.policy);
      if (opts.state === undefined)
        console.error(
          "note: without --state, outputs are not checked for values from the raw identifier columns, and no DP release is trusted. Fix: pass --state with the gateway's state folder and --policy with its policy (npm start's demo: --state .privet/demo --policy gateway/demo/policy.yaml)",
        );
      const releases = opts.state === undefined ? undefined : openReleaseRegistry(opts.state);
      const index =
        opts.state === undefined
          ? undefined
          : await buildLeakIndex(policy, dir, loadOrCreateMasterKey(opts.state)).catch(
              (error: unknown) => {
                releases?.close();
                throw error;
              },
            );
      const verdicts = await checkFiles(files, policy, {
        mode: opts.mode,
        ...(index
          ? {
              rawValueLeak: (cs: readonly string[]) => cs.some((c) => index.matches(c)),
              rawValueMaxWords: index.maxWords,
            }
          : {}),
        ...(releases
          ? {
              context: {
                knownRelease: (id: string, content: string) =>
                  releases.registry.hasContent(id, content),
              },
            }
          : {}),
      }).finally(() => releases?.close());
      if (opts.json) for (const v of verdicts) console.log(printableJson(v));
      else console.log(formatFileVerdicts(verdicts));
      process.exitCode = exitCodeFor(verdicts);
    },
  );

program
  .command('synth')
  .description('DP synthetic data for a discrete CSV table (domain JSON as in the Adult benchmark)')
  .requiredOption('--input <csv>', 'discrete input table')
  .requiredOption('--domain <json>', 'domain sizes per column')
  .requiredOption('--epsilon <e>', 'privacy budget ε')
  .requiredOption('--delta <d>', 'privacy budget δ')
  .option('--seed <s>', 'seed for a reproducible run (keep it secret like a key: see the warning)')
  .option('--rows <n>', 'rows to generate')
  .requiredOption('--out <csv>', 'output CSV (a manifest JSON is written next to it)')
  .action(
    async (opts: {
      input: string;
      domain: string;
      epsilon: string;
      delta: string;
      seed?: string;
      rows?: string;
      out: string;
    }) => {
      // The same bar (terminal) or one line per stage (logs) as `privet publish`, on stderr.
      const reporter = progressReporter(process.stderr);
      const name = basename(opts.input);
      const manifest = await runSynthCommand({
        input: opts.input,
        domain: opts.domain,
        epsilon: Number(opts.epsilon),
        delta: Number(opts.delta),
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.rows !== undefined ? { rows: Number(opts.rows) } : {}),
        out: opts.out,
        onWarning: (message: string) => process.stderr.write(`privet synth: warning: ${message}\n`),
        onProgress: (stage, fraction) =>
          reporter.onProgress({ view: name, step: 'synthesize', stage, fraction }),
      });
      reporter.done();
      console.log(JSON.stringify(manifest, null, 2));
    },
  );

addRecordCommands(program);
addExportCommands(program);

// The --state folder of the command being run, so a storage error can name it (cli-errors.ts).
const errorContext: CliErrorContext = {};
program.hook('preAction', (_program, action) => {
  const state: unknown = action.opts().state;
  if (typeof state === 'string') errorContext.stateDir = state;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof PolicyError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    console.error(`privet: ${cliErrorMessage(error, errorContext)}`);
    process.exitCode = 1;
  }
}
