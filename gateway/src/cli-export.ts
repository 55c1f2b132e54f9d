/**
 * `privet export verify BUNDLE.json` checks a signed export bundle offline against a trusted key
 * (`--public-key` or the gateway state folder's signing key); exit 0 only if the signature, the
 * notebook hash and every output's coverage check out (and, with `--experiment`, the experiment).
 * `privet export create` builds a bundle on the gateway host with the same code path as
 * POST /exports, reading the notebook as the HTTP path does (a prototype key is refused).
 */
import sjson from 'secure-json-parse';
import { filterWithLookups } from './export/lookups.js';
import { readFileSync } from 'node:fs';
import { writeFileDurably } from './durable-file.js';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { loadPolicyFile } from './policy-file.js';
import { openServices } from './ledger/open.js';
import { ExportService } from './export/service.js';
import { readSigningKey } from './export/signing-key.js';
import { verifyBundle } from './export/verify.js';
import { HttpError } from './http/errors.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './http/json-depth.js';
import { declared } from '@privet/core/policy/lookup';
import { buildLeakIndex } from './leak/index-build.js';
import { rawValueVerdicts } from './leak/outputs.js';
import { requireStateDir } from './cli-records.js';
import { loadOrCreateMasterKey } from './keys.js';
import { outputFolderProblem } from './out-folder.js';
import { printable } from './text/control-chars.js';

const DEFAULT_STATE = '.privet/state';

/** The trusted raw public key from --public-key (base64) or the state folder's signing key. */
function trustedKey(opts: { publicKey?: string; state: string }): Buffer {
  if (opts.publicKey !== undefined) {
    const raw = Buffer.from(opts.publicKey, 'base64');
    if (raw.length !== 32)
      throw new Error(
        '--public-key is not a base64 Ed25519 public key (32 bytes). Fix: copy "publicKey" from GET /api/v1/exports/public-key',
      );
    return raw;
  }
  const key = readSigningKey(opts.state);
  if (!key)
    throw new Error(
      `no signing key in ${opts.state}. Fix: pass --public-key B64 (from GET /api/v1/exports/public-key) or --state with the gateway's state folder`,
    );
  return key.publicKeyRaw;
}

/** Why a file could not be read, in words (never its content). */
function unreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`;
}

/**
 * Reads a notebook file as JSON the way POST /exports does (secure-json-parse: a "__proto__" or
 * "constructor.prototype" key, or nesting deeper than MAX_JSON_DEPTH, is refused); throws an Error
 * naming the file, never quoting it.
 */
function readNotebookFile(file: string): unknown {
  const fix = 'Fix: pass the .ipynb file as saved by Jupyter';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${file}: ${unreadable(error)}. ${fix}`);
  }
  if (nestsDeeperThan(Buffer.from(text)))
    throw new Error(
      `${file}: nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep, which the gateway refuses. Fix: clear or flatten the output that nests so deep, and export again`,
    );
  try {
    return sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    // Both parsers' messages may quote the file's text, which holds notebook outputs.
    let json = true;
    try {
      JSON.parse(text);
    } catch {
      json = false;
    }
    throw new Error(
      json
        ? `${file}: holds a "__proto__" or "constructor.prototype" key, which the gateway refuses. Fix: remove that key (Jupyter never writes one) and export again`
        : `${file}: is not valid JSON. ${fix}`,
    );
  }
}

