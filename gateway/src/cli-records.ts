/**
 * `privet query`, `privet experiment …` and `privet audit verify`: the record services from the
 * command line, on the same state database the HTTP gateway uses (SQLite locking makes running
 * both at once safe). The CLI runs on the gateway host, so `--user` names who acts.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Role } from '@privet/core';
import { loadPolicyFile } from './policy-file.js';
import { openServices, type Services } from './ledger/open.js';
import { DpQueryService } from './dp/service.js';
import { formatAuditReport, verifyAuditDb } from './audit/verify.js';
import { HttpError } from './http/errors.js';

const DEFAULT_STATE = '.privet/state';

function actorFor(policyPath: string, user: string): { user: string; roles: Role[] } {
  const { policy } = loadPolicyFile(policyPath);
  const declared = policy.users[user];
  if (!declared)
    throw new Error(
      `unknown user ${user}. Fix: use one of ${Object.keys(policy.users).join(', ')}`,
    );
  return { user, roles: [...declared.roles] };
}

async function withServices<T>(
  policyPath: string,
  stateDir: string,
  fn: (s: Services, loaded: ReturnType<typeof loadPolicyFile>) => Promise<T>,
): Promise<T> {
  const loaded = loadPolicyFile(policyPath);
  const services = openServices({
    dbPath: join(stateDir, 'privet.db'),
    policy: loaded.policy,
    stateDir,
  });
  try {
    return await fn(services, loaded);
  } finally {
    services.close();
  }
}

function reportHttpError(error: unknown): never {
  if (error instanceof HttpError) {
    console.log(
      JSON.stringify(
        { error: { code: error.code, message: error.message, fix: error.fix } },
        null,
        2,
      ),
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
            console.log(JSON.stringify(await dp.query(actor, body), null, 2));
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
    .option('--analyses <a...>', 'permissible analyses', ['aggregates'])
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
            console.log(JSON.stringify(e, null, 2));
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
              console.log(`${e.id}: ${e.state}`);
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
      await withServices(o.policy, o.state, async ({ experiments }) => {
        for (const e of experiments.list(actor)) console.log(`${e.id}\t${e.state}\t${e.title}`);
      });
    });

  program
    .command('audit')
    .description('the hash-chained audit log')
    .command('verify')
    .description('re-check every entry of the audit chain; exit 0 only if intact')
    .option('--state <dir>', 'gateway state folder', DEFAULT_STATE)
    .action(async (o: { state: string }) => {
      const report = await verifyAuditDb(join(o.state, 'privet.db'));
      console.log(formatAuditReport(report));
      process.exitCode = report.ok ? 0 : 1;
    });
}
