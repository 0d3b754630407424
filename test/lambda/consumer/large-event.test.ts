/**
 * The consumer resolving claim-check pointers: the real consumer, the dev file store, real claims
 * in dynalite. A resolved event is decoded, deduped and routed exactly as one that came inline.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startFileLargeEventStore,
  type FileLargeEventStore,
} from '../../../dev/file-large-event-store.js';
import { createConsumerHandler } from '../../../lambda/consumer/handler.js';
import { dynamoDbClaims } from '../../../lambda/lib/adapters/dynamodb-claims.js';
import type { HandlerContext, HandlerMap } from '../../../lambda/lib/domain/handlers.js';
import { pointerBody } from '../../../lambda/lib/domain/large-event-pointer.js';
import type { LargeEventStore } from '../../../lambda/lib/domain/large-event-store.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { smallestQueueBody } from '../../../lambda/lib/domain/queue-message.js';
import type { StreamEvent } from '../../../lambda/lib/domain/stream-event.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { unreachableLargeEventStore } from '../support/memory-large-event-store.js';
import { lambdaContext, sqsEvent, sqsRecord, verifierAttributes } from '../support/sqs-event.js';

const logger = createLogger('stream-events-consumer-test');
let dynamo: LocalDynamoDb;
let store: FileLargeEventStore;
let table: string;
let logs: LogCapture;

beforeAll(async () => {
  [dynamo, store] = await Promise.all([startLocalDynamoDb(), startFileLargeEventStore()]);
});

afterAll(async () => {
  await Promise.all([dynamo.stop(), store.close()]);
});

beforeEach(async () => {
  table = await dynamo.createClaimsTable();
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

function largeEvent(): StreamEvent {
  return {
    type: 'message.new',
    cid: 'messaging:general',
    message: { id: 'msg-large', text: randomBytes(1_500_000).toString('base64') },
    created_at: '2026-11-23T12:00:00.000Z',
  };
}

function consumer(handlers: HandlerMap, largeEvents: LargeEventStore | null = store) {
  return createConsumerHandler({
    group: 'chat',
    patterns: ['*'],
    handlers,
    claims: dynamoDbClaims({ group: 'chat', tableName: table, client: dynamo.client }),
    ordering: 'none',
    logger,
    maxInflatedBytes: 16 * 1024 * 1024,
    largeEvents,
  });
}

function recording() {
  const runs: { event: StreamEvent; context: HandlerContext }[] = [];
  const handlers: HandlerMap = {
    '*': (event, context) => {
      runs.push({ event, context });
    },
  };
  return { runs, handlers };
}

/** Stores the event as the verifier does and returns the pointer message body. */
async function stored(event: StreamEvent): Promise<string> {
  const body = smallestQueueBody(Buffer.from(JSON.stringify(event), 'utf8')).body;
  return pointerBody(await store.put(body));
}

const linesWith = (msg: string) => logs.lines().filter((line) => line.msg === msg);

