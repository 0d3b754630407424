import type { Context, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';

/** What Lambda hands a consumer besides the event; `remainingMs` is what its claims expire by. */
export function lambdaContext(remainingMs = 30_000, awsRequestId = 'request-1'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'stream-events-consumer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:stream-events-consumer',
    memoryLimitInMB: '256',
    awsRequestId,
    logGroupName: '/aws/lambda/stream-events-consumer',
    logStreamName: '2025/01/01/[$LATEST]abc',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function stringAttributes(values: Readonly<Record<string, string>>): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      {
        stringValue: value,
        dataType: name === 'webhook_attempt' ? 'Number' : 'String',
        stringListValues: [],
        binaryListValues: [],
      },
    ]),
  );
}

/** The message attributes the verifier sets, for a delivery of `webhookId`. */
export function verifierAttributes(
  webhookId: string,
  attempt = 1,
  type = 'message.new',
): Record<string, string> {
  return {
    webhook_id: webhookId,
    webhook_attempt: String(attempt),
    event_type: type,
    received_at: '2025-01-01T12:00:00.123Z',
    source: 'webhook',
  };
}

export interface RecordOptions {
  /** Message attributes by name (the verifier's); none for Stream's own direct deliveries. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** A FIFO queue's message group. */
  readonly messageGroupId?: string;
}

/** An SQS record as Lambda's event source mapping builds it. */
export function sqsRecord(messageId: string, body: string, options: RecordOptions = {}): SQSRecord {
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1735732800000',
      SenderId: 'AROAEXAMPLE:stream-events-verifier',
      ApproximateFirstReceiveTimestamp: '1735732800100',
      ...(options.messageGroupId === undefined
        ? {}
        : { MessageGroupId: options.messageGroupId, MessageDeduplicationId: messageId }),
    },
    messageAttributes: stringAttributes(options.attributes ?? {}),
    md5OfBody: 'not-checked',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:stream-events-chat',
    awsRegion: 'us-east-1',
  };
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/** An SNS notification as an SQS queue subscribed without raw message delivery receives it. */
export function snsEnvelope(message: string): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: 'sns-1',
    TopicArn: 'arn:aws:sns:us-east-1:123456789012:stream-events',
    Message: message,
  });
}
