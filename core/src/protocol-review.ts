/**
 * Protocol for the reviewer workflow, signed export bundles, the raw-value leak check, release-id
 * verification and background publish jobs. Route entries live in ROUTES (protocol.ts).
 */
import type { Finding, NotebookOutput, Verdict } from './review/types.js';

/** Where a review request stands. `changes_requested` is final for that content: resubmit a new output. */
export type ReviewState = 'pending' | 'approved' | 'rejected' | 'changes_requested';

/** What a reviewer decides. */
export type ReviewDecision = 'approve' | 'reject' | 'request_changes';

/** One comment on a review request. */
export interface ReviewComment {
  at: string;
  author: string;
  text: string;
}

/** POST /reviews (analyst): submit a flagged output. The gateway re-runs the check itself. */
export interface SubmitReviewRequest {
  experiment: string;
  /** The nbformat output object exactly as the kernel produced it; only the gateway stores it. */
  output: NotebookOutput;
  /** Why this output should be released (required, non-empty). */
  justification: string;
  /** Notebook path as the host knows it, for the reviewer's context. */
  notebook?: string;
  /** nbformat cell id, when the notebook has one. */
  cellId?: string;
  cellIndex?: number;
  outputIndex?: number;
  /** The code of the cell that produced the output. */
  cellSource?: string;
  /** Names of the views the cell used. */
  viewsUsed?: string[];
  /**
   * For a stream output that continues earlier outputs of the same stream in its cell (another
   * stream's write split it off): their text (`streamContextBefore`), which the check reads first.
   */
  streamContext?: string;
}

/** A review request as stored by the gateway; never carries the original output. */
export interface ReviewRequest {
  id: string;
  experiment: string;
  /** The experiment's purpose, for the reviewer. */
  experimentPurpose: string;
  requester: string;
  state: ReviewState;
  /** outputContentHash() of the submitted output: an approval covers exactly this content. */
  contentHash: string;
  /** The gateway's own verdict (export mode) and findings. */
  verdict: Verdict;
  findings: Finding[];
  /** The output with identifier patterns masked: for reviewers and stewards ('' for analysts). */
  redactedPreview: string;
  justification: string;
  notebook?: string;
  cellId?: string;
  cellIndex?: number;
  outputIndex?: number;
  cellSource?: string;
  viewsUsed: string[];
  createdAt: string;
  updatedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  comments: ReviewComment[];
}

/** GET /reviews?experiment=&state=: analysts see their experiments' requests; reviewers all. */
export interface ListReviewsResponse {
  reviews: ReviewRequest[];
}

/** POST /reviews/:id/decision (reviewer, never the requester). */
export interface ReviewDecisionRequest {
  decision: ReviewDecision;
  /** Required for reject and request_changes. */
  comment?: string;
}

/** POST /reviews/:id/comments */
export interface ReviewCommentRequest {
  text: string;
}

/** GET /reviews/:id/output (reviewer, steward): the original output, for inspection only. */
export interface ReviewOutputResponse {
  id: string;
  contentHash: string;
  output: NotebookOutput;
}

/** POST /reviews/status: which of these content hashes are approved in the experiment. */
export interface ReviewStatusRequest {
  experiment: string;
  contentHashes: string[];
}

/** Answer to ReviewStatusRequest: the newest request per hash, if any. */
export interface ReviewStatusResponse {
  statuses: { contentHash: string; state: ReviewState | 'none'; reviewId?: string }[];
}

/** How one output of an exported notebook was covered. */
export type ExportOutputStatus = 'passed' | 'approved' | 'withheld';

/** One output's line in an export manifest. */
export interface ExportManifestOutput {
  cellIndex: number;
  outputIndex: number;
  /** Hash of the original output (the one checked or approved). */
  contentHash: string;
  status: ExportOutputStatus;
  reviewId?: string;
  /** Rules that fired, for withheld outputs. */
  rules?: string[];
}

/** A cell whose source was withheld from an export: it held what the export check holds. */
export interface ExportManifestSource {
  cellIndex: number;
  /** Rules that fired on the cell's source. */
  rules: string[];
}

/** What the gateway signs: the bundle's manifest. */
export interface ExportManifest {
  bundleId: string;
  experiment: string;
  exportedBy: string;
  exportedAt: string;
  policyHash: string;
  /** SHA-256 of the canonical JSON of the exported (filtered) notebook. */
  notebookHash: string;
  /** Key id (SHA-256 of the raw Ed25519 public key, hex) of the signing key. */
  keyId: string;
  outputs: ExportManifestOutput[];
  /** Cells whose source (markdown, code or raw text) was replaced by a placeholder. */
  withheldSources: ExportManifestSource[];
  /**
   * Rules under which the notebook's kernel and language names were left out (they held what the
   * export check holds); absent when they were kept or there were none.
   */
  withheldKernelNames?: string[];
}

