/**
 * The Lambda wiring of a consumer group: the entry convention (a handler file exports `handlers`
 * and `handler = consumerHandler(handlers)`), configuration read at the first invocation, and the
 * real module-scope DynamoDB client, pointed at dynalite through the SDK's own endpoint variable.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Entry from '../../../lambda/handlers/index.js';
import type { HandlerMap } from '../../../lambda/lib/domain/handlers.js';
import { eventBytes, eventOfType, messageNew } from '../../fixtures/events.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { lambdaContext, sqsEvent, sqsRecord, verifierAttributes } from '../support/sqs-event.js';

/** Every variable the consumer's configuration reads. */
const CONSUMER_VARIABLES = [
  'CONSUMER_GROUP',
  'CONSUMER_PATTERNS',
  'ORDERING',
  'IDEMPOTENCY_TABLE',
  'DEDUPE_TTL_SECONDS',
  'MAX_INFLATED_BYTES',
];

let dynamo: LocalDynamoDb;
let logs: LogCapture;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
});

afterAll(async () => {
  await dynamo.stop();
});

beforeEach(() => {
  vi.resetModules();
  for (const name of CONSUMER_VARIABLES) vi.stubEnv(name, undefined);
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
  vi.unstubAllEnvs();
});

/** The environment lib/event-consumer.ts gives a group's function, plus AWS's own. */
async function stubLambdaEnvironment(overrides: Record<string, string> = {}): Promise<string> {
  const table = await dynamo.createClaimsTable();
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    CONSUMER_GROUP: 'messages',
    CONSUMER_PATTERNS: '["message.*"]',
    ORDERING: 'none',
    IDEMPOTENCY_TABLE: table,
    DEDUPE_TTL_SECONDS: '3600',
    MAX_INFLATED_BYTES: '1048576',
    ...overrides,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return table;
}

describe('consumerHandler: the entry convention', () => {
  it('lambda/handlers/index.ts exports the map and the Lambda handler, reading no config on import', async () => {
    // Arrange: record which variables are read while the module loads.
    const reads = new Set<string>();
    const env = process.env;
    process.env = new Proxy(env, {
      get(target, name, receiver) {
        if (typeof name === 'string') reads.add(name);
        return Reflect.get(target, name, receiver);
      },
    });

    // Act
    let entry: typeof Entry;
    try {
      entry = await import('../../../lambda/handlers/index.js');
    } finally {
      process.env = env;
    }

    // Assert
    expect(Object.keys(entry.handlers)).toContain('message.new');
    expect(typeof entry.handler).toBe('function');
    expect(CONSUMER_VARIABLES.filter((name) => reads.has(name))).toEqual([]);
  });

  it('refuses a malformed pattern when the entry is loaded (cold start), not per record', async () => {
    // Arrange
    const { consumerHandler } = await import('../../../lambda/consumer/lambda.js');
    const handlers = { 'message*': () => undefined } as unknown as HandlerMap;

    // Act / Assert
    expect(() => consumerHandler(handlers)).toThrow('"message*" is not an event pattern');
  });
});

describe('consumerHandler: configured at the first invocation', () => {
  it('filters by CONSUMER_PATTERNS and claims as CONSUMER_GROUP in IDEMPOTENCY_TABLE', async () => {
    // Arrange
    const table = await stubLambdaEnvironment();
    const { consumerHandler } = await import('../../../lambda/consumer/lambda.js');
    const handled: string[] = [];
    const handler = consumerHandler({
      '*': (event) => {
        handled.push(event.type);
      },
    });
    const message = sqsRecord('m1', eventBytes(messageNew()).toString('base64'), {
      attributes: verifierAttributes('wh-lambda'),
    });
    const call = sqsRecord(
      'c1',
      eventBytes(eventOfType('call.session_started')).toString('base64'),
    );

    // Act
    const first = await handler(sqsEvent(message, call), lambdaContext());
    const again = await handler(sqsEvent(message), lambdaContext());

    // Assert
    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    expect(handled).toEqual(['message.new']);
    const lines = logs.lines();
    expect(lines.filter((line) => line.msg === 'event filtered')).toEqual([
      expect.objectContaining({ type: 'call.session_started', group: 'messages' }),
    ]);
    expect(lines.filter((line) => line.msg === 'event duplicate')).toEqual([
      expect.objectContaining({ webhook_id: 'wh-lambda', group: 'messages' }),
    ]);
    const items = await dynamo.items(table);
    expect(items).toEqual([expect.objectContaining({ id: expect.stringMatching(/^messages#/) })]);
  });

  it("prints its counts as CloudWatch EMF in the stack's namespace, one document per dimension set", async () => {
    // Arrange: the stack writes StreamEvents/<stack name> into the function's environment.
    await stubLambdaEnvironment({ POWERTOOLS_METRICS_NAMESPACE: 'StreamEvents/Prod' });
    const { consumerHandler } = await import('../../../lambda/consumer/lambda.js');
    const handler = consumerHandler({ '*': () => undefined });
    const message = sqsRecord('m1', eventBytes(messageNew()).toString('base64'));

    // Act
    await handler(sqsEvent(message), lambdaContext());

    // Assert
    const documents = logs.lines().filter((line) => '_aws' in line);
    expect(documents).toEqual([
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [
            {
              Namespace: 'StreamEvents/Prod',
              Dimensions: [['service', 'group', 'family']],
              Metrics: [{ Name: 'EventsHandled', Unit: 'Count' }],
            },
          ],
        }) as unknown,
        service: 'stream-events-consumer',
        group: 'messages',
        family: 'chat',
        EventsHandled: 1,
      }),
    ]);
  });

  it('fails the invocation with a ConfigError while the environment is wrong, and recovers once fixed', async () => {
    // Arrange: the table variable is missing at first.
    await stubLambdaEnvironment();
    const table = process.env.IDEMPOTENCY_TABLE ?? '';
    vi.stubEnv('IDEMPOTENCY_TABLE', undefined);
    const { consumerHandler } = await import('../../../lambda/consumer/lambda.js');
    const handler = consumerHandler({ '*': () => undefined });
    const event = sqsEvent(sqsRecord('m1', eventBytes(messageNew()).toString('base64')));

    // Act / Assert
    await expect(handler(event, lambdaContext())).rejects.toThrow(
      'environment variable IDEMPOTENCY_TABLE is not set',
    );
    vi.stubEnv('IDEMPOTENCY_TABLE', table);
    await expect(handler(event, lambdaContext())).resolves.toEqual({ batchItemFailures: [] });
  });

  it('orders per entity when ORDERING=per-entity', async () => {
    // Arrange
    await stubLambdaEnvironment({ ORDERING: 'per-entity' });
    const { consumerHandler } = await import('../../../lambda/consumer/lambda.js');
    const ran: string[] = [];
    const handler = consumerHandler({
      'message.new': (event) => {
        ran.push(String(event.message_id));
        if (event.message_id === 'A1') throw new Error('A1 failed');
      },
    });
    const record = (id: string, group: string) =>
      sqsRecord(id, eventBytes(messageNew({ message_id: id })).toString('base64'), {
        messageGroupId: group,
      });

    // Act
    const result = await handler(
      sqsEvent(record('A1', 'A'), record('B1', 'B'), record('A2', 'A')),
      lambdaContext(),
    );

    // Assert
    expect(ran).toEqual(['A1', 'B1']);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'A1' }, { itemIdentifier: 'A2' }]);
  });
});
