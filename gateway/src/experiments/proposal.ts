/** What an analyst submits to propose an experiment, and its validation against the policy. */
import type { Policy, ProposeExperimentRequest } from '@privet/core';
import type { Experiment } from '@privet/core/record/index';
import { ServiceError } from '../audit/service-error.js';
import { EXPERIMENT_ID } from './artefacts.js';
import { declared } from '@privet/core/policy/lookup';
import { randomHex } from '@privet/core/hex';
import { textRefusal, type TextShape } from '../text/control-chars.js';

/** A proposal as submitted (the protocol's request body); the proposer becomes the owner. */
export type ProposalInput = ProposeExperimentRequest;

function bad(message: string, fix: string): ServiceError {
  return new ServiceError('bad_request', 'experiment.bad-proposal', message, fix);
}

/** A refusal when `value` (as stored: trimmed) holds a character its shape refuses. */
function refused(field: string, value: string, shape: TextShape): ServiceError | undefined {
  const refusal = textRefusal(field, value, shape);
  return refusal && bad(refusal.message, refusal.fix);
}

function list(value: unknown, what: string, min: number): string[] | ServiceError {
  const ok =
    Array.isArray(value) &&
    value.length >= min &&
    value.length <= 100 &&
    value.every((v) => typeof v === 'string' && v.trim().length > 0 && v.length <= 200);
  if (!ok) {
    return bad(
      `${what} must be a list of ${min}–100 non-empty texts of at most 200 characters`,
      `fill in ${what}`,
    );
  }
  const items = (value as string[]).map((v) => v.trim());
  for (const [i, item] of items.entries()) {
    const problem = refused(`"${what}" item ${i + 1}`, item, 'line');
    if (problem) return problem;
  }
  return [...new Set(items)];
}

function text(value: unknown, what: string, max: number, shape: TextShape): string | ServiceError {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) {
    return bad(`${what} must be a non-empty text of at most ${max} characters`, `fill in ${what}`);
  }
  return refused(`"${what}"`, value.trim(), shape) ?? value.trim();
}

/** A fresh random experiment id such as `exp-3f9a1c2b7d`. */
export function newExperimentId(): string {
  return `exp-${randomHex(5)}`;
}

/** Checks a proposal against the policy; returns the new experiment or the first problem. */
export function validateProposal(
  input: ProposalInput,
  owner: string,
  policy: Policy,
  now: string,
): Experiment | ServiceError {
  const id = input.id ?? newExperimentId();
  if (typeof id !== 'string' || !EXPERIMENT_ID.test(id)) {
    return bad(
      'experiment id is not valid',
      'use lower-case letters, digits, "_" and "-" (at most 63 characters), or leave it out',
    );
  }
  // One-line title (no bidi controls either); the purpose may run over several lines.
  const title = text(input.title, 'title', 200, 'title');
  const purpose = text(input.purpose, 'purpose', 4000, 'lines');
  const dataCategories = list(input.dataCategories, 'dataCategories', 1);
  const views = list(input.views, 'views', 1);
  const analyses = list(input.analyses, 'analyses', 1);
  const expectedOutputs = list(input.expectedOutputs, 'expectedOutputs', 1);
  const members = list(input.members ?? [], 'members', 0);
  for (const v of [title, purpose, dataCategories, views, analyses, expectedOutputs, members]) {
    if (v instanceof ServiceError) return v;
  }
  const viewList = views as string[];
  const unknownView = viewList.find((v) => declared(policy.views, v) === undefined);
  if (unknownView !== undefined) {
    return bad(
      `view "${unknownView}" is not declared in the policy`,
      `request one of ${Object.keys(policy.views).join(', ')}`,
    );
  }
  const memberList = (members as string[]).filter((m) => m !== owner);
  const unknownUser = memberList.find((m) => declared(policy.users, m) === undefined);
  if (unknownUser !== undefined) {
    return bad(
      `member "${unknownUser}" is not a user in the policy`,
      'list users declared in the policy',
    );
  }
  const blocked = fourEyesBlockedBy(policy, owner, memberList);
  if (blocked) return blocked;
  return {
    id,
    title: title as string,
    purpose: purpose as string,
    dataCategories: dataCategories as string[],
    views: viewList,
    analyses: analyses as string[],
    expectedOutputs: expectedOutputs as string[],
    owner,
    members: memberList,
    state: 'proposal',
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * A refusal when the members take in every steward (who approve experiments) or every reviewer
 * (who decide its review requests) the owner left outside: the four-eyes rule would then leave
 * nobody to approve the experiment or to decide its reviews.
 */
function fourEyesBlockedBy(
  policy: Policy,
  owner: string,
  members: readonly string[],
): ServiceError | undefined {
  for (const [role, task] of [
    ['steward', 'approve it'],
    ['reviewer', 'decide its review requests'],
  ] as const) {
    const holders = Object.entries(policy.users)
      .filter(([user, grant]) => user !== owner && grant.roles.includes(role))
      .map(([user]) => user);
    if (holders.length > 0 && holders.every((user) => members.includes(user)))
      return bad(
        `with ${holders.join(', ')} as members, no ${role} outside the experiment is left to ${task} (four-eyes rule)`,
        `leave at least one ${role} out of "members"`,
      );
  }
  return undefined;
}
