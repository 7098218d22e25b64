import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableError, isRetryableRowError, withRetry, type BackoffPolicy } from './retryPolicy.js';

const apiError = (code: number, reason?: string) => Object.assign(new Error(`http ${code}`), { code, errors: reason ? [{ reason }] : [] });

describe('isRetryableError', () => {
  it.each([
    [apiError(500), true], [apiError(503), true], [apiError(429), true], [apiError(408), true],
    [apiError(403, 'rateLimitExceeded'), true], [apiError(400, 'backendError'), true],
    [Object.assign(new Error('reset'), { code: 'ECONNRESET' }), true],
    [new Error('wrapped', { cause: apiError(502) }), true],
    [apiError(400, 'invalid'), false], [apiError(404, 'notFound'), false], [apiError(403, 'accessDenied'), false],
    [new Error('plain'), false], ['text', false], [null, false],
  ])('%s → %s', (err, expected) => {
    expect(isRetryableError(err)).toBe(expected);
  });
});

describe('isRetryableRowError', () => {
  it('retries rows only stopped or transient, never rows invalid in themselves', () => {
    expect(isRetryableRowError(['stopped'])).toBe(true);
    expect(isRetryableRowError(['backendError', 'timeout'])).toBe(true);
    expect(isRetryableRowError(['invalid'])).toBe(false);
    expect(isRetryableRowError(['stopped', 'invalid'])).toBe(false);
    expect(isRetryableRowError([])).toBe(false);
    expect(isRetryableRowError([undefined])).toBe(false);
  });
});

describe('backoff', () => {
  const policy: BackoffPolicy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 };

  it('doubles up to the cap, jittered within [delay/2, delay]', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(policy, n, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('withRetry retries retryable errors with growing waits and gives up after maxAttempts', async () => {
    const waits: number[] = [];
    let calls = 0;
    const failing = withRetry(async () => {
      calls++;
      throw apiError(503);
    }, policy, { sleep: async (ms) => void waits.push(ms), random: () => 1 });
    await expect(failing).rejects.toThrow('http 503');
    expect(calls).toBe(5);
    expect(waits).toEqual([100, 200, 400, 800]);
  });

  it('withRetry returns the first success and does not retry a permanent error', async () => {
    let calls = 0;
    const result = await withRetry(async (n) => {
      calls++;
      if (n < 3) throw apiError(500, 'backendError');
      return 'ok';
    }, policy, { sleep: async () => undefined });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetry(async () => {
      calls++;
      throw apiError(400, 'invalid');
    }, policy, { sleep: async () => undefined })).rejects.toThrow('http 400');
    expect(calls).toBe(1);
  });
});