/** POST /exports (analyst in the experiment, steward): a notebook to export. */
export interface CreateExportRequest {
  experiment: string;
  /** Notebook path or name, for the manifest. */
  name: string;
  /** nbformat v4 notebook JSON. */
  notebook: Record<string, unknown>;
}

/** A signed export bundle: the filtered notebook, its manifest and an Ed25519 signature. */
export interface ExportBundle {
  format: 'privet-export-bundle/1';
  manifest: ExportManifest;
  notebook: Record<string, unknown>;
  /** Base64 Ed25519 signature over canonicalJson(manifest). */
  signature: string;
  /** Base64 raw Ed25519 public key (also at GET /exports/public-key). */
  publicKey: string;
}

/** GET /exports/public-key */
export interface ExportPublicKeyResponse {
  keyId: string;
  /** Base64 raw Ed25519 public key. */
  publicKey: string;
}

/** POST /leak-check (analyst): candidate strings from an output; only a verdict comes back. */
export interface LeakCheckRequest {
  experiment: string;
  candidates: string[];
}

/** Answer to a leak check: never the matching values or which column they came from. */
export interface LeakCheckResponse {
  leak: boolean;
  /** How many candidates matched a raw identifier value. */
  matches: number;
  checked: number;
}

/** One output a host is about to show; a stream comes with the earlier writes of its cell. */
export interface OutputLeakItem {
  output: NotebookOutput;
  /** Text of the cell's earlier writes to the same stream (a value split over writes is found). */
  before?: string;
}

/** POST /leak-check/outputs (analyst): outputs about to be shown, checked by the gateway itself. */
export interface OutputLeakCheckRequest {
  experiment: string;
  outputs: OutputLeakItem[];
}

/** One verdict per output, in order: whether it shows a raw identifier value (never which). */
export interface OutputLeakCheckResponse {
  rawValue: boolean[];
}

/** A DP release as a check saw it: its id and the SHA-256 of its content (`releaseDigest`). */
export interface ReleaseClaim {
  id: string;
  digest: string;
}

/** POST /releases/verify: which of these releases the gateway's ledger committed, content included. */
export interface VerifyReleasesRequest {
  releases: ReleaseClaim[];
}

/** Answer to VerifyReleasesRequest: the claims whose id was committed with exactly that digest. */
export interface VerifyReleasesResponse {
  valid: ReleaseClaim[];
}

/** Progress of one long gateway job. */
export interface JobProgress {
  /** Current step, e.g. `measure`, `fit`, `sample`, `write`. */
  phase: string;
  /** The view being worked on, when there is one. */
  view?: string;
  /** 0..1 over the whole job. */
  fraction: number;
  message?: string;
}

/** What publishing would do to one view (GET /publish/plan). */
export interface PublishPlanView {
  view: string;
  tier: 'masked' | 'synthetic';
  source: string;
  /** Masked views are always rebuilt; synthetic views only when something changed. */
  action: 'rebuild' | 'keep';
  /** Why, in words: "not published yet", "source data changed", "unchanged", … */
  reason: string;
  /** The publication budget a synthetic rebuild charges (exact decimal text). */
  charge?: { epsilon: string; delta: string };
  /**
   * Set when the rebuild has the same inputs as a release a committed charge paid for: its charge
   * is still reserved (and counted here) but is refunded if the rebuilt file is byte-identical.
   */
  expectedRefund?: { reservation: string; recordedAt: string };
}

/** One source's publication budget before and after the plan (exact decimal texts). */
export interface PublishPlanBudget {
  source: string;
  epsilon: { total: string; used: string; after: string };
  delta: { total: string; used: string; after: string };
  /** True when every rebuild of this source fits its budget. */
  fits: boolean;
}

/** GET /publish/plan (steward): the cost of publishing now, before anything is spent. */
export interface PublishPlan {
  views: PublishPlanView[];
  budgets: PublishPlanBudget[];
  /** True when publishing would be accepted by every budget. */
  fits: boolean;
  /** What would make publishing fail, with the fix (no data values). */
  problems: { message: string; fix: string }[];
  /**
   * Per source the planned views read, the file columns the policy does not declare (never
   * loaded), as `privet publish` prints them: column names only (escaped, capped), never values.
   * Absent when there are none (and from gateways older than this field).
   */
  notes?: string[];
}

/** GET /publish/jobs/:id (steward); POST /publish/jobs starts one. */
export interface PublishJob {
  id: string;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  progress: JobProgress;
  result?: { published: { view: string; rows: number; rowsSuppressed: number }[] };
  error?: { code: string; message: string; fix: string };
  /** Per source read: header columns the policy does not declare, never loaded (names only, escaped). */
  notes?: string[];
}
