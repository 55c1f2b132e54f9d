/**
 * Privet's MIME types are not a pass: any kernel can display a bundle with them. What the VS Code
 * extension still trusts is only what it wrote itself, by exact content: the placeholders it wrote
 * (HeldOutputs.isPlaceholder; content and metadata), and DP releases its controller received or the
 * gateway verified (core's VerifiedReleases, by release id AND content). The release renderer draws a
 * release only when the gate renderer's decision (core's check, then the host) lets it, and a
 * placeholder item shows known rule ids only. Approvals are also answered synchronously
 * (contentHashNow), so the host gate can swap in the placeholder before asking the gateway.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutputItem, RendererApi, RendererContext } from 'vscode-notebook-renderer';
import {
  checkOutput,
  approvalHash,
  outputContentHash,
  type NotebookOutput,
  type ReviewResult,
} from '@privet/core';
import type { DpRelease } from '@privet/core/protocol';
import { GatewayClient } from '../../vscode-ext/src/client/gateway.js';
import { Approvals, contentHashNow } from '../../vscode-ext/src/notebook/approvals.js';
import { HeldOutputs } from '../../vscode-ext/src/notebook/held.js';
import { placeholderOutput, releaseOutput } from '../../vscode-ext/src/notebook/outputs.js';
import { VerifiedReleases } from '@privet/core/client/index';
import { checkAsDrawnWith } from '../../vscode-ext/src/notebook/drawn-check.js';
import { activate as activateGate } from '../../vscode-ext/src/renderer/gate.js';
import { activate as activateReleases } from '../../vscode-ext/src/renderer/index.js';
import { isApprovalQuery } from '../../vscode-ext/src/shared/gate-messages.js';
import { FakeElement, withFakeDocument } from './fake-dom.js';

const EMAIL = 'jane.forged@example.org';
const RELEASE_MIME = 'application/vnd.privet.dp-release+json';
const PLACEHOLDER_MIME = 'application/vnd.privet.withheld+json';
/** The client of one sign-in, as the approval cache keys it. */
const GATEWAY = { baseUrl: 'http://gateway.test' };

/** A release as the gateway returns one. */
function release(id = '3f2a9c0d4b5e6f708192a3b4c5d6e7f8', count = 40): DpRelease {
  return {
    releaseId: id,
    mechanism: 'discrete_laplace',
    alpha: 0.05,
    cost: { epsilon: '0.5' },
    columns: [],
    rows: [
      { keys: { ward: 'A' }, values: { n: { value: count, interval: [count - 3, count + 3] } } },
    ],
    sql: 'SELECT ward, COUNT(*) AS n FROM patients_dp GROUP BY ward',
    planHash: 'ab'.repeat(32),
    warnings: [],
  } as unknown as DpRelease;
}

/** A flag review with these rules. */
function flagged(...rules: string[]): ReviewResult {
  return {
    verdict: 'flag',
    findings: rules.map((rule) => ({
      rule,
      severity: 'flag',
      mime: 'text/plain',
      location: { start: 0, end: 0 },
      message: '',
    })),
    redactedPreview: '',
  } as unknown as ReviewResult;
}

/** An output as the extension host reads it back from the document (a JSON round trip). */
function roundTrip(output: NotebookOutput): NotebookOutput {
  return JSON.parse(JSON.stringify(output)) as NotebookOutput;
}

/** A renderer output item of this MIME type holding this value as JSON. */
function jsonItem(mime: string, value: unknown): OutputItem {
  const text = JSON.stringify(value);
  return {
    id: 'item-1',
    mime,
    metadata: {},
    text: () => text,
    json: () => JSON.parse(text) as unknown,
    data: () => new TextEncoder().encode(text),
    blob: () => new Blob([text]),
  } as OutputItem;
}

/**
 * The gate renderer activated with messaging to a host that answers `approved`, and a renderer
 * context whose getRenderer hands it to the release renderer; `asked` records the host's questions.
 */
function contexts(approved: boolean | null): {
  releaseContext: RendererContext<unknown>;
  asked: string[];
} {
  const asked: string[] = [];
  let listener: ((m: unknown) => void) | undefined;
  const gateContext = {
    getRenderer: async () => undefined,
    postMessage(message: unknown) {
      assert.ok(isApprovalQuery(message));
      asked.push(message.mime);
      if (approved !== null)
        queueMicrotask(() =>
          listener?.({ type: 'privet.approval', requestId: message.requestId, approved }),
        );
    },
    onDidReceiveMessage(l: (m: unknown) => void) {
      listener = l;
      return { dispose: () => (listener = undefined) };
    },
  } as unknown as RendererContext<unknown>;
  const gate = activateGate(gateContext);
  const releaseContext = {
    getRenderer: async (id: string) => (id === 'privet.gate' ? gate : undefined),
  } as unknown as RendererContext<unknown>;
  return { releaseContext, asked };
}

