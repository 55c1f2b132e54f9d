/**
 * `privet query`, `privet experiment …` and `privet audit verify` / `accept-restore`: the record
 * services from the command line, on the same state database the HTTP gateway uses (SQLite locking
 * makes running both at once safe). The CLI runs on the gateway host, so `--user` names who acts.
 * `audit verify --anchor seq:hash` takes back the "anchor:" line an earlier check printed;
 * `audit accept-restore` records an older copy of the database restored on purpose.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Role } from '@privet/core';
import { loadPolicyFile } from './policy-file.js';
import { openServices, type Services } from './ledger/open.js';
import { DpQueryService } from './dp/service.js';
import { auditExitCode, formatAuditReport, isUnreadableDb, verifyAuditDb } from './audit/verify.js';
import { ANCHOR_FORM, parseAnchor } from './audit/anchors.js';
import { acceptRestore } from './audit/accept-restore.js';
import type { ChainAnchor } from '@privet/core/record/index';
import { HttpError } from './http/errors.js';
import { declared } from '@privet/core/policy/lookup';
import { printable, printableJson } from './text/control-chars.js';

const DEFAULT_STATE = '.privet/state';

function actorFor(policyPath: string, user: string): { user: string; roles: Role[] } {
  const { policy } = loadPolicyFile(policyPath);
  const grant = declared(policy.users, user);
  if (!grant)
    throw new Error(
      `unknown user ${user}. Fix: use one of ${Object.keys(policy.users).join(', ')}`,
    );
  return { user, roles: [...grant.roles] };
}

const STATE_FIX =
  'pass --state with the folder given to `privet publish --state` or `privet serve --state` ' +
  '(`npm start` uses .privet/demo; the default is .privet/state)';

/**
 * Refuses, before anything is opened or created, a --state folder that does not exist (or is a
 * file): a typo must not start a new, empty gateway state somewhere else. `hint` extends the fix.
 */
export function requireStateDir(stateDir: string, hint?: string): void {
  const st = statSync(stateDir, { throwIfNoEntry: false });
  if (!st)
    throw new Error(
      `the state folder ${stateDir} does not exist. Fix: ${STATE_FIX}${hint ? `; ${hint}` : ''}`,
    );
  if (!st.isDirectory())
    throw new Error(`the state path ${stateDir} is not a folder. Fix: ${STATE_FIX}`);
}

async function withServices<T>(
  policyPath: string,
  stateDir: string,
  fn: (s: Services, loaded: ReturnType<typeof loadPolicyFile>) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  const loaded = loadPolicyFile(policyPath);
  requireStateDir(stateDir);
  const dbPath = join(stateDir, 'privet.db');
  // A read-only command must not create a database in a folder that has none.
  if (options.readOnly && !existsSync(dbPath))
    throw new Error(`no gateway state at ${stateDir} (it has no privet.db). Fix: ${STATE_FIX}`);
  try {
    const services = openServices({ dbPath, policy: loaded.policy, stateDir });
    try {
      return await fn(services, loaded);
    } finally {
      services.close();
    }
  } catch (error) {
    if (!isUnreadableDb(error)) throw error;
    throw new Error(
      `the gateway database ${dbPath} is unreadable: it is corrupt, truncated or not a SQLite ` +
        `database (SQLite: ${(error as Error).message}). Fix: restore it from a backup ` +
        '(`privet audit verify --state` checks the restored copy)',
      { cause: error },
    );
  }
}

/**
 * A refusal on stderr (stdout keeps only results), as `privet: what. Fix: how [code]`; exit 2.
 * Its message may name what a user wrote (an id, a view), so control characters are escaped.
 */
function reportHttpError(error: unknown): never {
  if (error instanceof HttpError) {
    console.error(
      `privet: ${printable(error.message)}. Fix: ${printable(error.fix)} [${error.code}]`,
    );
    process.exit(2);
  }
  throw error;
}

