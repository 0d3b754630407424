import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AcceptedDelivery, Enqueue } from './delivery.js';
import { DeliveryRejected } from './errors.js';
import { deduplicationIdOf, messageGroupIdOf } from './message-group.js';
import { attributesSize, messageAttributesFor } from './message-attributes.js';
import { encodeQueueBody } from './queue-message.js';
import { routesFor, type GroupRoute } from './routing-table.js';

export interface SqsEnqueuerOptions {
  /** Every consumer group with its patterns and queue: the verifier's `ROUTES`. */
  readonly routes: readonly GroupRoute[];
  /** The queues' MaximumMessageSize, body and attributes together. */
  readonly maxMessageBytes: number;
}

/**
 * Sends each accepted delivery, in Stream's own SQS format, to the queue of every group whose
 * patterns match its type, all at once. It resolves only when every send succeeded; when one
 * fails, Stream gets a 5xx and retries the whole delivery, and the groups that already have it
 * absorb the second copy in their consumer's dedupe (same webhook id, same claim).
 */
export function sqsEnqueuer(client: SQSClient, options: SqsEnqueuerOptions): Enqueue {
  return async (delivery) => {
    const routes = routesFor(delivery.eventType, options.routes);
    if (routes.length === 0) return { groups: [] };

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
    const results = await Promise.allSettled(
      routes.map((route) =>
        client.send(
          new SendMessageCommand({
            QueueUrl: route.queueUrl,
            MessageBody: encoded.body,
            MessageAttributes: attributes,
            ...(route.fifo ? fifoParameters(delivery) : {}),
          }),
        ),
      ),
    );
    const failed = routes.filter((_route, index) => results[index]?.status === 'rejected');
    if (failed.length > 0) {
      const firstError = results.find((result) => result.status === 'rejected')?.reason;
      throw new DeliveryRejected(
        503,
        'enqueue_failed',
        `SendMessage to group(s) ${failed.map((route) => route.group).join(', ')} failed: ${errorName(firstError)}`,
      );
    }
    return { groups: routes.map((route) => route.group) };
  };
}

/** A FIFO queue keeps each channel's, call's or feed's events in order and drops a resend. */
function fifoParameters(delivery: AcceptedDelivery) {
  return {
    MessageGroupId: messageGroupIdOf(delivery.event),
    MessageDeduplicationId: deduplicationIdOf(delivery.webhookId, delivery.eventBytes),
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
