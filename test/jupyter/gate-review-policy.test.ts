/**
 * The JupyterLab gate checks what it draws with the signed-in gateway's review settings (GET
 * /whoami's `exportRules`, read by core's review/display-rules.ts as VS Code reads them), as they
 * are, and with the defaults when signed out (jupyter-ext gate/review-policy.ts, gate.ts,
 * GatedOutput.ts): a policy with `small_cell_threshold: 20` holds a count of 14 on screen and in
 * the saved file, as the gateway's export check does; one with 5 draws a count of 7, which the
 * gateway's export passes (and would refuse to review). An output drawn under other settings is checked again when they
 * change. Also: the synchronous SHA-256 the gate names contents with (content-digest.ts).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { checkOutput, settingsFromExportRules } from '@privet/core/review/index';
import type { NotebookOutput } from '@privet/core/review/index';
import { fakeGateway, gateModule, gatedNotebook, stdout, until } from './gated-output.js';

const { displayPolicy } = await gateModule<{
  displayPolicy(user: object | null | undefined): {
    small_cell_threshold?: number;
    images?: string;
  };
}>('review-policy');
const { sha256HexSync, contentDigest } = await gateModule<{
  sha256HexSync(text: string): string;
  contentDigest(text: string): string;
}>('content-digest');

/** GET /whoami's answer for a policy with this `export` block. */
const whoami = (exportRules: object): object => ({
  user: 'alice',
  name: 'Alice',
  roles: ['analyst'],
  exportRules,
});
const STRICT = whoami({ small_cell_threshold: 20, images: 'review' });
const LENIENT = whoami({ small_cell_threshold: 5, images: 'review' });

/** A table with a count of `count`, as pandas prints one. */
const withCount = (count: number): NotebookOutput => ({
  output_type: 'execute_result',
  execution_count: 1,
  metadata: {},
  data: {
    'text/html': `<table><tr><th>diagnosis</th><th>count</th></tr><tr><td>HIV</td><td>${count}</td></tr><tr><td>flu</td><td>1200</td></tr></table>`,
  },
});
/** A table with a count of 14. */
const TABLE = withCount(14);

describe('the display check uses the signed-in gateway’s review settings (review-policy.ts)', () => {
  test('the policy’s threshold as it is; the defaults signed out or on malformed rules', () => {
    assert.equal(displayPolicy(null).small_cell_threshold, 10);
    assert.equal(displayPolicy(STRICT).small_cell_threshold, 20);
    assert.equal(displayPolicy(LENIENT).small_cell_threshold, 5);
    assert.equal(
      displayPolicy(whoami({ small_cell_threshold: 2.5, images: 'review' })).small_cell_threshold,
      10,
    );
    assert.equal(displayPolicy(whoami({ small_cell_threshold: 5 })).small_cell_threshold, 10);
    assert.equal(displayPolicy({ user: 'alice' }).small_cell_threshold, 10, 'an older gateway');
    assert.equal(
      displayPolicy(whoami({ small_cell_threshold: 5, images: 'allow' })).images,
      'allow',
    );
  });

  test('a count the gateway’s export passes under a lower threshold is drawn, not held', async () => {
    const seven = withCount(7);
    const policy = settingsFromExportRules({ small_cell_threshold: 5, images: 'review' });
    assert.equal(checkOutput(seven, { mode: 'export', policy }).verdict, 'pass');

    const { client } = fakeGateway();
    const nb = await gatedNotebook(client, 'exp-review', [[seven]], LENIENT);
    assert.equal(nb.gate.check(seven, []).result.verdict, 'pass');
    const out = await nb.render(stdout('n = 7\n'));
    await until(() => out.state() !== 'checking');
    assert.equal(out.state(), null, 'drawn');
    assert.equal(out.inner.drawn.length, 1);
    assert.doesNotMatch(nb.saved(), /small-cell/);

    nb.signIn(null);
    assert.equal(nb.gate.check(seven, []).result.verdict, 'flag', 'signed out: the default 10');
  });

  test('checks, one-off checks and the save filter all hold a count below the policy’s threshold', async () => {
    // What the gateway's export check says of it under that policy.
    const policy = settingsFromExportRules({ small_cell_threshold: 20, images: 'review' });
    assert.equal(checkOutput(TABLE, { mode: 'export', policy }).verdict, 'flag');

    const { client } = fakeGateway();
    const nb = await gatedNotebook(client, 'exp-review', [[TABLE]], STRICT);
    assert.equal(nb.gate.check(TABLE, []).result.verdict, 'flag');
    assert.deepEqual(
      nb.gate.checkOnce(TABLE).findings.map((f) => f.rule),
      ['small-cell'],
    );
    assert.match(nb.saved(), /small-cell/);
    assert.doesNotMatch(nb.saved(), /1200/);

    nb.signIn(null);
    assert.equal(nb.gate.check(TABLE, []).result.verdict, 'pass', 'signed out: the default 10');
  });

  test('a drawn output is checked again, and held, once signed in under a stricter policy', async () => {
    const nb = await gatedNotebook(null, null, [[stdout('n = 14\n')]]);
    const out = await nb.render(stdout('n = 14\n'));
    assert.equal(out.state(), null, 'drawn under the default threshold');
    assert.equal(out.inner.drawn.length, 1);

    const { client } = fakeGateway();
    nb.signIn(client, STRICT); // no experiment: no raw-value check, yet other settings
    await until(() => out.state() === 'no-experiment'); // held on the small count
    assert.equal(nb.host.isShown(out.model), false);
  });

  test('a stream is checked with the policy’s threshold as it is drawn', async () => {
    const { client } = fakeGateway();
    const nb = await gatedNotebook(client, 'exp-review', [], STRICT);
    const out = await nb.render(stdout('n = 14\n'));
    await until(() => out.state() !== 'checking');
    assert.equal(out.state(), 'none', 'held; a review may be requested');
    assert.deepEqual(out.inner.drawn, []);
  });
});

describe('content-digest.ts: SHA-256 without Web Crypto', () => {
  test('matches node:crypto for every padding length, non-ASCII text and a large content', () => {
    const inputs = [
      ...Array.from({ length: 130 }, (_, n) => 'x'.repeat(n)),
      'Zoë Müller — 東京 🙂',
      'a\u0000b',
      JSON.stringify({ kind: 'stream', text: 'row\n'.repeat(250_000) }),
    ];
    for (const text of inputs) {
      const expected = createHash('sha256').update(text, 'utf8').digest('hex');
      assert.equal(sha256HexSync(text), expected, `length ${text.length}`);
    }
    assert.equal(contentDigest('abc'), sha256HexSync('abc').slice(0, 32));
  });
});
