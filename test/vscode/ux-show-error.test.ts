/**
 * A failed command's error notification says what failed, why and the fix, offers "Show Log",
 * and writes the same text to the "Privet" output channel (with the stack of an unexpected
 * error, not of a gateway error, which says its fix); "Show Log" opens the channel. With the
 * in-memory VS Code API and a recording log.
 */
import './fake-vscode/register.js';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type * as Fake from './fake-vscode/index.js';

const fake = (await import('vscode')) as unknown as typeof Fake;
const { showError, SHOW_LOG } = await import('../../vscode-ext/src/shared/show-error.js');
const { GatewayError } = await import('../../vscode-ext/src/client/gateway.js');

/** A log that records what it was given and whether it was shown. */
function recordingLog(): { lines: string[]; shown: number; error(m: string): void; show(): void } {
  const log = {
    lines: [] as string[],
    shown: 0,
    error: (m: string) => void log.lines.push(m),
    show: () => void log.shown++,
  };
  return log;
}

describe('error notifications', () => {
  beforeEach(() => {
    fake.shownMessageDetails.length = 0;
    fake.messageAnswer.pick = () => undefined;
  });

  it('say what failed and the fix, offer Show Log, and log the same text', async () => {
    const log = recordingLog();
    await showError(
      log,
      'export',
      new GatewayError('the gateway refused it', 'sign in again', 'x'),
    );
    const [shown] = fake.shownMessageDetails;
    assert.equal(shown?.severity, 'error');
    assert.equal(
      shown?.message,
      'Privet: export failed: the gateway refused it. Fix: sign in again',
    );
    assert.deepEqual(shown?.items, [SHOW_LOG]);
    assert.deepEqual(log.lines, [shown?.message]);
    assert.equal(log.shown, 0);
  });

  it('log the stack of an unexpected error, and Show Log opens the channel', async () => {
    fake.messageAnswer.pick = (s) => (s.items.includes(SHOW_LOG) ? SHOW_LOG : undefined);
    const log = recordingLog();
    await showError(log, 'sign-in', new TypeError('boom'));
    assert.match(log.lines[0]!, /^Privet: sign-in failed: boom\nTypeError: boom\n\s+at /);
    assert.equal(log.shown, 1);
  });
});
