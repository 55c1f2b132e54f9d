/**
 * drawnMetadata (core/src/review/drawn-metadata.ts): renderers get only the metadata that sizes or
 * frames a drawing — never a JSON tree's root label or vega-embed options, which the checks and
 * the approval hash do not read but the renderers draw.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { drawnMetadata } from '@privet/core/review/index';

describe('drawnMetadata', () => {
  it('keeps image sizes and frames, and drops what could add to the drawing', () => {
    const kept = drawnMetadata({
      isolated: true,
      'image/png': { width: 640, height: 480, unconfined: true },
      'application/json': { expanded: false, root: 'Jane Doe' },
      'application/vnd.vegalite.v5+json': {
        embed_options: { patch: { data: { values: [{ n: 3 }] }, title: 'Jane Doe' } },
      },
      'text/html': { isolated: true, note: 'Jane Doe' },
    });
    assert.deepEqual(kept, {
      isolated: true,
      'image/png': { width: 640, height: 480, unconfined: true },
      'application/json': { expanded: false },
      'text/html': { isolated: true },
    });
    assert.ok(!JSON.stringify(kept).includes('Jane'));
  });

  it('keeps nothing of malformed or oversized values', () => {
    assert.deepEqual(drawnMetadata(null), {});
    assert.deepEqual(drawnMetadata(['x']), {});
    assert.deepEqual(drawnMetadata({ 'image/png': { width: 'x'.repeat(41), height: NaN } }), {});
    assert.deepEqual(drawnMetadata({ isolated: { nested: true } }), {});
  });
});
