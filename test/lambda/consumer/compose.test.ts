/**
 * The consumer's composition root, the one assembly a group's Lambda (consumerHandler), `npm run
 * dev` and these tests share: each setting reaches the part that acts on it, claims go to the
 * given DynamoDB (dynalite here), and the large-event store, metrics and logger are the given ones.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeConsumer, type ConsumerSettings } from '../../../lambda/consumer/compose.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import type { HandlerMap } from '../../../lambda/lib/domain/handlers.js';
import { pointerBody } from '../../../lambda/lib/domain/large-event-pointer.js';
import { smallestQueueBody } from '../../../lambda/lib/domain/queue-message.js';
import { eventBytes, eventOfType, messageNew } from '../../fixtures/events.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { memoryLargeEventStore } from '../support/memory-large-event-store.js';
import { recordingMetrics } from '../support/recording-metrics.js';
import { lambdaContext, sqsEvent, sqsRecord, verifierAttributes } from '../support/sqs-event.js';

let dynamo: LocalDynamoDb;
let table: string;
let logs: LogCapture;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
});

afterAll(async () => {
  await dynamo.stop();
});

beforeEach(async () => {
  table = await dynamo.createClaimsTable();
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

function settings(overrides: Partial<ConsumerSettings> = {}): ConsumerSettings {
  return {
    group: 'chat',
    patterns: ['message.*'],
    ordering: 'none',
    idempotencyTable: table,
    dedupeTtlSeconds: 600,
    maxInflatedBytes: 1_048_576,
    ...overrides,
  };
}

function recording() {
  const handled: string[] = [];
  const handlers: HandlerMap = {
    '*': (event) => {
      handled.push(event.type);
    },
  };
  return { handled, handlers };
}

const adapters = (largeEvents = memoryLargeEventStore()) => ({
  dynamoDb: dynamo.client,
  largeEvents,
  metrics: recordingMetrics(),
  logger: createLogger('stream-events-consumer-test'),
});

const record = (id: string, json: Buffer, webhookId = `wh-${id}`) =>
  sqsRecord(id, json.toString('base64'), { attributes: verifierAttributes(webhookId) });

describe('composeConsumer', () => {
  it("claims as the group in the settings' table, for dedupeTtlSeconds, and runs a repeat once", async () => {
    // Arrange
    const { handled, handlers } = recording();
    const consumer = composeConsumer(settings(), handlers, adapters());
    const message = record('m1', eventBytes(messageNew()));
    const startedAt = Math.floor(Date.now() / 1000);

    // Act
    await consumer(sqsEvent(message), lambdaContext());
    await consumer(sqsEvent(message), lambdaContext());

    // Assert
    expect(handled).toEqual(['message.new']);
    const [item, ...others] = await dynamo.items(table);
    expect(others).toEqual([]);
    expect(item?.id).toMatch(/^chat#/);
    const expiresIn = Number(item?.expiration) - startedAt;
    expect(expiresIn).toBeGreaterThanOrEqual(600);
    expect(expiresIn).toBeLessThan(660);
  });

  it("acknowledges without running an event outside the settings' patterns", async () => {
    const { handled, handlers } = recording();
    const parts = adapters();
    const consumer = composeConsumer(settings(), handlers, parts);

    const result = await consumer(
      sqsEvent(record('c1', eventBytes(eventOfType('call.session_started')))),
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([]);
    expect(handled).toEqual([]);
    expect(parts.metrics.total('EventsFiltered', { group: 'chat' })).toBe(1);
  });

  it('orders per entity when the settings say per-entity', async () => {
    const ran: string[] = [];
    const consumer = composeConsumer(
      settings({ ordering: 'per-entity' }),
      {
        'message.new': (event) => {
          ran.push(String(event.message_id));
          if (event.message_id === 'A1') throw new Error('A1 failed');
        },
      },
      adapters(),
    );
    const inGroup = (id: string, group: string) =>
      sqsRecord(id, eventBytes(messageNew({ message_id: id })).toString('base64'), {
        messageGroupId: group,
      });

    const result = await consumer(
      sqsEvent(inGroup('A1', 'A'), inGroup('B1', 'B'), inGroup('A2', 'A')),
      lambdaContext(),
    );

    expect(ran).toEqual(['A1', 'B1']);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'A1' }, { itemIdentifier: 'A2' }]);
  });

  it('refuses a body inflating past maxInflatedBytes, and reads pointers from the given store', async () => {
    // Arrange
    const { handled, handlers } = recording();
    const store = memoryLargeEventStore();
    const consumer = composeConsumer(settings({ maxInflatedBytes: 4_096 }), handlers, {
      ...adapters(store),
    });
    const padded = messageNew({ message_id: 'big', padding: ' '.repeat(8_000) });
    const bomb = sqsRecord('b1', gzipSync(eventBytes(padded)).toString('base64'));
    const small = eventBytes(messageNew({ message_id: 'stored' }));
    const pointer = sqsRecord('p1', pointerBody(await store.put(smallestQueueBody(small).body)), {
      attributes: { ...verifierAttributes('wh-p1'), ExtendedPayloadSize: String(small.length) },
    });

    // Act
    const result = await consumer(sqsEvent(bomb, pointer), lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'b1' }]);
    expect(handled).toEqual(['message.new']);
  });

  it('logs through the given logger', async () => {
    const { handlers } = recording();
    const consumer = composeConsumer(settings(), handlers, {
      ...adapters(),
      logger: createLogger('compose-root-logger'),
    });

    await consumer(sqsEvent(record('m2', eventBytes(messageNew()))), lambdaContext());

    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ msg: 'event handled', service: 'compose-root-logger' }),
    );
  });
});
