/**
 * VS Code conventions in vscode-ext/package.json that a user sees: view names in Title Case (the
 * palette lists "Privet: Focus on Budget & Record View"), the gateway URL offered only in user
 * settings (the extension ignores a workspace's value, so the Settings editor must not offer it
 * there), and the experiments view's "…" menu listing what a signed-in user does there.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

interface Manifest {
  contributes: {
    views: Record<string, { id: string; name: string }[]>;
    configuration: { properties: Record<string, { scope?: string }> };
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
  };
}

const manifest = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../../vscode-ext/package.json'), 'utf8'),
) as Manifest;

/** Words kept lower case inside a Title Case name. */
const MINOR = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'of', 'or', 'the', 'to']);

describe('VS Code manifest: what the user sees', () => {
  it('names every view in Title Case', () => {
    const views = Object.values(manifest.contributes.views).flat();
    assert.ok(views.length >= 2);
    for (const v of views)
      for (const word of v.name.split(' '))
        if (/^[a-z]/i.test(word) && !MINOR.has(word))
          assert.match(word, /^[A-Z]/, `"${v.name}" (${v.id})`);
  });

  it('offers privet.gatewayUrl in user settings only (application scope)', () => {
    const setting = manifest.contributes.configuration.properties['privet.gatewayUrl'];
    assert.equal(setting?.scope, 'application');
  });

  it("lists Select Experiment, Open Review Queue, Check Review Status and Sign Out in the tree's … menu", () => {
    const title = manifest.contributes.menus['view/title'] ?? [];
    for (const command of [
      'privet.selectExperiment',
      'privet.openReviewQueue',
      'privet.checkReviews',
      'privet.signOut',
    ]) {
      const entry = title.find((m) => m.command === command);
      assert.ok(entry, `${command} is in the view's title menu`);
      assert.match(entry.when ?? '', /view == privet\.experiments/);
      assert.match(entry.when ?? '', /privet\.(signedIn|inExperiment)/, 'only while signed in');
      assert.doesNotMatch(entry.group ?? '', /^navigation/, `${command}: in the … menu`);
    }
  });
});