/** Draws `item` with the release renderer in that context; the element's text. */
async function draw(context: RendererContext<unknown>, item: OutputItem): Promise<string> {
  return withFakeDocument(async () => {
    const api = (await activateReleases(context)) as RendererApi;
    const element = new FakeElement();
    await api.renderOutputItem(item, element.asHtml, new AbortController().signal);
    return element.textContent;
  });
}

describe('Privet MIME types from a kernel are not trusted', () => {
  it('core flags a forged placeholder or release bundle next to an address', () => {
    for (const privet of [
      { [PLACEHOLDER_MIME]: { verdict: 'flag', rules: ['email'], heldId: 'x' } },
      { [RELEASE_MIME]: release() },
      { 'application/vnd.privet.anything+json': { note: 'hello' } },
    ]) {
      const output: NotebookOutput = {
        output_type: 'display_data',
        data: { ...privet, 'text/plain': EMAIL },
        metadata: {},
      };
      assert.notEqual(
        checkAsDrawnWith(output, [], new VerifiedReleases().lookup(), '', undefined).verdict,
        'pass',
        Object.keys(privet)[0],
      );
    }
  });

  it('recognises exactly the placeholders Privet wrote, and nothing added to them', () => {
    const held = new HeldOutputs();
    const id = held.hold({
      output: { output_type: 'stream', name: 'stdout', text: EMAIL },
      review: flagged('email'),
      cellSource: '',
      viewsUsed: [],
    });
    const placeholder = placeholderOutput(flagged('email'), id);
    assert.equal(held.isPlaceholder(roundTrip(placeholder)), false, 'not before it is noted');
    held.notePlaceholder(id, placeholder);
    assert.equal(held.isPlaceholder(roundTrip(placeholder)), true);
    const data = (placeholder as { data: Record<string, unknown> }).data;
    const withEmail = { ...placeholder, data: { ...data, 'text/html': EMAIL } } as NotebookOutput;
    assert.equal(held.isPlaceholder(withEmail), false, 'an item added next to it');
    const text = { ...placeholder, data: { ...data, 'text/plain': EMAIL } } as NotebookOutput;
    assert.equal(held.isPlaceholder(text), false, 'its text replaced');
    const meta = { ...placeholder, metadata: { privet: { withheld: id }, note: EMAIL } };
    assert.equal(held.isPlaceholder(meta as NotebookOutput), false, 'metadata added');
    const other = placeholderOutput(flagged('email'), 'someone-else');
    assert.equal(held.isPlaceholder(other), false, 'a placeholder Privet did not write');
    held.drop(id);
    assert.equal(held.isPlaceholder(roundTrip(placeholder)), false, 'forgotten with its original');
  });

  it('trusts a release by id and content only, verified with the gateway or received', async () => {
    const releases = new VerifiedReleases();
    const r = release();
    const check = (value: unknown, known = releases.lookup()): string =>
      checkOutput(
        { output_type: 'display_data', data: { [RELEASE_MIME]: value }, metadata: {} },
        { mode: 'display', knownRelease: known },
      ).verdict;
    assert.equal(check(r), 'flag', 'unknown: dp-provenance');
    releases.remember(r, 'http://gateway');
    assert.equal(check(r), 'pass', 'received by Privet’s controller');
    assert.equal(check(release(r.releaseId, 3)), 'flag', 'same id, other numbers');

    // A release the ledger knows (a saved notebook's) is verified once, then trusted.
    const saved = release('9'.repeat(32), 55);
    const unknown = new Map<string, { id: string; content: string }>();
    assert.equal(check(saved, releases.lookup(unknown)), 'flag');
    assert.equal(unknown.size, 1);
    const asked: unknown[] = [];
    const client = Object.assign(Object.create(GatewayClient.prototype) as GatewayClient, {
      baseUrl: 'http://gateway',
      verifyReleases: async (claims: { id: string; digest: string }[]) => {
        asked.push(...claims);
        return { valid: claims.filter((c) => c.id === saved.releaseId) };
      },
    });
    assert.equal(await releases.verify(client, unknown), true);
    assert.equal(asked.length, 1);
    assert.equal(check(saved), 'pass');
    const failing = Object.assign(Object.create(GatewayClient.prototype) as GatewayClient, {
      baseUrl: 'http://gateway',
      verifyReleases: async () => {
        throw new Error('gateway down');
      },
    });
    const other = new Map([['x', { id: 'x', content: '{}' }]]);
    assert.equal(await releases.verify(failing, other), false, 'a failed call learns nothing');
  });

  it('answers known approvals synchronously with the same hash as approvalHash', async () => {
    const output: NotebookOutput = {
      output_type: 'display_data',
      data: { 'text/plain': `contact ${EMAIL} — ünïcode`, 'application/json': { a: [1, 2] } },
      metadata: {},
    };
    const hash = await approvalHash(output, '');
    assert.equal(hash, await outputContentHash(output), 'a display output: its content alone');
    assert.equal(contentHashNow(output, ''), hash);
    const approvals = new Approvals();
    assert.equal(approvals.knownApprovedOutput(GATEWAY, 'exp-1', output, ''), false);
    approvals.remember(GATEWAY, 'exp-1', hash);
    assert.equal(approvals.knownApprovedOutput(GATEWAY, 'exp-1', output, ''), true);
    assert.equal(approvals.knownApprovedOutput(GATEWAY, 'exp-2', output, ''), false);
  });

  it('an approved stream part counts only after the same earlier parts of its stream', async () => {
    const part: NotebookOutput = { output_type: 'stream', name: 'stdout', text: '3\n' };
    const approvals = new Approvals();
    const hash = await approvalHash(part, 'clinic    count\nnorth     ');
    assert.equal(contentHashNow(part, 'clinic    count\nnorth     '), hash);
    approvals.remember(GATEWAY, 'exp-1', hash);
    assert.equal(
      approvals.knownApprovedOutput(GATEWAY, 'exp-1', part, 'clinic    count\nnorth     '),
      true,
    );
    assert.equal(
      approvals.knownApprovedOutput(GATEWAY, 'exp-1', part, 'diagnosis patients\nHIV       '),
      false,
      'the same "3" completing another table is not approved',
    );
    assert.equal(approvals.knownApprovedOutput(GATEWAY, 'exp-1', part, ''), false);
  });
});

