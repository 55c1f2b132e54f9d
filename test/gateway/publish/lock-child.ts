/**
 * Child process of lock.test.ts. `race BASE GO ROUNDS MS`: once the file GO exists (it holds the
 * start time), runs ROUNDS rounds, one per state folder `BASE/r<i>`, all children together: for MS
 * milliseconds it takes and releases that folder's publish lock again and again; while holding it,
 * it creates `holder` there exclusively (failing means another process holds the lock too). Prints
 * `ready` when loaded, then `{"held":[per round],"overlaps":M}`. `hold STATE`: takes the lock, prints `held`, waits to be killed.
 */
import { randomInt } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { acquirePublishLock, PublishBusyError } from '../../../gateway/src/publish/lock.js';

const [mode, base = '', go = '', rounds = '0', ms = '0'] = process.argv.slice(2);
const sleep = (n: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, n);
/** A random pause length below `max` ms (jitter between the children). */
const jitter = (max: number) => (randomInt(1000) / 1000) * max;

if (mode === 'hold') {
  acquirePublishLock(base);
  process.stdout.write('held\n');
  setInterval(() => {}, 1000);
} else {
  process.stdout.write('ready\n'); // the parent writes GO once every child is ready
  while (!existsSync(go)) sleep(1);
  const start = Number(readFileSync(go, 'utf8'));
  const held: number[] = [];
  let overlaps = 0;
  for (let r = 0; r < Number(rounds); r++) {
    const state = join(base, `r${r}`);
    const from = start + r * (Number(ms) + 150);
    while (Date.now() < from) sleep(1);
    held.push(0);
    while (Date.now() < from + Number(ms)) {
      let release: () => void;
      try {
        release = acquirePublishLock(state);
      } catch (err) {
        if (!(err instanceof PublishBusyError)) throw err;
        sleep(jitter(3));
        continue;
      }
      held[r] = (held[r] ?? 0) + 1;
      const marker = join(state, 'holder');
      let mine = false;
      try {
        closeSync(openSync(marker, 'wx'));
        mine = true;
      } catch {
        overlaps++;
      }
      sleep(2 + jitter(4));
      if (mine) unlinkSync(marker);
      release();
      sleep(jitter(2));
    }
  }
  process.stdout.write(JSON.stringify({ held, overlaps }) + '\n');
}
