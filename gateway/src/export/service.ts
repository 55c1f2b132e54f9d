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
import { hasRole, isMember, refusalFiling, type Actor } from '../experiments/access.js';
import { loadExperiment } from '../experiments/store.js';
import type { Services } from '../ledger/open.js';
import { experimentField, objectBody } from '../review/validate.js';
import { HttpError } from '../http/errors.js';
import { rawValueLookups, type FilteredNotebook } from './filter.js';
import { exportLookups, type ExportLookups } from './lookups.js';
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
   * hashes and raw-value lookups of every kept output and cell source (the gateway: all in its
   * output-check worker); an index that cannot be built, or a check that fails, fails the export.
   */
  filter: (notebook: unknown, lookups: ExportLookups) => Promise<FilteredNotebook>;
  /**
   * Spends the actor's raw-value lookups (one per output and cell source) or throws 429; absent on
   * the gateway host's own CLI. Each withheld line tells whether a value is in the raw data.
   */
  spendLookups?: (actor: Actor, lookups: number, experiment: string) => void;
  clock?: () => Date;
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
    const b = objectBody(body, '{ experiment, name, notebook }');
    const experiment = experimentField(b);
    if (typeof b.name !== 'string' || b.name.trim() === '' || b.name.length > 1000)
      throw new HttpError(
        'bad_request',
        '"name" must be the notebook path or name',
        'send e.g. "name": "analysis.ipynb"',
      );
    if (typeof b.notebook !== 'object' || b.notebook === null || Array.isArray(b.notebook))
      throw new HttpError(
        'bad_request',
        '"notebook" must be the notebook JSON object',
        'send the .ipynb content as JSON',
      );
    return { experiment, name: b.name, notebook: b.notebook as Record<string, unknown> };
  }

  /** Re-checks every output, keeps only passed or approved ones, signs, and audits the export. */
  async create(actor: Actor, request: CreateExportRequest): Promise<ExportBundle> {
    const { services, policy } = this.o;
    const experiment = loadExperiment(services.db, request.experiment);
    const refusal = this.refusal(actor, request.experiment, experiment);
    if (refusal) {
      services.audit.append({
        actor: actor.user,
        action: 'export.refused',
        ...refusalFiling(experiment, actor, policy),
        details: { reason: refusal.reason, requested: request.experiment.slice(0, 200) },
      });
      throw refusal;
    }
    this.o.spendLookups?.(actor, rawValueLookups(request.notebook), request.experiment);
    const filtered = await this.o.filter(
      request.notebook,
      exportLookups(request.notebook, policy.export, {
        releaseCommitted: (id, digest) => services.reviews.releases.has(id, digest),
        approved: () => services.reviews.approvedIn(request.experiment),
      }),
    );
    const key = this.signingKey();
    const manifest: ExportManifest = {
      bundleId: `exp-${randomUUID()}`,
      experiment: request.experiment,
      exportedBy: actor.user,
      exportedAt: this.clock().toISOString(),
      policyHash: this.o.policyHash,
      notebookHash: filtered.notebookHash,
      keyId: key.keyId,
      outputs: filtered.outputs,
      withheldSources: filtered.withheldSources,
    };
    const signature = sign(
      null,
      Buffer.from(canonicalJson(manifest as unknown as JsonValue), 'utf8'),
      key.privateKey,
    );
    const count = (s: string) => filtered.outputs.filter((l) => l.status === s).length;
    services.audit.append({
      actor: actor.user,
      action: 'export',
      experiment: request.experiment,
      subject: manifest.bundleId,
      details: {
        name: request.name.slice(0, 200),
        notebookHash: manifest.notebookHash,
        keyId: key.keyId,
        passed: count('passed'),
        approved: count('approved'),
        withheld: count('withheld'),
        withheldSources: filtered.withheldSources.length,
      },
    });
    return {
      format: BUNDLE_FORMAT,
      manifest,
      notebook: filtered.notebook,
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
