import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LIFECYCLE_STATES,
  TRANSITIONS,
  allowsDataAccess,
  canTransition,
} from '@privet/core/record/index';

test('the lifecycle moves forward only, and terminal states have no exits', () => {
  const allowed = LIFECYCLE_STATES.flatMap((from) =>
    LIFECYCLE_STATES.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`),
  );
  assert.deepEqual(allowed.sort(), [
    'approved>dissolved',
    'approved>running',
    'evaluation>dissolved',
    'proposal>approved',
    'proposal>rejected',
    'running>dissolved',
    'running>evaluation',
  ]);
  assert.deepEqual(TRANSITIONS.dissolved, []);
  assert.deepEqual(TRANSITIONS.rejected, []);
});

test('only approved and running experiments allow data access', () => {
  assert.deepEqual(
    LIFECYCLE_STATES.filter((s) => allowsDataAccess(s)),
    ['approved', 'running'],
  );
});
