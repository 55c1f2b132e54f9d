/**
 * The gateway calls' time limits (core/src/client/time-limits.ts): a DP dry run, which only
 * prices a query, has its own limit, shorter than a run's on the same /dp/query path.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CALL_TIME_LIMIT_MS,
  DRY_RUN_TIME_LIMIT_MS,
  callTimeLimitMs,
  dpQueryTimeLimitMs,
} from '@privet/core/client/time-limits';

describe('time limits', () => {
  test('a dry run waits 60 s, a run on /dp/query 180 s', () => {
    assert.equal(DRY_RUN_TIME_LIMIT_MS, 60_000);
    assert.equal(dpQueryTimeLimitMs(true), DRY_RUN_TIME_LIMIT_MS);
    assert.equal(dpQueryTimeLimitMs(false), 180_000);
    assert.equal(dpQueryTimeLimitMs(false), callTimeLimitMs('http://gw/api/v1/dp/query'));
  });

  test('other calls keep their limits', () => {
    assert.equal(callTimeLimitMs('http://gw/api/v1/views'), CALL_TIME_LIMIT_MS);
    assert.equal(callTimeLimitMs('http://gw/api/v1/views/people_masked/parquet?x=1'), 300_000);
  });
});