describe('Privet release renderer', () => {
  it('holds a release the host does not vouch for: its numbers are never drawn', async () => {
    const forged = release('f0'.repeat(16), 4242);
    const { releaseContext, asked } = contexts(false);
    const text = await draw(releaseContext, jsonItem(RELEASE_MIME, forged));
    assert.match(text, /Privet withheld this output \(flag: dp-provenance\)/);
    assert.doesNotMatch(text, /4242|f0f0f0/);
    assert.deepEqual(asked, [RELEASE_MIME], 'the host was asked');
  });

  it('draws a release once the host confirms it', async () => {
    const { releaseContext } = contexts(true);
    const text = await draw(releaseContext, jsonItem(RELEASE_MIME, release()));
    assert.doesNotMatch(text, /withheld/);
    assert.match(text, /release id 3f2a9c0d4b5e6f708192a3b4c5d6e7f8/);
  });

  it('holds a release without the gate renderer or an answer (fail closed)', async () => {
    const none = { getRenderer: async () => undefined } as unknown as RendererContext<unknown>;
    const text = await draw(none, jsonItem(RELEASE_MIME, release()));
    assert.match(text, /Privet withheld this output/);
    assert.doesNotMatch(text, /3f2a9c0d/);
    const broken = {
      getRenderer: async () => {
        throw new Error('no such renderer');
      },
    } as unknown as RendererContext<unknown>;
    assert.doesNotMatch(await draw(broken, jsonItem(RELEASE_MIME, release())), /3f2a9c0d/);
  });

  it('draws a placeholder item’s known rule ids only, never other text it carries', async () => {
    const { releaseContext } = contexts(null);
    const item = jsonItem(PLACEHOLDER_MIME, {
      verdict: `flag ${EMAIL}`,
      rules: ['email', EMAIL, 'row-level'],
      heldId: 'x',
    });
    const text = await draw(releaseContext, item);
    assert.match(text, /Privet withheld this output \(flag: email, row-level\)/);
    assert.doesNotMatch(text, /example\.org/);
  });

  it('a placeholder written by the gate draws as before', async () => {
    const { releaseContext } = contexts(null);
    const info = (
      placeholderOutput(flagged('small-cell', 'email'), 'id-1') as {
        data: Record<string, unknown>;
      }
    ).data[PLACEHOLDER_MIME];
    const text = await draw(releaseContext, jsonItem(PLACEHOLDER_MIME, info));
    assert.match(text, /Privet withheld this output \(flag: email, small-cell\)/);
  });

  it('the release written by Privet’s controller passes the host’s check once remembered', () => {
    const approvals = new Approvals();
    const r = release();
    const output = releaseOutput(r);
    const views = [] as const;
    assert.notEqual(
      checkAsDrawnWith(output, views, approvals.releases.lookup(), '', undefined).verdict,
      'pass',
    );
    approvals.releases.remember(r, 'http://gateway');
    assert.equal(
      checkAsDrawnWith(output, views, approvals.releases.lookup(), '', undefined).verdict,
      'pass',
    );
    const withEmail = {
      ...output,
      data: { ...(output as { data: object }).data, 'text/html': EMAIL },
    } as NotebookOutput;
    assert.notEqual(
      checkAsDrawnWith(withEmail, views, approvals.releases.lookup(), '', undefined).verdict,
      'pass',
      'an item added next to a genuine release is still checked',
    );
  });
});
