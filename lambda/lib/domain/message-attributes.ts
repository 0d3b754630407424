/**
 * The attributes the verifier puts on each queue message. Stream's own direct SQS/SNS deliveries
 * carry none, so the consumer treats every one as optional.
 */
export const ATTRIBUTE = {
  webhookId: 'webhook_id',
  attempt: 'webhook_attempt',
  eventType: 'event_type',
  receivedAt: 'received_at',
  source: 'source',
} as const;

export type DeliverySource = 'webhook' | 'sqs' | 'sns';

/** `X-Webhook-Attempt` (header or message attribute) as a positive integer, or null. */
export function parseAttempt(raw: string | null | undefined): number | null {
  const attempt = Number(raw);
  return Number.isSafeInteger(attempt) && attempt > 0 ? attempt : null;
}
