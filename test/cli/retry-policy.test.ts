import { describe, expect, it } from 'vitest';
import {
  attemptTimeoutMs,
  decideRetry,
  STREAM_RETRY_POLICY,
  type AttemptOutcome,
} from '../../cli/retry-policy.js';

const EARLY = 1_000; // ms since the first attempt started: well inside the 15 s budget

describe('decideRetry', () => {
  it.each([200, 201, 204])('stops after a %i: the delivery succeeded', (status) => {
    expect(decideRetry(status, 1, EARLY)).toEqual({ retry: false, reason: 'succeeded' });
  });

  it.each([408, 429, 500, 502, 503, 504])('retries a %i until 3 attempts in all', (status) => {
    const afterFirst = decideRetry(status, 1, EARLY);
    const afterSecond = decideRetry(status, 2, EARLY);
    const afterThird = decideRetry(status, 3, EARLY);

    expect(afterFirst).toMatchObject({ retry: true });
    expect(afterSecond).toMatchObject({ retry: true });
    expect(afterThird).toEqual({ retry: false, reason: 'attempts_exhausted' });
  });

  it.each([400, 401, 403, 404, 413, 301])('never retries a %i', (status) => {
    expect(decideRetry(status, 1, EARLY)).toEqual({ retry: false, reason: 'not_retryable' });
  });

  it('retries a network error once: 2 attempts in all', () => {
    expect(decideRetry('network', 1, EARLY)).toMatchObject({ retry: true });
    expect(decideRetry('network', 2, EARLY)).toEqual({
      retry: false,
      reason: 'attempts_exhausted',
    });
  });

  it('retries a timeout until 3 attempts in all', () => {
    expect(decideRetry('timeout', 1, 6_000)).toMatchObject({ retry: true });
    expect(decideRetry('timeout', 2, 12_000 - 1_000)).toMatchObject({ retry: true });
    expect(decideRetry('timeout', 3, EARLY)).toEqual({
      retry: false,
      reason: 'attempts_exhausted',
    });
  });

  it.each<AttemptOutcome>([503, 'network', 'timeout'])(
    'stops a retryable %s once the 15 s budget would be spent before the next attempt',
    (outcome) => {
      const pause = STREAM_RETRY_POLICY.backoffMs(1);

      const justInside = decideRetry(outcome, 1, STREAM_RETRY_POLICY.budgetMs - pause - 1);
      const atTheEdge = decideRetry(outcome, 1, STREAM_RETRY_POLICY.budgetMs - pause);

      expect(justInside).toEqual({ retry: true, delayMs: pause });
      expect(atTheEdge).toEqual({ retry: false, reason: 'budget_exhausted' });
    },
  );

  it('waits longer before each further attempt', () => {
    const first = decideRetry(500, 1, EARLY);
    const second = decideRetry(500, 2, EARLY);

    expect(first.retry && second.retry && second.delayMs > first.delayMs).toBe(true);
  });
});

describe('attemptTimeoutMs', () => {
  it('gives an attempt 6 s while the budget allows', () => {
    expect(attemptTimeoutMs(0)).toBe(6_000);
    expect(attemptTimeoutMs(9_000)).toBe(6_000);
  });

  it('cuts the last attempt to what is left of the 15 s budget', () => {
    expect(attemptTimeoutMs(12_500)).toBe(2_500);
    expect(attemptTimeoutMs(16_000)).toBe(0);
  });
});
