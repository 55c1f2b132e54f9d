/**
 * The manifest of `privet synth` travels with the synthetic rows, so it holds only what the privacy
 * accounting covers: no run time (it depends on the data, and no budget pays for it).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestPathFor, runSynthCommand } from '../../../gateway/src/synth/cli.js';

/** Every key of `value`, at any depth, with its path. */
function keyPaths(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyPaths(v, `${at}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [`${at}.${k}`, ...keyPaths(v, `${at}.${k}`)]);
  return [];
}

const TIMING =
  /(^|\.)(seconds?|secs?|ms|millis(econds)?|elapsed\w*|duration\w*|runtime|time|took)$/i;

describe('privet synth manifest', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'privet-synth-timing-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('has no seconds or any other timing field, on disk or returned', async () => {
    const input = join(dir, 'in.csv');
    const domain = join(dir, 'domain.json');
    const rows = Array.from({ length: 300 }, (_, i) => `${i % 3},${(i * 7) % 2}`);
    await writeFile(input, ['a,b', ...rows].join('\n') + '\n');
    await writeFile(domain, JSON.stringify({ a: 3, b: 2 }));
    const out = join(dir, 'out.csv');
    const returned = await runSynthCommand({
      input,
      domain,
      epsilon: 1,
      delta: 1e-9,
      rows: 100,
      out,
    });
    const onDisk = JSON.parse(await readFile(manifestPathFor(out), 'utf8')) as unknown;
    for (const manifest of [returned, onDisk]) {
      assert.ok(!Object.hasOwn(manifest as object, 'seconds'), 'no "seconds" field');
      const timing = keyPaths(manifest).filter((p) => TIMING.test(p));
      assert.deepEqual(timing, [], `timing fields: ${timing.join(', ')}`);
    }
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(returned)));
  });
});
