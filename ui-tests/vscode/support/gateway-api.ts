/**
 * Outputs the test gateway vouches for, made through its HTTP API as the specs' users: a genuine
 * DP release (alice spends budget on a query; the ledger keeps its id and content) and an output
 * a reviewer approved (alice submits it for review, rita approves exactly that content).
 */
import { expect } from '@playwright/test';
import type { DpQueryResponse, DpRelease, ReviewRequest } from '@privet/core/protocol';
import type { VsCodeTestEnv } from './env.js';

/** Privet's DP release MIME type. */
const RELEASE_MIME = 'application/vnd.privet.dp-release+json';

/** POSTs `body` to the gateway's API as `user`; fails the test on a non-2xx answer. */
async function post<T>(env: VsCodeTestEnv, user: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${env.gatewayUrl}/api/v1${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${env.tokens[user] ?? ''}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  expect(response.ok, `POST ${path} as ${user}: ${await response.clone().text()}`).toBe(true);
  return (await response.json()) as T;
}

/** A release of `sql` (over a dp view) that alice spends `epsilon` on in the test experiment. */
export async function genuineRelease(
  env: VsCodeTestEnv,
  sql: string,
  epsilon: string,
): Promise<DpRelease> {
  const answer = await post<DpQueryResponse>(env, 'alice', '/dp/query', {
    experiment: env.experiment,
    sql,
    epsilon,
    dryRun: false,
  });
  expect(answer.dryRun).toBe(false);
  return answer.release;
}

/** A release as the nbformat output Privet's controller writes (release MIME type and a text). */
export function releaseDisplay(release: DpRelease): Record<string, unknown> {
  const lines = [
    `Privet DP release ${release.releaseId} (${release.mechanism}, ε=${release.cost.epsilon ?? '-'})`,
    ...release.rows.map((row) =>
      [
        ...Object.entries(row.keys).map(([k, v]) => `${k}=${String(v)}`),
        ...Object.entries(row.values).map(
          ([k, c]) => `${k}=${c.value} [${c.interval[0]}, ${c.interval[1]}]`,
        ),
      ].join('  '),
    ),
  ];
  return {
    output_type: 'display_data',
    data: { [RELEASE_MIME]: release, 'text/plain': lines.join('\n') },
    metadata: {},
  };
}

/** Alice submits `output` (nbformat) for review; the gateway's pending request. */
export async function submittedForReview(
  env: VsCodeTestEnv,
  output: Record<string, unknown>,
  justification: string,
): Promise<ReviewRequest> {
  return post<ReviewRequest>(env, 'alice', '/reviews', {
    experiment: env.experiment,
    output,
    justification,
  });
}

/** Alice submits `output` (nbformat) for review and rita approves exactly that content. */
export async function approvedByReviewer(
  env: VsCodeTestEnv,
  output: Record<string, unknown>,
  justification: string,
): Promise<void> {
  const request = await submittedForReview(env, output, justification);
  await post(env, 'rita', `/reviews/${request.id}/decision`, {
    decision: 'approve',
    comment: 'approved in a UI test',
  });
}
