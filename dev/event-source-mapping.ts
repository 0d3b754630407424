import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type {
  SQSBatchResponse,
  SQSEvent,
  SQSMessageAttribute,
  SQSRecord,
  SQSRecordAttributes,
} from 'aws-lambda';

/**
 * What Lambda's SQS event source mapping does between ReceiveMessage and DeleteMessageBatch,
 * as pure functions: the SQSEvent it builds, and which records it deletes afterwards.
 */

export interface EventSource {
  readonly queueArn: string;
  readonly region: string;
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** Lambda's camel-cased attribute shape; the list fields are always present and empty. */
export function lambdaMessageAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  return {
    ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
    ...(value.BinaryValue === undefined ? {} : { binaryValue: toBase64(value.BinaryValue) }),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map(toBase64),
    dataType: value.DataType ?? 'String',
  };
}

function recordAttributes(message: Message): SQSRecordAttributes {
  const attributes: Record<string, string> = { ...message.Attributes };
  return {
    ...attributes,
    ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
    SentTimestamp: attributes.SentTimestamp ?? '',
    SenderId: attributes.SenderId ?? '',
    ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
  };
}

export function sqsRecordFrom(message: Message, source: EventSource): SQSRecord {
  if (!message.MessageId || !message.ReceiptHandle) {
    throw new Error('ReceiveMessage returned a message without MessageId or ReceiptHandle');
  }
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = lambdaMessageAttribute(value);
  }
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body ?? '',
    attributes: recordAttributes(message),
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes
      ? { md5OfMessageAttributes: message.MD5OfMessageAttributes }
      : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: source.queueArn,
    awsRegion: source.region,
  };
}

/**
 * The event for one receive. SQS never returns one message twice in a response, but local-aws-sqs
 * can, when a message's visibility timeout ends during a long poll; the last copy (newest receipt
 * handle) is kept, as a real receive would have returned only that one.
 */
export function sqsEventFrom(messages: readonly Message[], source: EventSource): SQSEvent {
  const byId = new Map<string, SQSRecord>();
  for (const message of messages) {
    const record = sqsRecordFrom(message, source);
    byId.delete(record.messageId);
    byId.set(record.messageId, record);
  }
  return { Records: [...byId.values()] };
}

/**
 * The records Lambda deletes after the handler returned `response`: all but the reported
 * failures. A failure naming no record of the batch (empty, missing, unknown) makes Lambda treat
 * the whole batch as failed, so nothing is deleted.
 */
export function recordsToDelete(
  event: SQSEvent,
  response: SQSBatchResponse | void | null | undefined,
): SQSRecord[] {
  const failures = response?.batchItemFailures ?? [];
  const ids = new Set(event.Records.map((record) => record.messageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    const id: unknown = failure?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return [];
    failed.add(id);
  }
  return event.Records.filter((record) => !failed.has(record.messageId));
}
