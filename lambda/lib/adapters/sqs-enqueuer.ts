import {
  SendMessageCommand,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { AcceptedDelivery, Enqueue } from '../domain/delivery.js';
import { DeliveryRejected } from '../domain/errors.js';
import { deduplicationIdOf, messageGroupIdOf } from '../domain/message-group.js';
import { attributesSize, messageAttributesFor } from './sqs-message-attributes.js';
import {
  EXTENDED_PAYLOAD_SIZE,
  pointerBody,
  type LargeEventPointer,
} from '../domain/large-event-pointer.js';
import type { LargeEventStore } from '../domain/large-event-store.js';
import { GZIP_ABOVE_BYTES, smallestQueueBody } from '../domain/queue-message.js';
import { routesFor, type GroupRoute } from '../domain/routing-table.js';

export interface SqsEnqueuerOptions {
  /** Every consumer group with its patterns and queue: the verifier's `ROUTES`. */
  readonly routes: readonly GroupRoute[];
  /** The queues' MaximumMessageSize, body and attributes together. */
  readonly maxMessageBytes: number;
  /**
   * Where a body too large for a queue message is stored, the message carrying a pointer to it
   * (claim check). Null: such an event is refused with 413. @default null
   */
  readonly largeEvents?: LargeEventStore | null;
}

interface QueueMessage {
  readonly body: string;
  readonly attributes: Record<string, MessageAttributeValue>;
}

/**
 * Sends each accepted delivery, in Stream's own SQS format, to the queue of every group whose
 * patterns match its type, all at once. It resolves only when every send succeeded; when one
 * fails, Stream gets a 5xx and retries the whole delivery, and the groups that already have it
 * absorb the second copy in their consumer's dedupe (same bytes, same claim).
 */
export function sqsEnqueuer(client: SQSClient, options: SqsEnqueuerOptions): Enqueue {
  return async (delivery) => {
    const routes = routesFor(delivery.eventType, options.routes);
    if (routes.length === 0) return { groups: [] };

    const message = await queueMessageFor(delivery, options);
    const results = await Promise.allSettled(
      routes.map((route) =>
        client.send(
          new SendMessageCommand({
            QueueUrl: route.queueUrl,
            MessageBody: message.body,
            MessageAttributes: message.attributes,
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

/**
 * The event's body and attributes, or, when the body does not fit beside the attributes, a
 * pointer to it once it is stored: one object per delivery, shared by every group. Not async:
 * the usual event fits, and on that per-event path an async function's promise is pure overhead.
 */
function queueMessageFor(
  delivery: AcceptedDelivery,
  options: SqsEnqueuerOptions,
): QueueMessage | Promise<QueueMessage> {
  const attributes = messageAttributesFor(delivery, 'webhook');
  const budget = options.maxMessageBytes - attributesSize(attributes);
  const encoded = smallestQueueBody(delivery.eventBytes, Math.min(budget, GZIP_ABOVE_BYTES));
  if (encoded.body.length <= budget) return { body: encoded.body, attributes };
  return claimCheckMessage(delivery, encoded.body, attributes, options);
}

/** The pointer message for a body that does not fit, once the body is stored. */
async function claimCheckMessage(
  delivery: AcceptedDelivery,
  encodedBody: string,
  attributes: Record<string, MessageAttributeValue>,
  options: SqsEnqueuerOptions,
): Promise<QueueMessage> {
  const store = options.largeEvents ?? null;
  if (store === null) {
    // Retrying cannot make it fit, so Stream must not be asked to (a 5xx would be retried).
    throw new DeliveryRejected(
      413,
      'queue_message_too_large',
      `event of ${delivery.eventBytes.length} bytes does not fit a queue message even gzipped`,
    );
  }
  let pointer: LargeEventPointer;
  try {
    pointer = await store.put(encodedBody);
  } catch (error) {
    // Nothing was sent yet: Stream retries the whole delivery.
    throw new DeliveryRejected(
      503,
      'storage_failed',
      `storing an event of ${delivery.eventBytes.length} bytes failed: ${errorName(error)}`,
    );
  }
  return {
    body: pointerBody(pointer),
    attributes: {
      ...attributes,
      [EXTENDED_PAYLOAD_SIZE]: {
        DataType: 'Number',
        StringValue: String(Buffer.byteLength(encodedBody)),
      },
    },
  };
}

/** A FIFO queue keeps each channel's, call's or feed's events in order and drops a resend. */
function fifoParameters(delivery: AcceptedDelivery) {
  return {
    MessageGroupId: messageGroupIdOf(delivery.event),
    MessageDeduplicationId: deduplicationIdOf(delivery.eventBytes),
  };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown error';
}
