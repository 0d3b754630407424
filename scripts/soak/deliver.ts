import { setTimeout as sleep } from 'node:timers/promises';
import { signedRequest } from '../../lambda/lib/domain/stream-request-signer.js';
import {
  attemptTimeoutMs,
  decideRetry,
  STREAM_RETRY_POLICY,
  type AttemptOutcome,
  type RetryPolicy,
} from '../../cli/retry-policy.js';

export interface StreamDelivery {
  readonly url: string;
  /** The event JSON, as Stream signs it. */
  readonly json: Buffer;
  readonly webhookId: string;
  readonly gzip: boolean;
  readonly apiKey: string;
  readonly secret: string;
}

export interface DeliveryResult {
  /** True once an attempt was answered 2xx: Stream would stop and consider it delivered. */
  readonly ok: boolean;
  /** Each attempt's status, or `network` / `timeout`. */
  readonly outcomes: readonly AttemptOutcome[];
}

/**
 * One webhook delivery as Stream makes it (lambda/lib/domain/stream-request-signer.ts signs;
 * cli/retry-policy.ts decides): the same `X-Webhook-Id` on every attempt, a 408/429/5xx or a
 * network error tried again. Quiet and without reading sample events, so a load generator can
 * call it thousands of times.
 */
export async function deliverLikeStream(
  delivery: StreamDelivery,
  policy: RetryPolicy = STREAM_RETRY_POLICY,
): Promise<DeliveryResult> {
  const { body, headers } = signedRequest(delivery.json, delivery);
  const outcomes: AttemptOutcome[] = [];
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    const timeoutMs = Math.max(1, attemptTimeoutMs(Date.now() - started, policy));
    const signal = AbortSignal.timeout(timeoutMs);
    let outcome: AttemptOutcome;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { ...headers, 'X-Webhook-Attempt': String(attempt) },
        body,
        signal,
      });
      await response.arrayBuffer();
      outcome = response.status;
    } catch {
      outcome = signal.aborted ? 'timeout' : 'network';
    }
    outcomes.push(outcome);
    const decision = decideRetry(outcome, attempt, Date.now() - started, policy);
    if (!decision.retry) return { ok: decision.reason === 'succeeded', outcomes };
    await sleep(decision.delayMs);
  }
}
