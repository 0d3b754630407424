/**
 * Exactly-once effects: the real consumer with the real Powertools `DynamoDBPersistenceLayer`
 * against a real DynamoDB wire protocol (dynalite, in memory), one fresh claims table per test.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsumerHandler } from '../../../lambda/consumer/handler.js';
import { dynamoDbClaims } from '../../../lambda/lib/adapters/dynamodb-claims.js';
import type { HandlerContext, HandlerMap } from '../../../lambda/lib/domain/handlers.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import type { StreamEvent } from '../../../lambda/lib/domain/stream-event.js';
import { eventBytes, messageNew } from '../../fixtures/events.js';
import { closedPort } from '../support/local-sqs.js';
import {
  dynamoDbClientFor,
  startLocalDynamoDb,
  type LocalDynamoDb,
} from '../support/local-dynamodb.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { recordingMetrics, type RecordingMetrics } from '../support/recording-metrics.js';
import {
  lambdaContext,
  snsEnvelope,
  sqsEvent,
  sqsRecord,
  verifierAttributes,
} from '../support/sqs-event.js';

const logger = createLogger('stream-events-consumer-test');
const WEBHOOK_ID = '6c1b0f3e-2a4d-4b8e-9f10-3d2c1b0a9f8e';
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

// ---------------------------------------------------------------------------------------------

interface ConsumerOptions {
  readonly group?: string;
  readonly ttlSeconds?: number;
  readonly client?: ReturnType<typeof dynamoDbClientFor>;
}

/** One consumer "container" of `group`: its own claims over the shared table. */
function consumer(handlers: HandlerMap, options: ConsumerOptions = {}) {
  const group = options.group ?? 'chat';
  return createConsumerHandler({
    group,
    patterns: ['*'],
    handlers,
    claims: dynamoDbClaims({
      group,
      tableName: table,
      client: options.client ?? dynamo.client,
      ttlSeconds: options.ttlSeconds,
    }),
    ordering: 'none',
    logger,
    maxInflatedBytes: 1024 * 1024,
    metrics,
  });
}

/** A handler for every event that records each run. */
function countingHandlers() {
  const runs: Array<{ event: StreamEvent; context: HandlerContext }> = [];
  const handlers: HandlerMap = {
    '*': (event, context) => {
      runs.push({ event, context });
    },
  };
  return { runs, handlers };
}

const linesWith = (msg: string) => logs.lines().filter((line) => line.msg === msg);

/** The duplicates counted, over every consumer and invocation of the test. */
const duplicatesCounted = (): number => metrics.total('EventsDuplicate');

const sha256Hex = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Each delivery in its own invocation, one after another, as SQS hands them out over time. */
async function deliverOneByOne(
  handler: ReturnType<typeof consumer>,
  records: ReturnType<typeof sqsRecord>[],
) {
  const failures: string[] = [];
  for (const [index, record] of records.entries()) {
    const result = await handler(sqsEvent(record), lambdaContext(30_000, `request-${index}`));
    failures.push(...result.batchItemFailures.map((failure) => failure.itemIdentifier));
  }
  return failures;
}

