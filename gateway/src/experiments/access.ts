// Why: access rules are pure functions over an experiment record so that the ledger can apply the
// very same rule inside its own BEGIN IMMEDIATE transaction: a dissolution that commits first makes
// every later reserve/commit fail, with no window between "check" and "spend".
import type { Policy, Role } from '@privet/core';
import { allowsDataAccess, type Experiment } from '@privet/core/record/index';
import { ServiceError } from '../audit/service-error.js';
import { declared } from '@privet/core/policy/lookup';

/** Who is calling a service: user id and the roles the HTTP layer authenticated. */
export interface Actor {
  user: string;
  roles: Role[];
}

/** Roles the actor claims AND the policy grants (an unknown user has none). */
export function effectiveRoles(actor: Actor, policy: Policy): Role[] {
  const granted = declared(policy.users, actor.user)?.roles ?? [];
  return actor.roles.filter((r) => granted.includes(r));
}

/** True when the actor holds one of `roles` (checked against the policy too). */
export function hasRole(actor: Actor, policy: Policy, ...roles: Role[]): boolean {
  return effectiveRoles(actor, policy).some((r) => roles.includes(r));
}

/** True when the user owns or is a member of the experiment. */
export function isMember(e: Experiment, user: string): boolean {
  return e.owner === user || e.members.includes(user);
}

/** True when the actor may see the experiment's record: its members, reviewers and stewards. */
export function canSeeExperiment(e: Experiment, actor: Actor, policy: Policy): boolean {
  return isMember(e, actor.user) || hasRole(actor, policy, 'steward', 'reviewer');
}

/**
 * Where an audit entry about the actor's refused request is filed (spread into the entry): under
 * the experiment only if the actor may see it. Anyone else could plant entries in a stranger's
 * record (or probe which ids exist); their refusals are filed under no experiment, where stewards
 * still see them.
 */
export function refusalFiling(
  e: Experiment | undefined,
  actor: Actor,
  policy: Policy,
): { experiment?: string } {
  return e && canSeeExperiment(e, actor, policy) ? { experiment: e.id } : {};
}

/**
 * The refusal of an experiment `user` is not a member of, the same as for an id that does not
 * exist: a refusal that named the owner (or differed at all) would tell any analyst which
 * experiments exist and whose they are.
 */
export function notMemberRefusal(id: string, user: string): ServiceError {
  return new ServiceError(
    'not_found',
    'experiment.unknown',
    `${user} is not a member of any experiment "${id}"`,
    "check the id (`privet experiment list` lists yours), ask the experiment's owner to add you, or propose your own experiment",
  );
}

/** Why `user` may not use data of the experiment right now, or undefined when they may. */
export function experimentUseRefusal(
  e: Experiment | undefined,
  id: string,
  user: string,
): ServiceError | undefined {
  if (!e || !isMember(e, user)) return notMemberRefusal(id, user);
  if (!allowsDataAccess(e.state)) {
    const why =
      e.state === 'proposal'
        ? ['is still a proposal', 'ask a steward to approve it']
        : e.state === 'rejected'
          ? ['was rejected', 'propose a revised experiment']
          : e.state === 'evaluation'
            ? [
                'is in evaluation, which allows no new data access',
                'evaluate the results already released',
              ]
            : ['was dissolved and its access revoked', 'propose a new experiment'];
    return new ServiceError(
      'forbidden',
      `experiment.${e.state}`,
      `experiment "${id}" ${why[0]}; data access needs an approved or running experiment`,
      why[1] ?? 'propose a new experiment',
    );
  }
  return undefined;
}

/** Why the actor may not use `view` in the experiment, or undefined when they may. */
export function viewUseRefusal(
  e: Experiment | undefined,
  id: string,
  actor: Actor,
  view: string,
  policy: Policy,
): ServiceError | undefined {
  if (!hasRole(actor, policy, 'analyst', 'steward')) {
    return new ServiceError(
      'forbidden',
      'experiment.role',
      `using views needs the role analyst or steward; ${actor.user} has ${effectiveRoles(actor, policy).join(', ') || 'none'}`,
      'sign in as an analyst who is a member of the experiment',
    );
  }
  const refusal = experimentUseRefusal(e, id, actor.user);
  if (refusal || !e) return refusal;
  if (!e.views.includes(view) || declared(policy.views, view) === undefined) {
    return new ServiceError(
      'forbidden',
      'experiment.view-not-approved',
      `view "${view}" is not among the views approved for experiment "${id}"`,
      `use one of ${e.views.join(', ')}, or propose an experiment that requests "${view}"`,
    );
  }
  return undefined;
}

/** Why `user` may not spend budget of `source` in the experiment, or undefined when they may. */
export function sourceUseRefusal(
  e: Experiment | undefined,
  id: string,
  user: string,
  source: string,
  policy: Policy,
): ServiceError | undefined {
  const refusal = experimentUseRefusal(e, id, user);
  if (refusal || !e) return refusal;
  const covered = e.views.some((v) => declared(policy.views, v)?.source === source);
  if (!covered) {
    return new ServiceError(
      'forbidden',
      'experiment.source-not-approved',
      `experiment "${id}" has no approved view of dataset "${source}"`,
      `propose an experiment that requests a view of "${source}"`,
    );
  }
  return undefined;
}
