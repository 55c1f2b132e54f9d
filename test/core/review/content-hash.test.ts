import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  approvalText,
  outputContentHash,
  outputContentText,
  type NotebookOutput,
} from '@privet/core/review/index';

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

test('canonical text of ordinary outputs is pinned (own-key objects change no hash)', () => {
  // Texts computed with the plain-object version before the "__proto__" fix: unchanged.
  assert.equal(
    outputContentText({ output_type: 'stream', name: 'stdout', text: ['a\n', 'b'] }),
    '{"kind":"stream","name":"stdout","text":"a\\nb"}',
  );
  assert.equal(
    outputContentText({ output_type: 'error', ename: 'E', evalue: 'v', traceback: ['t1', 't2'] }),
    '{"ename":"E","evalue":"v","kind":"error","traceback":["t1","t2"]}',
  );
  assert.equal(
    outputContentText({
      output_type: 'execute_result',
      execution_count: 3,
      data: {
        'application/vnd.plotly.v1+json': {
          data: [{ x: [1, 2], y: [3, 4], type: 'bar' }],
          layout: { title: { text: 't' } },
        },
        'image/png': 'iVBOR',
      },
      metadata: {},
    }),
    '{"data":{"application/vnd.plotly.v1+json":{"data":[{"type":"bar","x":[1,2],"y":[3,4]}],"layout":{"title":{"text":"t"}}},"image/png":"iVBOR"},"kind":"display"}',
  );
});

test('a "__proto__" key (kept by JSON.parse) is part of the content and of its hash', async () => {
  const approved = JSON.parse(
    '{"output_type":"display_data","metadata":{},"data":{"text/plain":"n = 120"}}',
  ) as NotebookOutput;
  const smuggled = JSON.parse(
    '{"output_type":"display_data","metadata":{},"data":{"__proto__":"SSN 078-05-1120","text/plain":"n = 120"}}',
  ) as NotebookOutput;
  assert.ok(outputContentText(smuggled).includes('078-05-1120'));
  assert.notEqual(await outputContentHash(smuggled), await outputContentHash(approved));
  assert.notEqual(approvalText(smuggled, ''), approvalText(approved, ''));
  // Nested too: an object value under "__proto__" is content, not a prototype.
  const nested = (inner: string): NotebookOutput =>
    JSON.parse(
      `{"output_type":"display_data","data":{"application/json":{${inner}"b":2}}}`,
    ) as NotebookOutput;
  assert.notEqual(outputContentText(nested('"__proto__":{"a":1},')), outputContentText(nested('')));
  assert.ok(outputContentText(nested('"__proto__":"x",')).includes('"__proto__":"x"'));
});

test('stream text that is not text is hashed by its JSON form, not as "[object Object]"', () => {
  const stream = (item: unknown): NotebookOutput =>
    ({ output_type: 'stream', name: 'stdout', text: ['a', item] }) as unknown as NotebookOutput;
  assert.notEqual(outputContentText(stream({ x: 1 })), outputContentText(stream({ y: 2 })));
  assert.notEqual(approvalText(stream({ x: 1 }), 'c'), approvalText(stream({ y: 2 }), 'c'));
});
