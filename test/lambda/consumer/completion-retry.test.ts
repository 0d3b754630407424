/**
 * The claim's completion write (Powertools marks the record COMPLETED once the handler returned)
 * failing after the handler succeeded: the real consumer and claims against dynalite, through a
 * client whose first UpdateItem calls fail as a throttled or briefly unreachable table does.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsumerHandler } from '../../../lambda/consumer/handler.js';
import {
  COMPLETION_MARGIN_MS,
  dynamoDbClaims,
} from '../../../lambda/lib/adapters/dynamodb-claims.js';
import type { HandlerMap } from '../../../lambda/lib/domain/handlers.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { eventBytes, messageNew } from '../../fixtures/events.js';
import {
  dynamoDbClientFor,
  startLocalDynamoDb,
  type LocalDynamoDb,
} from '../support/local-dynamodb.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/sqs-event.js';

const logger = createLogger('stream-events-consumer-test');
let dynamo: LocalDynamoDb;
let table: string;
let logs: LogCapture;
let client: DynamoDBClient;

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
  client?.destroy();
});

/**
 * A real client of the local table whose first `failures` UpdateItem calls (the completion
 * write) fail before they reach it; every other call goes through. Counts the UpdateItem calls.
 */
function failingCompletions(failures: number) {
  client = dynamoDbClientFor(dynamo.endpoint);
  const calls = { updates: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'UpdateItemCommand') {
        calls.updates += 1;
        if (calls.updates <= failures) {
          throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
            name: 'ThrottlingException',
          });
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'failFirstCompletions' },
  );
  return calls;
}

function consumer(handlers: HandlerMap) {
  return createConsumerHandler({
    group: 'chat',
    patterns: ['*'],
    handlers,
    claims: dynamoDbClaims({ group: 'chat', tableName: table, client, logger }),
    ordering: 'none',
    logger,
    maxInflatedBytes: 1024 * 1024,
  });
}

function counting() {
  const runs = { count: 0 };
  const handlers: HandlerMap = {
    'message.new': () => {
      runs.count += 1;
    },
  };
  return { runs, handlers };
}

/** A context whose remaining time runs down with the clock, as Lambda's does. */
function contextEndingIn(ms: number): Context {
  const deadline = Date.now() + ms;
  return { ...lambdaContext(), getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}

const record = () => sqsRecord('m1', eventBytes(messageNew()).toString('base64'));

describe('the completion write', () => {
  it('is retried when it fails after the handler succeeded: the handler runs once', async () => {
    // Arrange
    const calls = failingCompletions(3);
    const { runs, handlers } = counting();
    const handler = consumer(handlers);

    // Act
    const first = await handler(sqsEvent(record()), lambdaContext(30_000));
    const redelivery = await handler(sqsEvent(record()), lambdaContext(30_000));

    // Assert
    expect(first.batchItemFailures).toEqual([]);
    expect(redelivery.batchItemFailures).toEqual([]);
    expect(runs.count).toBe(1);
    expect(calls.updates).toBe(4);
    expect(await dynamo.items(table)).toEqual([expect.objectContaining({ status: 'COMPLETED' })]);
    expect(logs.lines().map((line) => line.msg)).toEqual([
      'claim completion retried',
      'claim completion retried',
      'claim completion retried',
      'event handled',
      'event duplicate',
    ]);
  });

  it('is given up when too little of the invocation is left: the record fails', async () => {
    // Arrange: the write never succeeds, and a few hundred ms of retrying are left.
    const calls = failingCompletions(Number.POSITIVE_INFINITY);
    const { runs, handlers } = counting();

    // Act
    const result = await consumer(handlers)(
      sqsEvent(record()),
      contextEndingIn(COMPLETION_MARGIN_MS + 400),
    );

    // Assert: retried while there was time, then failed for SQS to retry; the handler ran once.
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(runs.count).toBe(1);
    expect(calls.updates).toBeGreaterThan(1);
    expect(logs.lines().filter((line) => line.msg === 'claim failed')).toHaveLength(1);
  });

  it('is not retried at all when the invocation is inside the margin already', async () => {
    // Arrange
    const calls = failingCompletions(1);
    const { handlers } = counting();

    // Act
    const result = await consumer(handlers)(
      sqsEvent(record()),
      lambdaContext(COMPLETION_MARGIN_MS),
    );

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(calls.updates).toBe(1);
  });
});
