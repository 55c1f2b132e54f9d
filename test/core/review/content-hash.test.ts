import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outputContentHash, outputContentText } from '@privet/core/review/index';

test('content hash ignores execution count, metadata and line splitting', async () => {
  const a = await outputContentHash({
    output_type: 'execute_result',
    data: { 'text/plain': ['a\n', 'b'] },
    metadata: { x: 1 },
    execution_count: 3,
  });
  const b = await outputContentHash({
    output_type: 'display_data',
    data: { 'text/plain': 'a\nb' },
  });
  assert.equal(a, b);
  assert.match(a, /^[0-9a-f]{64}$/);
});

test('content hash changes when the visible content changes', async () => {
  const base = await outputContentHash({ output_type: 'stream', name: 'stdout', text: 'n=12' });
  const changed = await outputContentHash({ output_type: 'stream', name: 'stdout', text: 'n=13' });
  const otherStream = await outputContentHash({
    output_type: 'stream',
    name: 'stderr',
    text: 'n=12',
  });
  assert.notEqual(base, changed);
  assert.notEqual(base, otherStream);
});

test('content text is canonical JSON with sorted keys', () => {
  const text = outputContentText({
    output_type: 'display_data',
    data: { 'text/plain': 'x', 'application/json': { b: 1, a: [1, 2] } },
  });
  assert.equal(
    text,
    '{"data":{"application/json":{"a":[1,2],"b":1},"text/plain":"x"},"kind":"display"}',
  );
});
