/**
 * A masked view tightened in the policy is not served in its looser published form: after the
 * gateway restarts on the new policy, its rows are refused (409, saying what changed and that a
 * steward must publish it again) until it is published, and then served as the policy says.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import type { ApiError, MaskedView, Policy, View, ViewManifest } from '@privet/core';
import { parsePolicy } from '@privet/core';
import { startGateway, type RunningGateway } from '../../../gateway/src/http/server.js';
import { staleDefinition } from '../../../gateway/src/http/views.js';
import { readManifest } from '../../../gateway/src/publish/index.js';
import { EXPERIMENT, startTestGateway, type TestGateway } from './fixture.js';

let t: TestGateway;
let tightened: RunningGateway | undefined;

before(async () => {
  t = await startTestGateway();
});
after(async () => {
  await tightened?.close();
  await t.stop();
});

/** GET the view's rows as `token` from `gateway`. */
function rows(gateway: RunningGateway, token: string): Promise<Response> {
  return fetch(`${gateway.url}/api/v1/views/people_masked/arrow?experiment=${EXPERIMENT}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
}

describe('a view tightened in the policy', () => {
  test('is refused until published again, then served as the policy says', async () => {
    const first = await rows(t.gateway, t.gateway.tokens.ana!);
    assert.equal(first.status, 200);
    const columns = tableFromIPC(new Uint8Array(await first.arrayBuffer())).schema.fields;
    assert.ok(columns.some((f) => f.name === 'city'));

    // The steward drops "city" from the view and restarts the gateway on the same state.
    const policyPath = join(t.dir, 'policy.yaml');
    const text = readFileSync(policyPath, 'utf8');
    const changed = text.replace(
      '      city: { op: keep }\n      income',
      '      city: { op: drop }\n      income',
    );
    assert.notEqual(changed, text);
    writeFileSync(policyPath, changed);
    await t.gateway.close();
    tightened = await startGateway({
      policyPath,
      stateDir: join(t.dir, 'state'),
      port: 0,
      issueTokensFor: ['ana', 'stu'],
    });
    const refused = await rows(tightened, tightened.tokens.ana!);
    assert.equal(refused.status, 409);
    const { error } = (await refused.json()) as ApiError;
    assert.match(
      error.message,
      /published under an earlier definition \(column "city" is published, and the policy now drops it\)/,
    );
    assert.match(error.fix, /steward publishes it again/);

    const published = await fetch(`${tightened.url}/api/v1/publish`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tightened.tokens.stu!}` },
    });
    assert.equal(published.status, 200, await published.text());
    const served = await rows(tightened, tightened.tokens.ana!);
    assert.equal(served.status, 200);
    const now = tableFromIPC(new Uint8Array(await served.arrayBuffer())).schema.fields;
    assert.ok(!now.some((f) => f.name === 'city'), 'the republished view has no city');
  });

  test('any change of operator, columns or k-anonymity counts; an unchanged view does not', () => {
    const policy: Policy = parsePolicy(
      readFileSync(new URL('../../fixtures/http/policy.yaml', import.meta.url), 'utf8'),
      'policy.yaml',
    );
    const view = policy.views['people_masked'] as View;
    const manifest = readManifest(join(t.dir, 'state'), 'people_masked') as ViewManifest;
    assert.ok(manifest);
    assert.ok(view.tier === 'masked');
    const current: MaskedView = structuredClone(view);
    current.columns['city'] = { op: 'drop' };
    assert.equal(staleDefinition(policy, current, manifest), undefined, 'the republished view');
    const variants: [string, (v: MaskedView) => void, RegExp][] = [
      [
        'operator',
        (v) => (v.columns['income'] = { op: 'numeric_range', width: 1000 }),
        /"income" is published as keep, and the policy now says numeric_range\(width=1000\)/,
      ],
      ['new column', (v) => (v.columns['city'] = { op: 'keep' }), /column "city" is new/],
      [
        'k-anonymity',
        (v) =>
          (v.k_anonymity = { k: 5, quasi_identifiers: ['income'], max_suppressed_fraction: 0.05 }),
        /k-anonymity was not set, and the policy now asks k=5 over income/,
      ],
    ];
    for (const [what, change, message] of variants) {
      const v = structuredClone(current);
      change(v);
      assert.match(staleDefinition(policy, v, manifest) ?? '', message, what);
    }
  });

  test('a k-anonymous view whose classes counted another privacy unit (or say none) is stale', () => {
    const policy: Policy = parsePolicy(
      readFileSync(new URL('../../fixtures/http/policy.yaml', import.meta.url), 'utf8'),
      'policy.yaml',
    );
    const view = structuredClone(policy.views['people_masked']) as MaskedView;
    view.columns['city'] = { op: 'drop' };
    view.k_anonymity = { k: 5, quasi_identifiers: ['income'], max_suppressed_fraction: 0.05 };
    const unit = policy.sources[view.source]!.privacy_unit;
    const manifest = structuredClone(readManifest(join(t.dir, 'state'), 'people_masked')!);
    const counted = (privacyUnit?: string): ViewManifest => ({
      ...manifest,
      kAnonymity: {
        k: 5,
        quasiIdentifiers: ['income'],
        smallestClass: 5,
        violations: 0,
        ...(privacyUnit === undefined ? {} : { privacyUnit }),
      },
    });
    assert.equal(staleDefinition(policy, view, counted(unit)), undefined, 'same unit');
    assert.match(
      staleDefinition(policy, view, counted('visit_id')) ?? '',
      new RegExp(
        `counted distinct "visit_id" values, and the policy's privacy unit is now "${unit}"`,
      ),
    );
    assert.match(
      staleDefinition(policy, view, counted()) ?? '',
      /manifest does not say which privacy unit its k-anonymity counted/,
    );
  });

  test('a view checked against other identifier columns than the policy declares now is stale', () => {
    const policy: Policy = parsePolicy(
      readFileSync(new URL('../../fixtures/http/policy.yaml', import.meta.url), 'utf8'),
      'policy.yaml',
    );
    const view = structuredClone(policy.views['people_masked']) as MaskedView;
    view.columns['city'] = { op: 'drop' };
    const manifest = readManifest(join(t.dir, 'state'), 'people_masked')!;
    assert.equal(staleDefinition(policy, view, manifest), undefined, 'as published');
    assert.ok(manifest.leakChecked && manifest.leakChecked.length > 0, 'the manifest says which');
    // The steward declares a kept column an identifier: its values were never looked for.
    const tightened = structuredClone(policy);
    tightened.sources[view.source]!.columns['income']!.identifier = true;
    assert.match(
      staleDefinition(tightened, view, manifest) ?? '',
      /checked against the identifier columns .*, and the policy now declares .*people\.income/,
    );
    // A manifest from before the list was kept cannot say: stale too.
    const { leakChecked: _, ...older } = manifest;
    assert.match(
      staleDefinition(policy, view, older) ?? '',
      /does not say which identifier columns its values were checked against/,
    );
  });
});
