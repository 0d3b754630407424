import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Enqueue } from './delivery.js';
import { DeliveryRejected } from './errors.js';
import { attributesSize, messageAttributesFor } from './message-attributes.js';
import { encodeQueueBody } from './queue-message.js';

export interface SqsEnqueuerOptions {
  readonly queueUrl: string;
  /** The queue's MaximumMessageSize, body and attributes together. */
  readonly maxMessageBytes: number;
}

/** Sends each accepted delivery to the queue in Stream's own SQS format. */
export function sqsEnqueuer(client: SQSClient, options: SqsEnqueuerOptions): Enqueue {
  return async (delivery) => {
    const attributes = messageAttributesFor(delivery, 'webhook');
    const encoded = encodeQueueBody(
      delivery.eventBytes,
      options.maxMessageBytes - attributesSize(attributes),
    );
    if (encoded === null) {
      // Retrying cannot make it fit, so Stream must not be asked to (a 5xx would be retried).
      throw new DeliveryRejected(
        413,
        'queue_message_too_large',
        `event of ${delivery.eventBytes.length} bytes does not fit a queue message even gzipped`,
      );
    }
    try {
      await client.send(
        new SendMessageCommand({
          QueueUrl: options.queueUrl,
          MessageBody: encoded.body,
          MessageAttributes: attributes,
        }),
      );
    } catch (error) {
      throw new DeliveryRejected(503, 'enqueue_failed', `SendMessage failed: ${errorName(error)}`);
    }
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
