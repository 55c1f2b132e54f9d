/**
 * Offline verification of an export bundle against a trusted public key: the signature over
 * canonicalJson(manifest), the key id, the notebook hash, and that every output in the notebook
 * is covered by exactly one manifest line — passed or approved with a matching content hash, or
 * withheld and nothing but a placeholder — and that every cell the manifest lists as having its
 * source withheld holds only the placeholder text. The bundle may hold nothing but its known
 * fields (nothing unsigned rides along), its `publicKey` must be the trusted key, and, when the
 * caller expects an experiment, the manifest must name it. Any problem fails the bundle.
 */
import { verify } from 'node:crypto';
import type { ExportManifest, ExportManifestOutput, ExportManifestSource } from '@privet/core';
import { outputContentHash, type NotebookOutput } from '@privet/core/review/index';
import { canonicalJson, type JsonValue } from '@privet/core/record/index';
import { isPlaceholder, isPlaceholderText } from './placeholder.js';
import { canonicalSha256 } from './canonical-hash.js';
import { BUNDLE_FORMAT } from './service.js';
import { keyIdOf, publicKeyFromRaw } from './signing-key.js';

/** The outcome of verifying one bundle. */
export interface BundleVerification {
  ok: boolean;
  /** What is wrong (empty when ok). */
  problems: string[];
  counts: { passed: number; approved: number; withheld: number; withheldSources: number };
  /** Who exported the bundle from which experiment, as the manifest says (set when ok). */
  exported?: { experiment: string; exportedBy: string; exportedAt: string };
}

/** What the caller expects of a bundle besides its signature and coverage. */
export interface BundleExpectations {
  /** The experiment the bundle must have been exported from. */
  experiment?: string;
}

/** The fields of a bundle (ExportBundle); any other is a problem, as the signature covers none. */
const BUNDLE_KEYS = new Set(['format', 'manifest', 'signature', 'publicKey', 'notebook']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems with the bundle's own fields: unknown ones (never named: they are not the gateway's), the key. */
function envelopeProblems(bundle: Obj, trusted: Buffer): string[] {
  const problems: string[] = [];
  const extra = Object.keys(bundle).filter((k) => !BUNDLE_KEYS.has(k)).length;
  if (extra > 0)
    problems.push(
      `the bundle has ${extra} field(s) besides format, manifest, signature, publicKey and notebook (added after signing; nothing vouches for them)`,
    );
  if (bundle.publicKey !== trusted.toString('base64'))
    problems.push(
      "the bundle's publicKey is not the trusted key (the bundle was changed or made by another gateway)",
    );
  return problems;
}

/** A problem when the manifest names another experiment than the expected one. */
function experimentProblem(manifest: Obj, expected: BundleExpectations): string | undefined {
  if (expected.experiment === undefined || manifest.experiment === expected.experiment)
    return undefined;
  return `the bundle was not exported from experiment "${expected.experiment}" (its manifest names another one)`;
}

function signatureProblem(manifest: Obj, signature: unknown, trusted: Buffer): string | undefined {
  if (keyIdOf(trusted) !== manifest.keyId)
    return 'the manifest names another signing key than the trusted one (keyId differs)';
  if (typeof signature !== 'string') return 'the bundle has no signature';
  try {
    const bytes = Buffer.from(canonicalJson(manifest as unknown as JsonValue), 'utf8');
    if (verify(null, bytes, publicKeyFromRaw(trusted), Buffer.from(signature, 'base64')))
      return undefined;
  } catch {
    return 'the manifest cannot be canonicalized or the signature is malformed';
  }
  return 'the signature does not match the manifest under the trusted key (the manifest was changed or signed by another key)';
}

async function outputProblems(nb: Obj, lines: readonly ExportManifestOutput[]): Promise<string[]> {
  const problems: string[] = [];
  const byPlace = new Map<string, ExportManifestOutput>();
  for (const l of lines) {
    const place = `${l.cellIndex}:${l.outputIndex}`;
    if (byPlace.has(place))
      problems.push(`the manifest lists cell ${l.cellIndex} output ${l.outputIndex} twice`);
    byPlace.set(place, l);
  }
  const cells = Array.isArray(nb.cells) ? nb.cells : [];
  let seen = 0;
  for (const [ci, cell] of cells.entries()) {
    const outputs: unknown[] = isObj(cell) && Array.isArray(cell.outputs) ? cell.outputs : [];
    for (const [oi, output] of outputs.entries()) {
      seen++;
      const where = `cell ${ci} output ${oi}`;
      const line = byPlace.get(`${ci}:${oi}`);
      if (!line) problems.push(`${where} is not covered by the manifest`);
      else if (line.status === 'withheld') {
        if (!isPlaceholder(output))
          problems.push(`${where} is marked withheld but is not a placeholder`);
      } else if (line.status === 'passed' || line.status === 'approved') {
        let hash = '';
        try {
          hash = await outputContentHash(output as NotebookOutput);
        } catch {
          hash = '';
        }
        if (hash !== line.contentHash)
          problems.push(`${where} differs from the content the manifest says was ${line.status}`);
        if (line.status === 'approved' && !line.reviewId)
          problems.push(`${where} is marked approved without a review id`);
      } else problems.push(`${where} has an unknown status in the manifest`);
    }
  }
  if (seen !== lines.length)
    problems.push(`the manifest lists ${lines.length} outputs but the notebook has ${seen}`);
  return problems;
}