/** Resolves once `check` holds, polling; fails after 5 s. */
async function eventually(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A promise the test settles: a handler awaiting it stays "in progress" until then. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

// ---------------------------------------------------------------------------------------------

describe('dedupe: one event delivered three times', () => {
  const event = messageNew({ message_id: 'dedupe-1' });
  const json = eventBytes(event);
  const base64 = json.toString('base64');
  const base64Gzip = gzipSync(json).toString('base64');

  it.each([
    [
      'a webhook retried with the same webhook id (attempts 1, 2, 3)',
      [1, 2, 3].map((attempt) =>
        sqsRecord(`webhook-${attempt}`, base64, {
          attributes: verifierAttributes(WEBHOOK_ID, attempt),
        }),
      ),
    ],
    [
      'a direct SQS delivery that SQS delivered again (at-least-once)',
      [1, 2, 3].map(() => sqsRecord('sqs-direct', base64Gzip)),
    ],
    [
      'SNS and SQS both delivering it (SQS hook, SNS raw delivery, SNS envelope)',
      [
        sqsRecord('via-sqs-hook', base64Gzip),
        sqsRecord('via-sns-raw', base64Gzip),
        sqsRecord('via-sns-envelope', snsEnvelope(base64Gzip)),
      ],
    ],
  ])('%s: runs the handler once and counts two duplicates', async (_what, records) => {
    // Arrange
    const { runs, handlers } = countingHandlers();

    // Act
    const failures = await deliverOneByOne(consumer(handlers), records);

    // Assert
    expect(failures).toEqual([]);
    expect(runs.map((run) => run.event)).toEqual([event]);
    expect(linesWith('event handled')).toHaveLength(1);
    expect(linesWith('event duplicate')).toHaveLength(2);
    expect(duplicatesCounted()).toBe(2);
  });

  it('the three paths together: one key, the SHA-256 of the event bytes, so the handler runs once', async () => {
    // Arrange: the webhook copies and the direct deliveries carry the same signed bytes.
    const { runs, handlers } = countingHandlers();
    const records = [
      sqsRecord('webhook-1', base64, { attributes: verifierAttributes(WEBHOOK_ID, 1) }),
      sqsRecord('webhook-2', base64, { attributes: verifierAttributes(WEBHOOK_ID, 2) }),
      sqsRecord('via-sqs-hook', base64Gzip),
      sqsRecord('via-sns-envelope', snsEnvelope(base64Gzip)),
    ];

    // Act
    const failures = await deliverOneByOne(consumer(handlers), records);

    // Assert
    expect(failures).toEqual([]);
    expect(runs.map((run) => run.context.messageId)).toEqual(['webhook-1']);
    expect(duplicatesCounted()).toBe(3);
    expect(await dynamo.items(table)).toHaveLength(1);
  });

  it('logs a duplicate with type, webhook_id and group, and counts it by group and family', async () => {
    // Arrange
    const { handlers } = countingHandlers();
    const records = [1, 2].map((attempt) =>
      sqsRecord(`webhook-${attempt}`, base64, {
        attributes: verifierAttributes(WEBHOOK_ID, attempt),
      }),
    );

    // Act
    await deliverOneByOne(consumer(handlers), records);

    // Assert
    const [line] = linesWith('event duplicate');
    expect(line).toMatchObject({
      level: 'INFO',
      type: 'message.new',
      webhook_id: WEBHOOK_ID,
      group: 'chat',
      message_id: 'webhook-2',
      pattern: '*',
    });
    expect(metrics.flushes).toEqual([
      [{ metric: 'EventsHandled', dimensions: { group: 'chat', family: 'chat' }, value: 1 }],
      [{ metric: 'EventsDuplicate', dimensions: { group: 'chat', family: 'chat' }, value: 1 }],
    ]);
  });

  it('runs two copies in one batch once: the second waits for the first and is a duplicate', async () => {
    // Arrange: a batch runs its records at once; the first copy's handler is still running when
    // the second copy reaches its claim.
    const runs: string[] = [];
    let release!: () => void;
    const handlerRunning = new Promise<void>((resolve) => (release = resolve));
    const handlers: HandlerMap = {
      'message.new': async (_event, context) => {
        runs.push(context.messageId);
        await handlerRunning;
      },
    };
    const handler = consumer(handlers);
    const batch = sqsEvent(sqsRecord('first', base64Gzip), sqsRecord('second', base64Gzip));

    // Act
    const result = handler(batch, lambdaContext());
    await eventually(() => runs.length > 0);
    release();
    const { batchItemFailures } = await result;

    // Assert: one run, no failure (no visibility-timeout wait), one duplicate, nothing in progress.
    expect(runs).toEqual(['first']);
    expect(batchItemFailures).toEqual([]);
    expect(duplicatesCounted()).toBe(1);
    expect(linesWith('event in progress')).toEqual([]);
  });
});

describe('dedupe: the claim record', () => {
  it('is stored under <group>#<hash of the key> with its TTL in `expiration`', async () => {
    // Arrange
    const { handlers } = countingHandlers();
    const body = eventBytes(messageNew()).toString('base64');
    const before = Math.floor(Date.now() / 1000);

    // Act
    await consumer(handlers, { group: 'messages', ttlSeconds: 600 })(
      sqsEvent(sqsRecord('m1', body, { attributes: verifierAttributes(WEBHOOK_ID) })),
      lambdaContext(),
    );

    // Assert
    const items = await dynamo.items(table);
    expect(items).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^messages#[A-Za-z0-9+/]{43}=$/),
        status: 'COMPLETED',
        expiration: expect.any(Number),
      }),
    ]);
    const expiration = Number(items[0]?.expiration);
    expect(expiration).toBeGreaterThanOrEqual(before + 600);
    expect(expiration).toBeLessThanOrEqual(before + 602);
  });

  it('keys every delivery by the SHA-256 of its bytes, never by the unsigned webhook id', async () => {
    // Arrange: one body replayed under other ids; another body under an id already used.
    const { runs, handlers } = countingHandlers();
    const json = eventBytes(messageNew({ message_id: 'replayed' }));
    const other = eventBytes(messageNew({ message_id: 'genuine' }));
    const records = [
      sqsRecord('first', json.toString('base64'), { attributes: verifierAttributes('wh-a') }),
      sqsRecord('new-id', json.toString('base64'), { attributes: verifierAttributes('wh-b') }),
      sqsRecord('id-is-hash', json.toString('base64'), {
        attributes: verifierAttributes(sha256Hex(other)),
      }),
      sqsRecord('same-id', other.toString('base64'), { attributes: verifierAttributes('wh-a') }),
    ];

    // Act
    await deliverOneByOne(consumer(handlers), records);

    // Assert
    expect(runs.map((run) => run.context.messageId)).toEqual(['first', 'same-id']);
    expect(duplicatesCounted()).toBe(2);
  });
});

