/**
 * Plotly traces read the way plotly.js draws them: a bar's orientation inferred when none is set
 * (only `x` draws horizontal bars over positions 0..n-1), a funnel horizontal by default, a
 * histogram over `y` counting its categories, a pie counting labels given without values and
 * summing a repeated label, and a bar drawn twice at one category. Each small count is held under
 * small-cell; the same figure without one passes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { f8, figure, heldOnlyWhenSmall, holding } from './plotly-output.js';

const STAGES = ['Visit', 'Cart', 'Buy'];
const REGIONS = ['North', 'South', 'East'];

describe('bar orientation inferred as plotly.js does', () => {
  test('a bar with only x is horizontal: x holds the values', () => {
    heldOnlyWhenSmall((x) => figure([{ type: 'bar', x }]), [1200, 350, 4], [1200, 350, 400]);
  });

  test('a bar with only x as a typed array', () => {
    heldOnlyWhenSmall(
      (x) => figure([{ type: 'bar', x }]),
      f8([1200, 350, 4]),
      f8([1200, 350, 400]),
    );
  });

  test('a bar with only y is vertical over positions 0..n-1', () => {
    heldOnlyWhenSmall((y) => figure([{ type: 'bar', y }]), [1200, 350, 4], [1200, 350, 400]);
  });
});

describe('funnels are horizontal by default', () => {
  test('a default funnel: stage names in y, numbers in x', () => {
    heldOnlyWhenSmall(
      (x) => figure([{ type: 'funnel', y: STAGES, x }]),
      [1200, 350, 4],
      [1200, 350, 100],
    );
  });

  test('a funnel with only x, and one whose x is a typed array', () => {
    heldOnlyWhenSmall((x) => figure([{ type: 'funnel', x }]), [1200, 350, 4], [1200, 350, 100]);
    heldOnlyWhenSmall(
      (x) => figure([{ type: 'funnel', y: STAGES, x }]),
      f8([1200, 350, 4]),
      f8([1200, 350, 100]),
    );
  });
});

describe('histograms over y', () => {
  const sample = (extra: string[]): string[] => [
    ...Array<string>(30).fill('North'),
    ...Array<string>(20).fill('South'),
    ...extra,
  ];

  test('a categorical histogram of y (px.histogram(y=...)) counts each category', () => {
    heldOnlyWhenSmall(
      (y) => figure([{ type: 'histogram', y, orientation: 'h' }]),
      sample(['East']),
      sample([]),
    );
    heldOnlyWhenSmall((y) => figure([{ type: 'histogram', y }]), sample(['East']), sample([]));
  });
});

describe('pies as plotly.js slices them', () => {
  test('labels without values: one slice per distinct label, sized by its count', () => {
    heldOnlyWhenSmall(
      (labels) => figure([{ type: 'pie', labels }]),
      [...Array<string>(30).fill('North'), 'East', ...Array<string>(20).fill('South')],
      [...Array<string>(30).fill('North'), ...Array<string>(20).fill('South')],
    );
  });

  test('a repeated label sums its values: the sum is the slice drawn', () => {
    const labels = ['North', 'East', 'North', 'East'];
    heldOnlyWhenSmall(
      (values) => figure([{ type: 'pie', labels, values }]),
      [1000, 2, 200, 1],
      [1000, 300, 200, 400],
    );
    // Parts drawn only as their sum: 2 + 1000 is one slice of 1002.
    assert.deepEqual(holding(figure([{ type: 'pie', labels, values: [1000, 2, 200, 1000] }])), []);
  });

  test('a repeated label over typed array values', () => {
    heldOnlyWhenSmall(
      (values) => figure([{ type: 'pie', labels: ['North', 'East', 'North', 'East'], values }]),
      f8([1000, 2, 200, 1]),
      f8([1000, 300, 200, 400]),
    );
  });
});

describe('bars drawn twice at one category', () => {
  test('each bar of a repeated category is read as a count', () => {
    const x = ['North', 'North', 'East', 'South'];
    heldOnlyWhenSmall(
      (y) => figure([{ type: 'bar', x, y }]),
      [1200, 3, 400, 500],
      [1200, 300, 400, 500],
    );
  });

  test('stacked, horizontal, and over a typed array', () => {
    const y = ['North', 'North', 'East', 'South'];
    heldOnlyWhenSmall(
      (x) => figure([{ type: 'bar', orientation: 'h', y, x }], { barmode: 'stack' }),
      f8([1200, 3, 400, 500]),
      f8([1200, 300, 400, 500]),
    );
    heldOnlyWhenSmall(
      (x) => figure([{ type: 'bar', y: [...REGIONS, 'East'], x }]),
      [1200, 350, 400, 2],
      [1200, 350, 400, 200],
    );
  });
});