describe('consumer: a pointer message (claim check)', () => {
  it('hands the handler the stored event, with the delivery context', async () => {
    // Arrange
    const { runs, handlers } = recording();
    const event = largeEvent();
    const attributes = { ...verifierAttributes('wh-large'), ExtendedPayloadSize: '2000000' };
    const record = sqsRecord('m-1', await stored(event), { attributes });

    // Act
    const result = await consumer(handlers)(sqsEvent(record), lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.event).toEqual(event);
    expect(runs[0]!.context).toMatchObject({ webhookId: 'wh-large', source: 'webhook' });
    expect(linesWith('event handled')).toHaveLength(1);
  });

  it('dedupes by the event bytes, as inline: a stored copy and an inline copy run once', async () => {
    // Arrange: no webhook id, so the claim key is the SHA-256 of the event bytes.
    const { runs, handlers } = recording();
    const event = { ...largeEvent(), message: { id: 'm', text: 'x'.repeat(10) } };
    const inline = smallestQueueBody(Buffer.from(JSON.stringify(event), 'utf8')).body;
    const handler = consumer(handlers);

    // Act
    const first = await handler(sqsEvent(sqsRecord('m-1', await stored(event))), lambdaContext());
    const second = await handler(sqsEvent(sqsRecord('m-2', inline)), lambdaContext());

    // Assert
    expect([...first.batchItemFailures, ...second.batchItemFailures]).toEqual([]);
    expect(runs).toHaveLength(1);
    expect(linesWith('event duplicate')).toHaveLength(1);
  });

  it('refuses a pointer to another bucket: failed, logged undecodable, nothing run', async () => {
    // Arrange
    const { runs, handlers } = recording();
    const body = pointerBody({
      bucket: 'someone-elses-bucket',
      key: 'events/2026/11/23/0f8fad5b-d9cb-469f-a165-70867728950e',
    });

    // Act
    const result = await consumer(handlers)(sqsEvent(sqsRecord('m-1', body)), lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(runs).toEqual([]);
    expect(linesWith('message undecodable')).toEqual([
      expect.objectContaining({
        message_id: 'm-1',
        reason: expect.stringMatching(/foreign bucket "someone-elses-bucket"/),
      }),
    ]);
  });

  it('refuses a pointer when no store is configured', async () => {
    const { runs, handlers } = recording();
    const record = sqsRecord('m-1', await stored(largeEvent()));

    const result = await consumer(handlers, null)(sqsEvent(record), lambdaContext());

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(runs).toEqual([]);
    expect(linesWith('message undecodable')[0]).toMatchObject({
      reason: expect.stringMatching(/no large-event store/),
    });
  });

  it('fails the record (SQS retries it) when the store cannot be read, and runs nothing', async () => {
    // Arrange
    const { runs, handlers } = recording();
    const down = unreachableLargeEventStore(store.bucket);
    const record = sqsRecord('m-1', await stored(largeEvent()));

    // Act
    const result = await consumer(handlers, down)(sqsEvent(record), lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(runs).toEqual([]);
    expect(linesWith('large event unavailable')).toHaveLength(1);
    expect(linesWith('message undecodable')).toEqual([]);
  });
});

describe('consumer: several pointer messages in one batch', () => {
  /**
   * The file store, counting the large bodies in hand: one is "resolved" from the moment its
   * fetch starts until its handler has returned (the decoded event is alive until then).
   */
  function countingStore() {
    const held = { now: 0, most: 0 };
    const counting: LargeEventStore = {
      bucket: store.bucket,
      put: (body) => store.put(body),
      get: async (key) => {
        held.now += 1;
        held.most = Math.max(held.most, held.now);
        // Yield so that any other record ready to fetch gets the chance to.
        await new Promise((resolve) => setTimeout(resolve, 10));
        return store.get(key);
      },
    };
    return { held, counting };
  }

  it('resolves, decodes and handles one large event at a time; small records run beside them', async () => {
    // Arrange: four large and three small events, interleaved in one batch.
    const { held, counting } = countingStore();
    const order: string[] = [];
    const handlers: HandlerMap = {
      'message.new': async (event) => {
        const id = String((event.message as { id: string }).id);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(id);
        if (id.startsWith('large')) held.now -= 1;
      },
    };
    const large = (n: number) => ({
      ...largeEvent(),
      message: { id: `large-${n}`, text: randomBytes(200_000).toString('base64') },
    });
    const small = (n: number) => ({ ...largeEvent(), message: { id: `small-${n}`, text: 'hi' } });
    const inline = (n: number) =>
      smallestQueueBody(Buffer.from(JSON.stringify(small(n)), 'utf8')).body;
    const records = [
      sqsRecord('l-1', await stored(large(1))),
      sqsRecord('s-1', inline(1)),
      sqsRecord('l-2', await stored(large(2))),
      sqsRecord('l-3', await stored(large(3))),
      sqsRecord('s-2', inline(2)),
      sqsRecord('l-4', await stored(large(4))),
      sqsRecord('s-3', inline(3)),
    ];

    // Act
    const result = await consumer(handlers, counting)(sqsEvent(...records), lambdaContext());

    // Assert: never two large bodies in hand; every record handled; the small ones did not wait.
    expect(result.batchItemFailures).toEqual([]);
    expect(held.most).toBe(1);
    expect([...order].sort()).toEqual(
      ['large-1', 'large-2', 'large-3', 'large-4', 'small-1', 'small-2', 'small-3'].sort(),
    );
    expect(order.slice(0, 3).sort()).toEqual(['small-1', 'small-2', 'small-3']);
  });

  it('goes on with the next large record when one fails', async () => {
    // Arrange: the first pointer names a missing object.
    const { handlers, runs } = recording();
    const missing = pointerBody({
      bucket: store.bucket,
      key: 'events/2026/11/23/0f8fad5b-d9cb-469f-a165-70867728950e',
    });
    const records = [
      sqsRecord('l-missing', missing),
      sqsRecord('l-ok', await stored(largeEvent())),
    ];

    // Act
    const result = await consumer(handlers)(sqsEvent(...records), lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'l-missing' }]);
    expect(runs).toHaveLength(1);
  });
});
