/**
 * Child process of commit-kill.test.ts: `STATE SOURCE_DIR POLICY_FILE` publishes the policy in
 * POLICY_FILE (the synthetic fixture plus a masked view) and kills itself with SIGKILL as soon as
 * the synthetic view's charge is reported: after the masked views' `published` entries and the
 * charge committed, before any view is renamed into place. No cleanup runs.
 */
import { readFileSync } from 'node:fs';
import { publishViews } from '../../../gateway/src/publish/index.js';
import { fixturePolicy } from '../synth/fixture.js';

const [stateDir = '', sourceDir = '', policyFile = ''] = process.argv.slice(2);
const text = readFileSync(policyFile, 'utf8');
await publishViews({
  policy: fixturePolicy(text),
  policyText: text,
  policyDir: sourceDir,
  stateDir,
  actor: 'sue',
  onProgress: (e) => {
    if (e.step === 'charged') process.kill(process.pid, 'SIGKILL');
  },
});