describe('dedupe: failures', () => {
  it('releases the claim when the handler fails, so the retry runs the handler', async () => {
    // Arrange
    let calls = 0;
    const handlers: HandlerMap = {
      'message.new': () => {
        calls += 1;
        if (calls === 1) throw new Error('downstream unavailable');
      },
    };
    const handler = consumer(handlers);
    const record = sqsRecord('m1', eventBytes(messageNew()).toString('base64'), {
      attributes: verifierAttributes(WEBHOOK_ID),
    });

    // Act / Assert: the failure leaves no claim behind.
    const first = await handler(sqsEvent(record), lambdaContext());
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(await dynamo.items(table)).toEqual([]);
    expect(linesWith('handler failed')).toHaveLength(1);

    // Act / Assert: SQS redelivers; the handler runs and the claim is completed.
    const retry = await handler(sqsEvent(record), lambdaContext());
    expect(retry.batchItemFailures).toEqual([]);
    expect(calls).toBe(2);
    expect(await dynamo.items(table)).toEqual([expect.objectContaining({ status: 'COMPLETED' })]);

    // Act / Assert: one more redelivery is a duplicate.
    await handler(sqsEvent(record), lambdaContext());
    expect(calls).toBe(2);
    expect(duplicatesCounted()).toBe(1);
  });

  it('fails the record of a concurrent invocation while the claim is in progress', async () => {
    // Arrange: two containers of one group; the first handler waits on a gate the test opens.
    const started = gate();
    const release = gate();
    let calls = 0;
    const handlers: HandlerMap = {
      'message.new': async () => {
        calls += 1;
        started.open();
        await release.opened;
      },
    };
    const containerA = consumer(handlers);
    const containerB = consumer(handlers);
    const body = eventBytes(messageNew()).toString('base64');
    const copy = (id: string) =>
      sqsRecord(id, body, { attributes: verifierAttributes(WEBHOOK_ID) });

    // Act: A claims and is still running when B gets a copy.
    const running = containerA(sqsEvent(copy('copy-a')), lambdaContext(30_000, 'invocation-a'));
    await started.opened;
    const concurrent = await containerB(
      sqsEvent(copy('copy-b')),
      lambdaContext(30_000, 'invocation-b'),
    );
    release.open();
    const finished = await running;
    const retried = await containerB(
      sqsEvent(copy('copy-b')),
      lambdaContext(30_000, 'invocation-c'),
    );

    // Assert
    expect(concurrent.batchItemFailures).toEqual([{ itemIdentifier: 'copy-b' }]);
    expect(linesWith('event in progress')).toEqual([
      expect.objectContaining({
        level: 'WARN',
        webhook_id: WEBHOOK_ID,
        group: 'chat',
        message_id: 'copy-b',
      }),
    ]);
    expect(finished.batchItemFailures).toEqual([]);
    expect(retried.batchItemFailures).toEqual([]);
    expect(calls).toBe(1);
    expect(duplicatesCounted()).toBe(1);
  });

  it('lets a claim expire with the invocation that took it (a crashed or timed-out run)', async () => {
    // Arrange: A's invocation has 1 ms left, so its claim is stale almost at once.
    const release = gate();
    const started = gate();
    const runs: string[] = [];
    const handlers: HandlerMap = {
      'message.new': async (_event, context) => {
        runs.push(context.messageId);
        if (context.messageId === 'copy-a') {
          started.open();
          await release.opened;
        }
      },
    };
    const body = eventBytes(messageNew()).toString('base64');
    const copy = (id: string) =>
      sqsRecord(id, body, { attributes: verifierAttributes(WEBHOOK_ID) });
    const stuck = consumer(handlers)(sqsEvent(copy('copy-a')), lambdaContext(1));
    await started.opened;
    await new Promise((resolve) => setTimeout(resolve, 20));

    // Act
    const takeover = await consumer(handlers)(sqsEvent(copy('copy-b')), lambdaContext());

    // Assert
    expect(takeover.batchItemFailures).toEqual([]);
    expect(runs).toEqual(['copy-a', 'copy-b']);
    release.open();
    await stuck;
  });

  it('fails the record and runs nothing when the claims table is unreachable', async () => {
    // Arrange
    const { runs, handlers } = countingHandlers();
    const client = dynamoDbClientFor(`http://127.0.0.1:${await closedPort()}`);
    const body = eventBytes(messageNew()).toString('base64');

    // Act
    const result = await consumer(handlers, { client })(
      sqsEvent(sqsRecord('m1', body)),
      lambdaContext(),
    );

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
    expect(runs).toEqual([]);
    expect(linesWith('claim failed')).toEqual([
      expect.objectContaining({ level: 'ERROR', group: 'chat', message_id: 'm1' }),
    ]);
    client.destroy();
  });
});

describe('dedupe: groups', () => {
  it('claims per group: a#key and b#key are independent', async () => {
    // Arrange
    const a = countingHandlers();
    const b = countingHandlers();
    const record = sqsRecord('m1', eventBytes(messageNew()).toString('base64'), {
      attributes: verifierAttributes(WEBHOOK_ID),
    });
    const groupA = consumer(a.handlers, { group: 'a' });
    const groupB = consumer(b.handlers, { group: 'b' });

    // Act
    await groupA(sqsEvent(record), lambdaContext());
    await groupB(sqsEvent(record), lambdaContext());
    await groupA(sqsEvent(record), lambdaContext());
    await groupB(sqsEvent(record), lambdaContext());

    // Assert
    expect([a.runs.length, b.runs.length]).toEqual([1, 1]);
    expect(duplicatesCounted()).toBe(2);
    const ids = (await dynamo.items(table)).map((item) => String(item.id));
    expect(ids.map((id) => id.split('#')[0]).sort()).toEqual(['a', 'b']);
    expect(new Set(ids.map((id) => id.split('#')[1])).size).toBe(1);
  });
});
