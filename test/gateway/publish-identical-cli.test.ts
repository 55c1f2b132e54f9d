/**
 * `privet publish` of a synthetic view rebuilt byte-identical to a release already charged (here: a
 * retry after a swap that failed once its charge had committed) says so: the view was rebuilt
 * byte-identical to the release already charged, which charge paid, and that this publish's
 * reservation was refunded; it does not print the "published" line of a charged release.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PublishError,
  publishViews,
  readManifest,
  viewsDir,
} from '../../gateway/src/publish/index.js';
import { freshStateDir, publicationCharges } from './publish/helpers.js';
import { privet } from './run-cli.js';
import { fixturePolicy, policyText, writeSource } from './synth/fixture.js';

const VIEW = 'people_synth';

describe('privet publish: a synthetic view re-published byte-identical to a charged release', () => {
  const sourceDir = writeSource();
  const stateDir = freshStateDir();
  after(() => {
    rmSync(sourceDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });
  const text = policyText({ publication: '3.5', seed: 'identical-cli-seed' });
  const policyPath = join(sourceDir, 'policy.yaml');
  writeFileSync(policyPath, text);

  test('says it was rebuilt byte-identical, names the charge that paid and the refund', async () => {
    // A swap that fails once the charge committed: the charge is kept, the view never went live.
    mkdirSync(viewsDir(stateDir));
    symlinkSync(join(sourceDir, 'gone'), join(viewsDir(stateDir), VIEW));
    await assert.rejects(
      publishViews({
        policy: fixturePolicy(text),
        policyText: text,
        policyDir: sourceDir,
        stateDir,
      }),
      (err) => err instanceof PublishError && err.view === VIEW,
    );
    const [paid] = publicationCharges(stateDir);
    assert.equal(paid?.status, 'committed');
    rmSync(join(viewsDir(stateDir), VIEW), { force: true });

    const r = privet('publish', '--policy', policyPath, '--state', stateDir);
    assert.equal(r.code, 0, r.stderr);
    const [, refunded] = publicationCharges(stateDir);
    assert.equal(refunded?.status, 'refunded', 'the retry was refunded, not charged');
    const budget = readManifest(stateDir, VIEW)?.privacy?.['budget'] as
      { reservation?: string; refunded?: string } | undefined;
    assert.equal(budget?.reservation, paid?.id);
    assert.equal(budget?.refunded, refunded?.id);

    const line = r.stdout.split('\n').find((l) => l.includes(VIEW)) ?? '';
    assert.doesNotMatch(line, /^published /, `not the line of a charged release: ${line}`);
    assert.match(line, new RegExp(`^rebuilt ${VIEW}: \\d+ rows, byte-identical to the release`));
    assert.match(line, /already charged/);
    assert.ok(line.includes(`charge ${paid!.id} paid for it`), `names the charge: ${line}`);
    assert.ok(line.includes(`reservation ${refunded!.id} was refunded`), `the refund: ${line}`);
    assert.match(line, /no budget spent/);
  });
});
