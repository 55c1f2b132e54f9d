/**
 * Export bundles: the filtered notebook (only passed or approved outputs), a manifest with one line
 * per output, and an Ed25519 signature over canonicalJson(manifest). The manifest carries the
 * SHA-256 of canonicalJson(filtered notebook), so the signature covers every exported byte; it
 * is computed with the filter, in the output-check worker (canonical-hash.ts).
 */
import { randomUUID, sign } from 'node:crypto';
import type {
  CreateExportRequest,
  ExportBundle,
  ExportManifest,
  ExportPublicKeyResponse,
  Policy,
} from '@privet/core';
import { canonicalJson, type Experiment, type JsonValue } from '@privet/core/record/index';
import { ServiceError } from '../audit/service-error.js';
import { immediate } from '../audit/sqlite.js';
import { hasRole, isMember, refusalFiling, type Actor } from '../experiments/access.js';
import { readChecked, refuseTampered, type CheckedRead } from '../experiments/record-refusal.js';
import type { Services } from '../ledger/open.js';
import { committedClaims } from '../review/release-snapshot.js';
import { reviewedViews } from '../review/views-used.js';
import type { OpenedBody } from '../leak/output-worker.js';
import type { ExportedLines, OpenedExport } from '../leak/output-worker-protocol.js';
import { rawValueLookups, type FilteredNotebook } from './filter.js';
import { exportLookups, type ExportLookups } from './lookups.js';
import { parseExportRequest } from './request.js';
import { loadOrCreateSigningKey, type SigningKey } from './signing-key.js';

/** Format tag of every bundle. */
export const BUNDLE_FORMAT = 'privet-export-bundle/1';

/** What the export service needs. */
export interface ExportServiceOptions {
  services: Services;
  policy: Policy;
  /** SHA-256 of the policy file text (as in GET /health). */
  policyHash: string;
  stateDir: string;
  /**
   * Filters the notebook with the stores' answers read for it (lookups.ts): the rules, content
   * hashes and raw-value lookups of every kept output and cell source (`create`, the gateway
   * host's one-shot CLI: in its own process); an index that cannot be built, or a check that
   * fails, fails the export. The gateway's routes use `bodies` instead.
   */
  filter?: (notebook: unknown, lookups: ExportLookups) => Promise<FilteredNotebook>;
  /**
   * Spends the actor's raw-value lookups (one per output and cell source) or throws 429; absent on
   * the gateway host's own CLI. Each withheld line tells whether a value is in the raw data.
   */
  spendLookups?: (actor: Actor, lookups: number, experiment: string) => void;
  /** Request bodies parsed and filtered in the output-check worker (POST /exports; createFromBody). */
  bodies?: ExportBodies;
  clock?: () => Date;
}

/** The output-check worker's handling of export bodies sent as bytes (LeakService). */
export interface ExportBodies {
  open(bytes: Uint8Array): Promise<OpenedBody<OpenedExport>>;
  filter(
    handle: number,
    lookups: ExportLookups,
  ): Promise<{ lines: ExportedLines; notebookJson: Uint8Array }>;
  close(handle: number): void;
}

/** Experiment states in which outputs may be exported (data access may already have ended). */
const EXPORTABLE_STATES = new Set(['approved', 'running', 'evaluation']);

/** Builds and signs export bundles; the signing key is created on first use. */
export class ExportService {
  private key: SigningKey | undefined;
  private readonly clock: () => Date;

  constructor(private readonly o: ExportServiceOptions) {
    this.clock = o.clock ?? (() => new Date());
  }

  /** The signing key (created in the state folder if missing). */
  signingKey(): SigningKey {
    this.key ??= loadOrCreateSigningKey(this.o.stateDir);
    return this.key;
  }

  /** GET /exports/public-key */
  publicKey(): ExportPublicKeyResponse {
    const key = this.signingKey();
    return { keyId: key.keyId, publicKey: key.publicKeyRaw.toString('base64') };
  }

  /** Validates a CreateExportRequest body. */
  static parse(body: unknown): CreateExportRequest {
    return parseExportRequest(body);
  }

  /** Re-checks every output, keeps only passed or approved ones, signs, and audits the export. */
  async create(actor: Actor, request: CreateExportRequest): Promise<ExportBundle> {
    const { services, policy } = this.o;
    const filter = this.o.filter;
    if (!filter) throw new Error('this export service has no filter for parsed notebooks');
    this.admit(actor, request.experiment, rawValueLookups(request.notebook));
    const { notebook, ...lines } = await filter(
      request.notebook,
      exportLookups(request.notebook, policy.export, {
        releaseCommitted: (id, digest) => services.reviews.releases.has(id, digest),
        approved: () => services.reviews.approvedIn(request.experiment),
        views: () => reviewedViews(policy),
      }),
    );
    return { ...this.signAndAudit(actor, request.experiment, request.name, lines), notebook };
  }

