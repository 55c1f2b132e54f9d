/** `privet serve` warns when bound beyond loopback (the gateway speaks plain HTTP). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exposedHostWarning } from '../../../gateway/src/http/listen-host.js';

test('loopback hosts get no warning; any other host is named with the fix', () => {
  for (const host of ['127.0.0.1', '::1', 'localhost'])
    assert.equal(exposedHostWarning(host), undefined);
  for (const host of ['0.0.0.0', '::', '10.0.0.5']) {
    const warning = exposedHostWarning(host) ?? '';
    assert.match(
      warning,
      new RegExp(`^warning: --host ${host.replace(/\./g, '\\.')} makes the gateway reachable`),
    );
    assert.match(warning, /Fix: keep --host 127\.0\.0\.1/);
  }
});
