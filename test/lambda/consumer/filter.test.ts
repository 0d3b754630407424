/**
 * Each consumer takes only its own group's events. An SNS subscription's payload filter cannot
 * read `type` from a compressed message (base64 of gzip), so every event may reach every group's
 * queue; the consumer drops (acknowledges) what is not its own, before it claims anything.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsumerHandler } from '../../../lambda/consumer/handler.js';
import { dynamoDbClaims } from '../../../lambda/lib/adapters/dynamodb-claims.js';
import type { HandlerMap } from '../../../lambda/lib/domain/handlers.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { eventBytes, eventOfType, messageNew } from '../../fixtures/events.js';
import { routingCases } from '../../fixtures/routing-cases.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { recordingMetrics, type RecordingMetrics } from '../support/recording-metrics.js';
import { lambdaContext, snsEnvelope, sqsEvent, sqsRecord } from '../support/sqs-event.js';

const logger = createLogger('stream-events-consumer-test');
let dynamo: LocalDynamoDb;
let table: string;
let logs: LogCapture;
let metrics: RecordingMetrics;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
});

afterAll(async () => {
  await dynamo.stop();
});

beforeEach(async () => {
  table = await dynamo.createClaimsTable();
  logs = captureLogs();
  metrics = recordingMetrics();
});

afterEach(() => {
  logs.restore();
});

function consumer(group: string, patterns: readonly string[], handlers: HandlerMap) {
  return createConsumerHandler({
    group,
    patterns,
    handlers,
    claims: dynamoDbClaims({ group, tableName: table, client: dynamo.client }),
    ordering: 'none',
    logger,
    maxInflatedBytes: 1024 * 1024,
    metrics,
  });
}

/** What an SNS -> SQS subscription without a usable filter hands every group: compressed. */
const compressedViaSns = (event: unknown): string =>
  snsEnvelope(gzipSync(eventBytes(event)).toString('base64'));

const linesWith = (msg: string) => logs.lines().filter((line) => line.msg === msg);

describe('consumer: group filter', () => {
  it('acknowledges an event outside its patterns, runs no handler, logs it, writes no claim', async () => {
    // Arrange: the handler map takes everything; the group only call.*.
    const handled: string[] = [];
    const handlers: HandlerMap = {
      '*': (event) => {
        handled.push(event.type);
      },
    };
    const calls = consumer('calls', ['call.*'], handlers);

    // Act
    const result = await calls(
      sqsEvent(sqsRecord('m1', compressedViaSns(messageNew()))),
      lambdaContext(),
    );

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(handled).toEqual([]);
    expect(linesWith('event filtered')).toEqual([
      expect.objectContaining({
        level: 'INFO',
        type: 'message.new',
        group: 'calls',
        message_id: 'm1',
      }),
    ]);
    expect(metrics.flushes).toEqual([
      [{ metric: 'EventsFiltered', dimensions: { group: 'calls', family: 'chat' }, value: 1 }],
    ]);
    expect(linesWith('event handled')).toEqual([]);
    expect(await dynamo.items(table)).toEqual([]);
  });

  it('handles its own events in the same batch, claiming only those', async () => {
    // Arrange
    const handled: string[] = [];
    const handlers: HandlerMap = {
      '*': (event) => {
        handled.push(event.type);
      },
    };
    const batch = sqsEvent(
      sqsRecord('chat', compressedViaSns(messageNew())),
      sqsRecord('call', compressedViaSns(eventOfType('call.session_started', { call_cid: 'c' }))),
      sqsRecord('feed', compressedViaSns(eventOfType('feeds.activity.added', { fid: 'f' }))),
    );

    // Act
    const result = await consumer('calls', ['call.*'], handlers)(batch, lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(handled).toEqual(['call.session_started']);
    expect(linesWith('event filtered').map((line) => line.type)).toEqual([
      'message.new',
      'feeds.activity.added',
    ]);
    expect(await dynamo.items(table)).toHaveLength(1);
  });

  it('drops a custom type outside the group as filtered, not as unhandled', async () => {
    // Arrange
    const handlers: HandlerMap = { '*': () => undefined };

    // Act
    const result = await consumer(
      'messages',
      ['message.*'],
      handlers,
    )(sqsEvent(sqsRecord('m1', compressedViaSns(eventOfType('my_custom_event')))), lambdaContext());

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(linesWith('event filtered')).toHaveLength(1);
    expect(linesWith('event unhandled')).toEqual([]);
  });

  describe.each(routingCases)(
    'the routing-case table: $pattern against $type (matches=$matches)',
    ({ pattern, type, matches }) => {
      it('takes the event exactly when the pattern matches', async () => {
        // Arrange
        const handled: string[] = [];
        const handlers: HandlerMap = {
          '*': (event) => {
            handled.push(event.type);
          },
        };

        // Act
        await consumer(
          'subject',
          [pattern],
          handlers,
        )(sqsEvent(sqsRecord('m1', compressedViaSns(eventOfType(type)))), lambdaContext());

        // Assert
        expect(handled).toEqual(matches ? [type] : []);
        expect(linesWith('event filtered')).toHaveLength(matches ? 0 : 1);
      });
    },
  );
});
