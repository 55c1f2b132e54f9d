/**
 * Child process of crash-recovery.test.ts: `STATE POLICY_DIR` publishes adult_masked and
 * adult_codes of the adult policy (text changed, so both get new manifests) and kills itself with
 * SIGKILL right after adult_masked — the first view of the batch — is renamed into place.
 */
import fs from 'node:fs';
import { basename, dirname } from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import { publishViews } from '../../../gateway/src/publish/index.js';
import { adultPolicy } from './helpers.js';

const [stateDir = '', policyDir = ''] = process.argv.slice(2);
const { text, policy } = adultPolicy();
const rename = fs.renameSync;
fs.renameSync = (from: fs.PathLike, to: fs.PathLike): void => {
  rename(from, to);
  const target = String(to);
  if (basename(target) === 'adult_masked' && basename(dirname(target)) === 'views')
    process.kill(process.pid, 'SIGKILL');
};
syncBuiltinESMExports();
await publishViews({
  policy,
  policyText: text + '\n# v2\n',
  policyDir,
  stateDir,
  viewNames: ['adult_masked', 'adult_codes'],
});
