/**
 * The rows of published views: GET /views/:name/{arrow,parquet}?experiment= (bearer token), and
 * download tickets, single-use links that hold no token (POST /views/:name/tickets, then
 * GET /tickets/:ticket/parquet; view-tickets.ts). Every download passes the same checks when its
 * rows are about to be sent (role, experiment, tier, published, current definition) and is
 * audited as the user's access.
 */
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  ARROW_STREAM_MEDIA_TYPE,
  PARQUET_MEDIA_TYPE,
  ROUTES,
  type Policy,
  type ViewTicket,
} from '@privet/core';
import { fillRoutePath } from '@privet/core/client/url';
import { declared } from '@privet/core/policy/lookup';
import type { Services } from '../ledger/open.js';
import { viewFiles } from '../publish/index.js';
import { settleSwap } from '../publish/layout.js';
import type { Actor, TokenFile } from './auth.js';
import { HttpError } from './errors.js';
import { viewParam } from './params.js';
import type { RegisterRoute } from './routes-records.js';
import { actorOfTicket, bearerOf, experimentOfBody, experimentQuery } from './ticket-actor.js';
import { hashToken } from './tokens.js';
import { staleDefinition, summarizeView } from './views.js';
import { ticketGone, ViewTickets } from './view-tickets.js';

/** Registers viewArrow, viewParquet, createViewTicket and ticketParquet. */
export function registerViewFileRoutes(
  route: RegisterRoute,
  policy: Policy,
  stateDir: string,
  services: Services,
  tokens: TokenFile,
): void {
  /**
   * Checks that `actor` may read the rows of view `name` (within `experiment` for analysts) and
   * that they can be served; answers the path of the view's file of `kind`.
   */
  async function checkViewRead(
    actor: Actor,
    name: string,
    experiment: string | undefined,
    kind: 'arrow' | 'parquet',
  ): Promise<string> {
    await settleSwap(stateDir, name); // a publish renaming it into place right now
    const summary = summarizeView(policy, stateDir, name);
    if (!actor.roles.includes('steward')) {
      // Analysts read rows only inside an approved or running experiment that requested the view.
      if (experiment === undefined) {
        throw new HttpError(
          'bad_request',
          'view data is only served within an experiment',
          `name an approved experiment that requested "${name}": ?experiment=<id> on a download, {"experiment": "<id>"} in a ticket request`,
        );
      }
      // A refusal is audited here; the access itself only once rows are about to be sent.
      services.experiments.assertCanUseView(actor, experiment, name, { audit: false });
    }
    if (summary.tier === 'dp') {
      throw new HttpError(
        'wrong_tier',
        `"${name}" is a dp view: it answers aggregate queries only and has no rows to download`,
        'run a DP query against it instead',
      );
    }
    const files = viewFiles(stateDir, name);
    const path = kind === 'arrow' ? files.arrow : files.parquet;
    if (!summary.published || !existsSync(path)) {
      throw new HttpError(
        'not_published',
        `view "${name}" has not been published yet`,
        'a steward runs `privet publish --policy FILE` (npm start does it for the demo)',
      );
    }
    const view = declared(policy.views, name);
    const stale = view && summary.manifest && staleDefinition(policy, view, summary.manifest);
    if (stale)
      throw new HttpError(
        'conflict',
        `view "${name}" was published under an earlier definition (${stale}), so its rows are not served`,
        'a steward publishes it again: `privet publish --policy FILE` or Publish in the Privet panel',
      );
    return path;
  }

  /** Sends the view file at `path`, audited as `actor`'s access (every check passed before). */
  async function sendViewFile(
    reply: FastifyReply,
    access: { actor: Actor; name: string; experiment?: string; kind: 'arrow' | 'parquet' },
    path: string,
    via?: 'ticket',
  ): Promise<FastifyReply> {
    const { actor, name, experiment, kind } = access;
    const steward = actor.roles.includes('steward');
    // Audited once every check passed (a refused download served no rows); stewards read rows
    // outside experiments, and the read is on the record all the same.
    services.audit.append({
      actor: actor.user,
      action: 'view.access',
      ...(experiment === undefined ? {} : { experiment }),
      subject: name,
      details: {
        ...(steward ? { as: 'steward' } : {}),
        format: kind,
        ...(via ? { via } : {}),
      },
    });
    reply.header('Content-Type', kind === 'arrow' ? ARROW_STREAM_MEDIA_TYPE : PARQUET_MEDIA_TYPE);
    reply.header(
      'Content-Disposition',
      `attachment; filename="${name}.${kind === 'arrow' ? 'arrows' : 'parquet'}"`,
    );
    // Opened first, so the length sent (for the clients' download progress) is of the file sent.
    const file = await open(path, 'r');
    reply.header('Content-Length', String((await file.stat()).size));
    return reply.send(file.createReadStream());
  }

  /** The handler of GET /views/:name/{arrow,parquet}?experiment=. */
  function viewFileRoute(kind: 'arrow' | 'parquet') {
    return async (request: FastifyRequest, reply: FastifyReply, actor: Actor | undefined) => {
      const name = viewParam(request);
      const access = { actor: actor!, name, ...experimentQuery(request, actor!), kind };
      return sendViewFile(
        reply,
        access,
        await checkViewRead(actor!, name, access.experiment, kind),
      );
    };
  }
  route('viewArrow', viewFileRoute('arrow'));
  route('viewParquet', viewFileRoute('parquet'));

  const tickets = new ViewTickets();
  route('createViewTicket', async (request, _reply, actor): Promise<ViewTicket> => {
    const name = viewParam(request);
    const { experiment } = experimentOfBody(request.body, actor!);
    // Every check of a download now, so that a link is only made for rows that would be served.
    await checkViewRead(actor!, name, experiment, 'parquet');
    const tokenHash = hashToken(bearerOf(request.headers.authorization));
    const { ticket, expiresAt } = tickets.issue({
      user: actor!.user,
      tokenHash,
      view: name,
      ...(experiment === undefined ? {} : { experiment }),
    });
    services.audit.append({
      actor: actor!.user,
      action: 'view.ticket',
      ...(experiment === undefined ? {} : { experiment }),
      subject: name,
      details: { expiresAt: expiresAt.toISOString() },
    });
    return {
      path: fillRoutePath(ROUTES.ticketParquet.path, { ticket }),
      expiresAt: expiresAt.toISOString(),
    };
  });
  route('ticketParquet', async (request, reply) => {
    const grant = tickets.redeem(String((request.params as { ticket?: unknown }).ticket ?? ''));
    // The holder of the link acts as the user it was made for, as that user stands now: the
    // token it was made under must still hold, and every check of a download passes again.
    const actor = actorOfTicket(grant, tokens.current(), policy);
    if (!actor) throw ticketGone();
    const access = {
      actor,
      name: grant.view,
      ...(grant.experiment === undefined ? {} : { experiment: grant.experiment }),
      kind: 'parquet' as const,
    };
    return sendViewFile(
      reply,
      access,
      await checkViewRead(actor, grant.view, grant.experiment, 'parquet'),
      'ticket',
    );
  });
}
