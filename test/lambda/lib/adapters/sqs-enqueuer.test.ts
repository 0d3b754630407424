/**
 * The enqueuer's three cases for an event's size, against the embedded SQS server: it fits a
 * queue message; it does not and is stored, the messages carrying a pointer; storing fails.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQueueMessage } from '../../../../lambda/lib/domain/decode.js';
import type { AcceptedDelivery } from '../../../../lambda/lib/domain/delivery.js';
import { DeliveryRejected } from '../../../../lambda/lib/domain/errors.js';
import {
  EXTENDED_PAYLOAD_SIZE,
  parsePointerBody,
} from '../../../../lambda/lib/domain/large-event-pointer.js';
import {
  deduplicationIdOf,
  messageGroupIdOf,
} from '../../../../lambda/lib/domain/message-group.js';
import { SQS_MAX_MESSAGE_BYTES } from '../../../../contract/limits.js';
import { sqsEnqueuer } from '../../../../lambda/lib/adapters/sqs-enqueuer.js';
import type { StreamEvent } from '../../../../lambda/lib/domain/stream-event.js';
import { startLocalSqs, type LocalSqs } from '../../support/local-sqs.js';
import {
  memoryLargeEventStore,
  unreachableLargeEventStore,
} from '../../support/memory-large-event-store.js';

let sqs: LocalSqs;

beforeAll(async () => {
  sqs = await startLocalSqs();
});

afterAll(async () => {
  await sqs.stop();
});

function delivery(event: StreamEvent, webhookId = 'wh-large'): AcceptedDelivery {
  return {
    webhookId,
    attempt: 1,
    eventType: event.type,
    receivedAt: new Date('2026-11-23T12:00:00.000Z'),
    eventBytes: Buffer.from(JSON.stringify(event), 'utf8'),
    event,
  };
}

/** A message.new of about `bytes` bytes that gzip cannot shrink. */
function messageNew(bytes: number): StreamEvent {
  return {
    type: 'message.new',
    cid: 'messaging:general',
    channel_id: 'general',
    channel_type: 'messaging',
    message: { id: 'msg-1', text: randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64') },
    created_at: '2026-11-23T12:00:00.000Z',
  };
}

async function queues() {
  const [standard, fifo] = await Promise.all([sqs.createQueue(), sqs.createQueue({ fifo: true })]);
  return {
    standard,
    fifo,
    routes: [
      { group: 'all', patterns: ['*'], queueUrl: standard, fifo: false },
      { group: 'ordered', patterns: ['message.*'], queueUrl: fifo, fifo: true },
    ],
  };
}

describe('sqsEnqueuer with a large-event store', () => {
  it('sends an event that fits as it is, and stores nothing', async () => {
    // Arrange
    const { standard, routes } = await queues();
    const store = memoryLargeEventStore();
    const accepted = delivery(messageNew(1_000));

    // Act
    const result = await sqsEnqueuer(sqs.client, {
      routes,
      maxMessageBytes: SQS_MAX_MESSAGE_BYTES,
      largeEvents: store,
    })(accepted);

    // Assert
    expect(result.groups).toEqual(['all', 'ordered']);
    expect(store.objects.size).toBe(0);
    const [message] = await sqs.receiveAll(standard);
    expect(decodeQueueMessage(message?.Body ?? '').bytes.equals(accepted.eventBytes)).toBe(true);
    expect(message?.MessageAttributes?.[EXTENDED_PAYLOAD_SIZE]).toBeUndefined();
  });

  it('stores a 3 MB event once and sends every group a pointer to it', async () => {
    // Arrange
    const { standard, fifo, routes } = await queues();
    const store = memoryLargeEventStore('events-bucket');
    const accepted = delivery(messageNew(3_000_000));

    // Act
    const result = await sqsEnqueuer(sqs.client, {
      routes,
      maxMessageBytes: SQS_MAX_MESSAGE_BYTES,
      largeEvents: store,
    })(accepted);

    // Assert: one object, holding the event in Stream's SQS format.
    expect(result.groups).toEqual(['all', 'ordered']);
    expect(store.objects.size).toBe(1);
    const [[key, stored]] = [...store.objects.entries()] as [[string, string]];
    // Buffer.equals: a deep toEqual over 3 MB takes seconds.
    expect(decodeQueueMessage(stored).bytes.equals(accepted.eventBytes)).toBe(true);
    const messages = [...(await sqs.receiveAll(standard)), ...(await sqs.receiveAll(fifo))];
    expect(messages).toHaveLength(2);
    for (const message of messages) {
      expect(parsePointerBody(message.Body ?? '')).toEqual({ bucket: 'events-bucket', key });
      expect(message.MessageAttributes).toMatchObject({
        [EXTENDED_PAYLOAD_SIZE]: { DataType: 'Number', StringValue: String(stored.length) },
        webhook_id: { StringValue: 'wh-large' },
        event_type: { StringValue: 'message.new' },
        source: { StringValue: 'webhook' },
      });
    }
    // The FIFO queue's ordering and dedupe are those of the event, not of the pointer.
    const ordered = messages.find((message) => message.Attributes?.MessageGroupId !== undefined);
    expect(ordered?.Attributes).toMatchObject({
      MessageGroupId: messageGroupIdOf(accepted.event),
      MessageDeduplicationId: deduplicationIdOf(accepted.eventBytes),
    });
  });

  it('answers 503 storage_failed when the store fails, and sends nothing', async () => {
    // Arrange
    const { standard, fifo, routes } = await queues();
    const enqueue = sqsEnqueuer(sqs.client, {
      routes,
      maxMessageBytes: SQS_MAX_MESSAGE_BYTES,
      largeEvents: unreachableLargeEventStore(),
    });

    // Act
    const error = await enqueue(delivery(messageNew(3_000_000))).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(DeliveryRejected);
    expect(error).toMatchObject({ status: 503, reason: 'storage_failed' });
    expect((error as Error).message).toMatch(/TimeoutError/);
    expect(await sqs.receiveAll(standard)).toEqual([]);
    expect(await sqs.receiveAll(fifo)).toEqual([]);
  });

  it('answers 413 when no store is configured, as before', async () => {
    const { routes } = await queues();
    const enqueue = sqsEnqueuer(sqs.client, { routes, maxMessageBytes: SQS_MAX_MESSAGE_BYTES });
    await expect(enqueue(delivery(messageNew(3_000_000)))).rejects.toMatchObject({
      status: 413,
      reason: 'queue_message_too_large',
    });
  });

  it('stores nothing for an event no group takes', async () => {
    const store = memoryLargeEventStore();
    const enqueue = sqsEnqueuer(sqs.client, {
      routes: [{ group: 'calls', patterns: ['call.*'], queueUrl: 'unused', fifo: false }],
      maxMessageBytes: SQS_MAX_MESSAGE_BYTES,
      largeEvents: store,
    });
    await expect(enqueue(delivery(messageNew(3_000_000)))).resolves.toEqual({ groups: [] });
    expect(store.objects.size).toBe(0);
  });
});