/** A manifest saying the kernel names were withheld must carry its rules and a notebook without them. */
function kernelNamesProblem(nb: Obj, withheld: unknown): string | undefined {
  if (withheld === undefined) return undefined;
  if (!Array.isArray(withheld) || !withheld.every((r) => typeof r === 'string'))
    return 'the manifest withheldKernelNames is not a list of rule names';
  const metadata = isObj(nb.metadata) ? nb.metadata : {};
  if ('kernelspec' in metadata || 'language_info' in metadata)
    return 'the manifest says the kernel names were withheld, but the notebook holds them';
  return undefined;
}

function sourceProblems(nb: Obj, withheld: unknown): string[] {
  if (!Array.isArray(withheld))
    return [
      'the manifest has no withheld-source list (a bundle from before cell sources were checked: export it again)',
    ];
  const cells = Array.isArray(nb.cells) ? nb.cells : [];
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const line of withheld as ExportManifestSource[]) {
    const ci = isObj(line) ? line.cellIndex : undefined;
    if (typeof ci !== 'number' || !Number.isInteger(ci) || ci < 0 || ci >= cells.length) {
      problems.push('the manifest lists a withheld source for a cell the notebook does not have');
      continue;
    }
    if (seen.has(ci)) problems.push(`the manifest lists cell ${ci}'s source twice`);
    seen.add(ci);
    const cell: unknown = cells[ci];
    if (!isObj(cell) || !isPlaceholderText(cell.source))
      problems.push(`cell ${ci}'s source is marked withheld but is not a placeholder`);
  }
  return problems;
}

/**
 * Verifies a parsed bundle against the trusted raw Ed25519 public key (and, when given, the
 * experiment it must come from).
 */
export async function verifyBundle(
  bundle: unknown,
  trustedPublicKey: Buffer,
  expected: BundleExpectations = {},
): Promise<BundleVerification> {
  const counts = { passed: 0, approved: 0, withheld: 0, withheldSources: 0 };
  if (
    !isObj(bundle) ||
    bundle.format !== BUNDLE_FORMAT ||
    !isObj(bundle.manifest) ||
    !isObj(bundle.notebook)
  )
    return {
      ok: false,
      problems: [
        `not a Privet export bundle (expected format ${BUNDLE_FORMAT} with manifest and notebook)`,
      ],
      counts,
    };
  const manifest = bundle.manifest;
  const problems = envelopeProblems(bundle, trustedPublicKey);
  const sig = signatureProblem(manifest, bundle.signature, trustedPublicKey);
  if (sig) problems.push(sig);
  const elsewhere = experimentProblem(manifest, expected);
  if (elsewhere) problems.push(elsewhere);
  let notebookHash = '';
  try {
    notebookHash = canonicalSha256(bundle.notebook as JsonValue);
  } catch {
    notebookHash = '';
  }
  if (notebookHash !== manifest.notebookHash)
    problems.push(
      'the notebook does not match the manifest notebookHash (the notebook was changed after signing)',
    );
  const lines = Array.isArray(manifest.outputs)
    ? (manifest.outputs as ExportManifest['outputs'])
    : [];
  if (!Array.isArray(manifest.outputs)) problems.push('the manifest has no output list');
  problems.push(...(await outputProblems(bundle.notebook, lines)));
  problems.push(...sourceProblems(bundle.notebook, manifest.withheldSources));
  const names = kernelNamesProblem(bundle.notebook, manifest.withheldKernelNames);
  if (names) problems.push(names);
  if (Array.isArray(manifest.withheldSources))
    counts.withheldSources = manifest.withheldSources.length;
  for (const l of lines)
    if (l.status === 'passed' || l.status === 'approved' || l.status === 'withheld')
      counts[l.status]++;
  if (problems.length > 0) return { ok: false, problems, counts };
  // Signed under the trusted key: the gateway wrote these.
  const { experiment, exportedBy, exportedAt } = manifest as unknown as ExportManifest;
  return { ok: true, problems, counts, exported: { experiment, exportedBy, exportedAt } };
}
