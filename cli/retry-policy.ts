/**
 * How Stream retries a webhook delivery, as its docs state it: 6 s per request, 3 attempts in all
 * on 408, 429 and 5xx, 2 on network errors, 3 on timeouts, and never past 15 s in all. Pure, so
 * the table is unit-tested without a server.
 */

/** What one attempt came back with: an HTTP status, or why none came. */
export type AttemptOutcome = number | 'network' | 'timeout';

export interface RetryPolicy {
  /** Attempts in all (the first one included) per kind of failure. */
  readonly maxAttempts: {
    readonly status: number;
    readonly network: number;
    readonly timeout: number;
  };
  /** How long one request may take before it counts as a timeout. */
  readonly attemptTimeoutMs: number;
  /** No attempt starts, and none runs, past this much time after the first one started. */
  readonly budgetMs: number;
  /**
   * Pause before attempt `attempt + 1`. Stream does not publish its backoff; a short exponential
   * one keeps a local retry readable without stretching the 15 s budget.
   */
  readonly backoffMs: (attempt: number) => number;
}

export const STREAM_RETRY_POLICY: RetryPolicy = {
  maxAttempts: { status: 3, network: 2, timeout: 3 },
  attemptTimeoutMs: 6_000,
  budgetMs: 15_000,
  backoffMs: (attempt) => 250 * 2 ** (attempt - 1),
};

export type StopReason = 'succeeded' | 'not_retryable' | 'attempts_exhausted' | 'budget_exhausted';

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly reason: StopReason };

export function isSuccess(outcome: AttemptOutcome): boolean {
  return typeof outcome === 'number' && outcome >= 200 && outcome < 300;
}

/** 408 Request Timeout, 429 Too Many Requests and every 5xx: the statuses Stream tries again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status < 600);
}

function attemptsAllowed(outcome: AttemptOutcome, policy: RetryPolicy): number {
  if (outcome === 'network') return policy.maxAttempts.network;
  if (outcome === 'timeout') return policy.maxAttempts.timeout;
  return isRetryableStatus(outcome) ? policy.maxAttempts.status : 1;
}

/**
 * Whether to try again after attempt number `attempt` (1-based) ended with `outcome`,
 * `elapsedMs` after the first attempt started.
 */
export function decideRetry(
  outcome: AttemptOutcome,
  attempt: number,
  elapsedMs: number,
  policy: RetryPolicy = STREAM_RETRY_POLICY,
): RetryDecision {
  if (isSuccess(outcome)) return { retry: false, reason: 'succeeded' };
  const allowed = attemptsAllowed(outcome, policy);
  if (allowed <= 1) return { retry: false, reason: 'not_retryable' };
  if (attempt >= allowed) return { retry: false, reason: 'attempts_exhausted' };
  const delayMs = policy.backoffMs(attempt);
  if (elapsedMs + delayMs >= policy.budgetMs) return { retry: false, reason: 'budget_exhausted' };
  return { retry: true, delayMs };
}

/** The time the next attempt may take: the per-attempt timeout, cut to what is left of the budget. */
export function attemptTimeoutMs(
  elapsedMs: number,
  policy: RetryPolicy = STREAM_RETRY_POLICY,
): number {
  return Math.max(0, Math.min(policy.attemptTimeoutMs, policy.budgetMs - elapsedMs));
}
