/**
 * `ordering: 'per-entity'` (FIFO queues): one message group's records run in order and the group
 * stops at its first failure, while other groups go on. The records come as Lambda hands a FIFO
 * batch over: in queue order, each with its MessageGroupId.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsumerHandler } from '../../../lambda/consumer/handler.js';
import { dynamoDbClaims } from '../../../lambda/lib/adapters/dynamodb-claims.js';
import type { Ordering } from '../../../contract/env/consumer.js';
import type { HandlerMap } from '../../../lambda/lib/domain/handlers.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { eventBytes, messageNew } from '../../fixtures/events.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/sqs-event.js';

const logger = createLogger('stream-events-consumer-test');
let dynamo: LocalDynamoDb;
let logs: LogCapture;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
});

afterAll(async () => {
  await dynamo.stop();
});

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

/** Channel A's and channel B's messages, interleaved as the queue holds them. */
function interleavedBatch() {
  const record = (channel: 'A' | 'B', n: number) =>
    sqsRecord(
      `${channel}${n}`,
      eventBytes(
        messageNew({ cid: `messaging:${channel}`, message_id: `${channel}${n}` }),
      ).toString('base64'),
      { messageGroupId: `messaging:${channel}` },
    );
  return sqsEvent(
    record('A', 1),
    record('B', 1),
    record('A', 2),
    record('B', 2),
    record('A', 3),
    record('B', 3),
  );
}

/** Records which message ids ran, in the order they started; those in `failing` throw. */
function handlersFailingAt(...ids: string[]) {
  const failing = new Set(ids);
  const ran: string[] = [];
  const concurrency = { now: 0, max: 0 };
  const handlers: HandlerMap = {
    'message.new': async (event) => {
      const id = event.message_id as string;
      ran.push(id);
      concurrency.now += 1;
      concurrency.max = Math.max(concurrency.max, concurrency.now);
      // Let the event loop turn: records run in parallel would overlap here.
      await new Promise((resolve) => setImmediate(resolve));
      concurrency.now -= 1;
      if (failing.has(id)) throw new Error(`${id} failed`);
    },
  };
  return { ran, handlers, failing, concurrency };
}

async function consumer(ordering: Ordering, handlers: HandlerMap) {
  return createConsumerHandler({
    group: 'chat',
    patterns: ['message.*'],
    handlers,
    claims: dynamoDbClaims({
      group: 'chat',
      tableName: await dynamo.createClaimsTable(),
      client: dynamo.client,
    }),
    ordering,
    logger,
    maxInflatedBytes: 1024 * 1024,
  });
}

describe('consumer: per-entity ordering', () => {
  it("stops group A at its failing 2nd record; A's 3rd does not run; B runs in order", async () => {
    // Arrange
    const { ran, handlers } = handlersFailingAt('A2');

    // Act
    const result = await (
      await consumer('per-entity', handlers)
    )(interleavedBatch(), lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'A2' }, { itemIdentifier: 'A3' }]);
    expect(ran).toEqual(['A1', 'B1', 'A2', 'B2', 'B3']);
    expect(ran.filter((id) => id.startsWith('B'))).toEqual(['B1', 'B2', 'B3']);
  });

  it('runs one record at a time, in queue order, when nothing fails', async () => {
    // Arrange
    const { ran, handlers } = handlersFailingAt();

    // Act
    const result = await (
      await consumer('per-entity', handlers)
    )(interleavedBatch(), lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(ran).toEqual(['A1', 'B1', 'A2', 'B2', 'A3', 'B3']);
  });

  it('without ordering, a failure holds nothing back: A3 still runs', async () => {
    // Arrange
    const { ran, handlers } = handlersFailingAt('A2');

    // Act
    const result = await (await consumer('none', handlers))(interleavedBatch(), lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'A2' }]);
    expect([...ran].sort()).toEqual(['A1', 'A2', 'A3', 'B1', 'B2', 'B3']);
  });

  it('leaves the failed and the skipped record unclaimed, so their redelivery runs both', async () => {
    // Arrange
    const { ran, handlers, failing } = handlersFailingAt('A2');
    const handler = await consumer('per-entity', handlers);
    await handler(interleavedBatch(), lambdaContext());
    ran.length = 0;
    failing.clear();
    const redelivery = sqsEvent(
      ...interleavedBatch().Records.filter((r) => ['A2', 'A3'].includes(r.messageId)),
    );

    // Act: SQS redelivers group A's failed records; this time A2 succeeds.
    const result = await handler(redelivery, lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(ran).toEqual(['A2', 'A3']);
    expect(logs.lines().filter((line) => line.msg === 'event duplicate')).toEqual([]);
  });
});