/** Adds `privet export verify` and `privet export create`. */
export function addExportCommands(program: Command): void {
  const exp = program.command('export').description('signed export bundles');
  exp
    .command('verify')
    .description(
      'verify a bundle: signature, notebook hash, every output passed or approved; exit 0 only if all good',
    )
    .argument('<bundle>', 'bundle JSON file')
    .option('--public-key <b64>', 'trusted base64 Ed25519 public key of the gateway')
    .option(
      '--state <dir>',
      'gateway state folder holding signing.key (used without --public-key)',
      DEFAULT_STATE,
    )
    .option('--experiment <id>', 'fail unless the bundle was exported from this experiment')
    .action(
      async (file: string, opts: { publicKey?: string; state: string; experiment?: string }) => {
        const fix = 'Fix: pass the bundle file written by POST /exports or privet export create';
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (error) {
          console.error(`${file}: ${unreadable(error)}. ${fix}`);
          process.exitCode = 1;
          return;
        }
        let bundle: unknown;
        try {
          bundle = JSON.parse(text);
        } catch {
          // The parser's message quotes the file's text; the bundle holds notebook outputs.
          console.error(`${file}: is not valid JSON. ${fix}`);
          process.exitCode = 1;
          return;
        }
        const result = await verifyBundle(bundle, trustedKey(opts), {
          experiment: opts.experiment,
        });
        if (result.ok) {
          const c = result.counts;
          const e = result.exported;
          console.log(
            `${file}: ok — signature valid; ${c.passed} passed, ${c.approved} approved, ${c.withheld} withheld outputs` +
              (c.withheldSources > 0 ? `; ${c.withheldSources} cell source(s) withheld` : '') +
              (e
                ? `; exported from experiment ${printable(e.experiment)} by ${printable(e.exportedBy)} at ${printable(e.exportedAt)}`
                : ''),
          );
        } else {
          for (const p of result.problems) console.error(`${file}: ${printable(p)}`);
          console.error(
            `${file}: NOT verified. Fix: do not trust this bundle; export the notebook again from the gateway`,
          );
          process.exitCode = 1;
        }
      },
    );
  exp
    .command('create')
    .description('export a notebook: only passed or approved outputs, signed by the gateway key')
    .requiredOption('--notebook <file>', 'notebook (.ipynb)')
    .requiredOption('--experiment <id>', 'experiment the notebook belongs to')
    .requiredOption('--user <name>', 'analyst or steward exporting it')
    .requiredOption('--policy <file>', 'policy YAML file')
    .option('--state <dir>', 'gateway state folder', DEFAULT_STATE)
    .requiredOption('--out <file>', 'bundle JSON to write')
    .action(
      async (opts: {
        notebook: string;
        experiment: string;
        user: string;
        policy: string;
        state: string;
        out: string;
      }) => {
        const loaded = loadPolicyFile(opts.policy);
        const grant = declared(loaded.policy.users, opts.user);
        if (!grant)
          throw new Error(
            `unknown user ${opts.user}. Fix: use one of ${Object.keys(loaded.policy.users).join(', ')}`,
          );
        let notebook: unknown;
        try {
          notebook = readNotebookFile(opts.notebook);
        } catch (error) {
          console.error(`privet export create: ${(error as Error).message}`);
          process.exitCode = 2;
          return;
        }
        requireStateDir(opts.state);
        // Before anything is signed or audited: an export on the record was written.
        const outProblem = await outputFolderProblem(opts.out);
        if (outProblem) {
          console.error(
            `privet export create: the folder of --out ${opts.out} (${dirname(opts.out)}) ${outProblem}. Fix: create the folder, or pass an --out path in a writable folder`,
          );
          process.exitCode = 2;
          return;
        }
        const services = openServices({
          dbPath: join(opts.state, 'privet.db'),
          policy: loaded.policy,
          stateDir: opts.state,
        });
        try {
          const exporter = new ExportService({
            services,
            policy: loaded.policy,
            policyHash: loaded.hash,
            stateDir: opts.state,
            // A one-shot process: the filter and its lookups run here, not in a worker.
            filter: (nb, lookups) =>
              filterWithLookups(nb, lookups, async (items) => {
                const index = await buildLeakIndex(
                  loaded.policy,
                  loaded.dir,
                  loadOrCreateMasterKey(opts.state),
                );
                return rawValueVerdicts(index, items);
              }),
          });
          const bundle = await exporter.create(
            { user: opts.user, roles: [...grant.roles] },
            ExportService.parse({ experiment: opts.experiment, name: opts.notebook, notebook }),
          );
          writeFileDurably(opts.out, JSON.stringify(bundle, null, 1) + '\n');
          const counts = bundle.manifest.outputs.reduce<Record<string, number>>(
            (m, l) => ({ ...m, [l.status]: (m[l.status] ?? 0) + 1 }),
            {},
          );
          const sources = bundle.manifest.withheldSources.length;
          const names = bundle.manifest.withheldKernelNames;
          console.log(
            `wrote ${opts.out}: ${JSON.stringify(counts)}` +
              (sources > 0 ? `; ${sources} cell source(s) withheld` : '') +
              // Withheld because they are not short and plain: the notebook's author wrote them.
              (names ? `; kernel names withheld (${names.map(printable).join(', ')})` : ''),
          );
        } catch (error) {
          if (error instanceof HttpError) {
            console.error(
              `privet export create: ${printable(error.message)}. Fix: ${printable(error.fix)}`,
            );
            process.exitCode = 2;
          } else throw error;
        } finally {
          services.close();
        }
      },
    );
}
