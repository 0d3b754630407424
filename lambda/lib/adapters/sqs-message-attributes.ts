import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { DeliveryMeta } from '../domain/delivery.js';
import { ATTRIBUTE, type DeliverySource } from '../domain/message-attributes.js';

/** The SQS message attributes of one queued delivery (names: ATTRIBUTE). */
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