/** Adds the record commands to the program. */
export function addRecordCommands(program: Command): void {
  program
    .command('query')
    .description(
      'run a DP query (or price it with --dry-run) and print JSON; spends budget unless --dry-run',
    )
    .argument('<sql>', 'one SELECT over dp views')
    .requiredOption('--policy <file>', 'policy YAML file')
    .option('--state <dir>', 'gateway state folder', DEFAULT_STATE)
    .requiredOption('--experiment <id>', 'experiment the query belongs to')
    .requiredOption('--user <name>', 'analyst running the query')
    .option(
      '--dry-run',
      'price the query: cost, expected errors, budget after; touches no data or budget',
    )
    .option('--epsilon <e>', 'ε for the whole query')
    .option('--delta <d>', 'δ (partition selection, or the δ of a ρ query)')
    .option('--rho <r>', 'ρ-zCDP budget instead of ε (discrete Gaussian noise)')
    .option('--accuracy <x>', 'solve for the ε giving ±x at 95% on every count/sum')
    .option('--alpha <a>', 'interval error level (default 0.05)')
    .action(
      async (
        sql: string,
        o: {
          policy: string;
          state: string;
          experiment: string;
          user: string;
          dryRun?: boolean;
          epsilon?: string;
          delta?: string;
          rho?: string;
          accuracy?: string;
          alpha?: string;
        },
      ) => {
        const actor = actorFor(o.policy, o.user);
        await withServices(o.policy, o.state, async (services, loaded) => {
          const dp = new DpQueryService(loaded, services);
          try {
            const body = {
              experiment: o.experiment,
              sql,
              dryRun: o.dryRun === true,
              ...(o.epsilon !== undefined ? { epsilon: o.epsilon } : {}),
              ...(o.delta !== undefined ? { delta: o.delta } : {}),
              ...(o.rho !== undefined ? { rho: o.rho } : {}),
              ...(o.accuracy !== undefined ? { accuracy: o.accuracy } : {}),
              ...(o.alpha !== undefined ? { alpha: o.alpha } : {}),
            };
            console.log(printableJson(await dp.query(actor, body), 2));
          } catch (error) {
            reportHttpError(error);
          } finally {
            await dp.close();
          }
        });
      },
    );

  const experiment = program.command('experiment').description('experiments and their lifecycle');
  experiment
    .command('propose')
    .requiredOption('--policy <file>', 'policy YAML file')
    .option('--state <dir>', 'gateway state folder', DEFAULT_STATE)
    .requiredOption('--user <name>', 'who proposes (analyst or steward)')
    .option('--id <id>', 'experiment id')
    .requiredOption('--title <text>', 'title')
    .requiredOption('--purpose <text>', 'purpose')
    .requiredOption('--views <name...>', 'views requested')
    .option('--categories <c...>', 'data categories', ['demographics'])
    .option(
      '--analyses <a...>',
      'analyses the members say they will run (recorded for the approver; views and budgets limit what they can do)',
      ['aggregates'],
    )
    .option('--outputs <o...>', 'expected outputs', ['tables'])
    .option('--members <m...>', 'other members')
    .action(
      async (o: {
        policy: string;
        state: string;
        user: string;
        id?: string;
        title: string;
        purpose: string;
        views: string[];
        categories: string[];
        analyses: string[];
        outputs: string[];
        members?: string[];
      }) => {
        const actor = actorFor(o.policy, o.user);
        await withServices(o.policy, o.state, async ({ experiments }) => {
          try {
            const e = experiments.propose(actor, {
              ...(o.id ? { id: o.id } : {}),
              title: o.title,
              purpose: o.purpose,
              dataCategories: o.categories,
              views: o.views,
              analyses: o.analyses,
              expectedOutputs: o.outputs,
              ...(o.members ? { members: o.members } : {}),
            });
            console.log(printableJson(e, 2));
          } catch (error) {
            reportHttpError(error);
          }
        });
      },
    );
  for (const verb of ['approve', 'reject', 'start', 'evaluate', 'dissolve'] as const) {
    experiment
      .command(verb)
      .argument('<id>', 'experiment id')
      .requiredOption('--policy <file>', 'policy YAML file')
      .option('--state <dir>', 'gateway state folder', DEFAULT_STATE)
      .requiredOption('--user <name>', 'who acts')
      .option('--note <text>', 'note or reason', '')
      .action(
        async (id: string, o: { policy: string; state: string; user: string; note: string }) => {
          const actor = actorFor(o.policy, o.user);
          await withServices(o.policy, o.state, async ({ experiments }) => {
            try {
              const e =
                verb === 'approve'
                  ? experiments.approve(actor, id, o.note)
                  : verb === 'reject'
                    ? experiments.reject(actor, id, o.note)
                    : verb === 'start'
                      ? experiments.start(actor, id)
                      : verb === 'evaluate'
                        ? experiments.evaluate(actor, id)
                        : await experiments.dissolve(actor, id, o.note);
              console.log(`${printable(e.id)}: ${e.state}`);
            } catch (error) {
              reportHttpError(error);
            }
          });
        },
      );
  }
  experiment
    .command('list')
    .requiredOption('--policy <file>', 'policy YAML file')
    .option('--state <dir>', 'gateway state folder', DEFAULT_STATE)
    .requiredOption('--user <name>', 'whose view of the list')
    .action(async (o: { policy: string; state: string; user: string }) => {
      const actor = actorFor(o.policy, o.user);
      await withServices(
        o.policy,
        o.state,
        async ({ experiments }) => {
          // Titles are analysts' text, maybe stored before control characters were refused:
          // printed raw, an escape sequence in one could forge lines or set the clipboard.
          for (const e of experiments.list(actor))
            console.log(`${printable(e.id)}\t${e.state}\t${printable(e.title)}`);
        },
        { readOnly: true },
      );
    });

  const audit = program.command('audit').description('the hash-chained audit log');
  audit
    .command('verify')
    .description(
      're-check every entry of the audit chain, its MACs with the key in --state (and each ' +
        '--anchor); exit 0 if intact, 1 if tampered, unreadable or an anchor no longer matches, 2 ' +
        'if there is no database at --state, its master.key cannot be read or an --anchor is ' +
        'malformed, 3 if the database is not upgraded yet (start the gateway once)',
    )
    .option('--state <dir>', 'gateway state folder', DEFAULT_STATE)
    .option(
      '--anchor <seq:hash>',
      'an "anchor:" line kept from an earlier check (repeatable): the log must still contain ' +
        'that entry with that hash, which catches entries cut from the end',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option(
      '--policy <file>',
      "policy YAML file: also check that the last prune kept entries the policy's retention.audit_log_days",
    )
    .action(async (o: { state: string; anchor: string[]; policy?: string }) => {
      const anchors: ChainAnchor[] = [];
      for (const text of o.anchor) {
        const parsed = parseAnchor(text);
        if ('problem' in parsed) {
          // A usage error, not evidence of tampering: exit 2 like a missing database.
          console.error(
            `privet audit verify: ${parsed.problem}. Fix: pass --anchor ${ANCHOR_FORM}, ` +
              'copied from the "anchor:" line an intact check printed',
          );
          process.exitCode = 2;
          return;
        }
        anchors.push(parsed.anchor);
      }
      const retentionDays =
        o.policy === undefined
          ? undefined
          : loadPolicyFile(o.policy).policy.retention.audit_log_days;
      const report = await verifyAuditDb(
        join(o.state, 'privet.db'),
        anchors,
        retentionDays === undefined ? {} : { retentionDays },
      );
      console.log(formatAuditReport(report));
      process.exitCode = auditExitCode(report);
    });

  audit
    .command('accept-restore')
    .description(
      'accept an older copy of privet.db restored on purpose: needs master.key, checks that its ' +
        'audit log verifies on its own and is behind the head mark (or keyed-log marker), keeps ' +
        'the superseded marker files under …superseded-<time>.json names and records the restore ' +
        'in the audit log; exit 0 when accepted or when there is nothing to accept',
    )
    .option('--state <dir>', 'gateway state folder', DEFAULT_STATE)
    .option('--reason <text>', 'why the older copy was restored (kept in the audit entry)')
    .action(async (o: { state: string; reason?: string }) => {
      requireStateDir(o.state);
      const result = await acceptRestore({ stateDir: o.state, reason: o.reason });
      for (const line of result.lines) console.log(line);
      process.exitCode = result.exitCode;
    });
}
