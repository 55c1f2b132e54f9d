/**
 * The kernel's echoes of state the frontend sent (ipywidgets 8 `echo_update`) are told from state
 * the kernel made up by content: only values the frontend recently sent for that model count.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FrontendEchoes, type KernelMessageLike } from '@privet/core/review/index';

const msg = (
  method: string,
  id: string,
  state: Record<string, unknown>,
  buffers = 0,
): KernelMessageLike => ({
  channel: method === 'update' ? 'shell' : 'iopub',
  header: { msg_type: 'comm_msg' },
  content: { comm_id: id, data: { method, state, buffer_paths: [] } },
  buffers: Array.from({ length: buffers }, () => new ArrayBuffer(8)),
});

describe('FrontendEchoes', () => {
  test("an echo of the frontend's own values is one; a value it did not send is not", () => {
    const echoes = new FrontendEchoes();
    echoes.noteSent(msg('update', 's1', { value: 5 }));
    assert.equal(echoes.isEcho(msg('echo_update', 's1', { value: 5 })), true);
    assert.equal(echoes.isEcho(msg('echo_update', 's1', { value: 6 })), false, 'another value');
    assert.equal(
      echoes.isEcho(msg('echo_update', 's1', { value: 5, description: 'Ada Lindqvist' })),
      false,
      'a key the frontend never sent',
    );
    assert.equal(echoes.isEcho(msg('echo_update', 's2', { value: 5 })), false, 'another model');
    assert.equal(echoes.isEcho(msg('update', 's1', { value: 5 })), false, 'not an echo message');
  });

  test('echoes trailing a drag still count; values beyond the recent ones do not', () => {
    const echoes = new FrontendEchoes();
    for (let v = 0; v < 100; v++) echoes.noteSent(msg('update', 's1', { value: v }));
    assert.equal(echoes.isEcho(msg('echo_update', 's1', { value: 99 })), true);
    assert.equal(echoes.isEcho(msg('echo_update', 's1', { value: 40 })), true, 'recent');
    assert.equal(echoes.isEcho(msg('echo_update', 's1', { value: 3 })), false, 'long gone');
  });

  test('values compare as JSON; empty, binary and forgotten echoes are not echoes', () => {
    const echoes = new FrontendEchoes();
    echoes.noteSent(msg('update', 'r1', { value: [1, 2], index: null }));
    assert.equal(echoes.isEcho(msg('echo_update', 'r1', { value: [1, 2], index: null })), true);
    assert.equal(echoes.isEcho(msg('echo_update', 'r1', { value: [2, 1] })), false);
    assert.equal(echoes.isEcho(msg('echo_update', 'r1', {})), false, 'empty');
    assert.equal(echoes.isEcho(msg('echo_update', 'r1', { value: [1, 2] }, 1)), false, 'binary');
    echoes.noteSent(msg('update', 'b1', { data: 1 }, 1));
    assert.equal(echoes.isEcho(msg('echo_update', 'b1', { data: 1 })), false, 'sent with buffers');
    echoes.clear();
    assert.equal(echoes.isEcho(msg('echo_update', 'r1', { value: [1, 2] })), false, 'cleared');
  });
});
