import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { DeliveryMeta } from './delivery.js';

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

export function messageAttributesFor(
  meta: DeliveryMeta,
  source: DeliverySource,
): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {
    [ATTRIBUTE.eventType]: { DataType: 'String', StringValue: meta.eventType },
    [ATTRIBUTE.receivedAt]: { DataType: 'String', StringValue: meta.receivedAt.toISOString() },
    [ATTRIBUTE.source]: { DataType: 'String', StringValue: source },
  };
  // SQS refuses empty attribute values, so absent headers are left out rather than sent blank.
  if (meta.webhookId !== null) {
    attributes[ATTRIBUTE.webhookId] = { DataType: 'String', StringValue: meta.webhookId };
  }
  if (meta.attempt !== null) {
    attributes[ATTRIBUTE.attempt] = { DataType: 'Number', StringValue: String(meta.attempt) };
  }
  return attributes;
}

/** SQS counts each attribute's name, type and value against the message size limit. */
export function attributesSize(attributes: Record<string, MessageAttributeValue>): number {
  let bytes = 0;
  // Runs on every event: `for...in` spares the entry arrays `Object.entries` would allocate.
  for (const name in attributes) {
    const value = attributes[name] as MessageAttributeValue;
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
    bytes += Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}

/** `X-Webhook-Attempt` (header or message attribute) as a positive integer, or null. */
export function parseAttempt(raw: string | null | undefined): number | null {
  const attempt = Number(raw);
  return Number.isSafeInteger(attempt) && attempt > 0 ? attempt : null;
}