  /**
   * `create` for a body sent as bytes (POST /exports): parsed, validated and filtered in the
   * output-check worker, so the event loop never parses or serializes the notebook. Resolves to
   * the bundle's JSON bytes (the filtered notebook's bytes spliced in as they came back).
   */
  async createFromBody(actor: Actor, bytes: Uint8Array): Promise<Buffer> {
    const { services, policy } = this.o;
    const bodies = this.o.bodies;
    if (!bodies) throw new Error('this export service has no output-check worker for bodies');
    const { handle, opened } = await bodies.open(bytes);
    try {
      this.admit(actor, opened.experiment, opened.lookups);
      const { lines, notebookJson } = await bodies.filter(handle, {
        exportRules: policy.export,
        releases: committedClaims(opened.releaseClaims, (id, digest) =>
          services.reviews.releases.has(id, digest),
        ),
        approved: [...services.reviews.approvedIn(opened.experiment)],
        viewsUsed: reviewedViews(policy),
      });
      const head = JSON.stringify(this.signAndAudit(actor, opened.experiment, opened.name, lines));
      return Buffer.concat([
        Buffer.from(`${head.slice(0, -1)},"notebook":`, 'utf8'),
        notebookJson,
        Buffer.from('}', 'utf8'),
      ]);
    } finally {
      bodies.close(handle); // nothing left to drop once the filter took it
    }
  }

  /** Refuses (and audits) an export the actor may not make, then spends its raw-value lookups. */
  private admit(actor: Actor, id: string, lookups: number): void {
    const refusal = this.checkedRefusal(actor, id, 'admit');
    if (refusal) throw refusal;
    this.o.spendLookups?.(actor, lookups, id);
  }

  /**
   * Why `actor` may not export from `id` now, audited (one entry), or undefined when they may. A
   * row that does not match the audit log is refused as such to those who may see the experiment
   * and as an unknown id to anyone else. `step`: admitting the request or signing the bundle.
   */
  private checkedRefusal(
    actor: Actor,
    id: string,
    step: 'admit' | 'sign',
  ): ServiceError | undefined {
    const { services, policy } = this.o;
    const read: CheckedRead = readChecked(services.db, id);
    const refusal = this.refusal(actor, id, read.experiment);
    if (read.tampered)
      return refuseTampered({
        audit: services.audit,
        policy,
        action: 'export.refused',
        actor,
        service: 'export',
        tampered: read.tampered,
        unknown: refusal,
        details: { attempted: step },
      });
    if (!refusal) return undefined;
    services.audit.append({
      actor: actor.user,
      action: 'export.refused',
      ...refusalFiling(read.experiment, actor, policy),
      details: { reason: refusal.reason, requested: id.slice(0, 200) },
    });
    return refusal;
  }

  /** The bundle less its notebook: the signed manifest of `lines`; the export is audited. */
  private signAndAudit(
    actor: Actor,
    experiment: string,
    name: string,
    lines: ExportedLines,
  ): Omit<ExportBundle, 'notebook'> {
    const { services } = this.o;
    const key = this.signingKey();
    const manifest: ExportManifest = {
      bundleId: `exp-${randomUUID()}`,
      experiment,
      exportedBy: actor.user,
      exportedAt: this.clock().toISOString(),
      policyHash: this.o.policyHash,
      notebookHash: lines.notebookHash,
      keyId: key.keyId,
      outputs: lines.outputs,
      withheldSources: lines.withheldSources,
      ...(lines.withheldKernelNames ? { withheldKernelNames: lines.withheldKernelNames } : {}),
    };
    const count = (s: string) => lines.outputs.filter((l) => l.status === s).length;
    // The experiment may have been dissolved (or the actor removed) while the notebook was being
    // filtered: checked again in the transaction that files the export, so an export signed and
    // audited always had the right to be, and nothing is released after a dissolution.
    const refused = immediate(services.db, () => {
      // Returned, not thrown: the refusal's audit entry commits with this transaction.
      const refusal = this.checkedRefusal(actor, experiment, 'sign');
      if (refusal) return refusal;
      services.audit.append({
        actor: actor.user,
        action: 'export',
        experiment,
        subject: manifest.bundleId,
        details: {
          name: name.slice(0, 200),
          notebookHash: manifest.notebookHash,
          keyId: key.keyId,
          passed: count('passed'),
          approved: count('approved'),
          withheld: count('withheld'),
          withheldSources: lines.withheldSources.length,
          ...(lines.withheldKernelNames ? { kernelNamesWithheld: true } : {}),
        },
      });
      return undefined;
    });
    if (refused) throw refused;
    // Signed once filed: a refused export is never signed.
    const signature = sign(
      null,
      Buffer.from(canonicalJson(manifest as unknown as JsonValue), 'utf8'),
      key.privateKey,
    );
    return {
      format: BUNDLE_FORMAT,
      manifest,
      signature: signature.toString('base64'),
      publicKey: key.publicKeyRaw.toString('base64'),
    };
  }

  private refusal(actor: Actor, id: string, e: Experiment | undefined): ServiceError | undefined {
    const steward = hasRole(actor, this.o.policy, 'steward');
    if (!e || (!steward && !isMember(e, actor.user)))
      return new ServiceError(
        'not_found',
        'experiment.unknown',
        `there is no experiment "${id}" visible to ${actor.user}`,
        'check the id with GET /api/v1/experiments',
      );
    if (!steward && !hasRole(actor, this.o.policy, 'analyst'))
      return new ServiceError(
        'forbidden',
        'export.role',
        `${actor.user} may not export notebooks`,
        'sign in as an analyst member or a steward',
      );
    if (!EXPORTABLE_STATES.has(e.state))
      return new ServiceError(
        'forbidden',
        `experiment.${e.state}`,
        `experiment "${id}" is ${e.state}; exports need an approved, running or evaluating experiment`,
        'export while the experiment is open, or ask a steward',
      );
    return undefined;
  }
}
