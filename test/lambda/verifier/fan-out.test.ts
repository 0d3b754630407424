/**
 * The verifier's fan-out to consumer groups, end to end: the real handler, signed webhook
 * requests, a real SQSClient sending to several queues of the embedded SQS server.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DEDUPE_TTL_SECONDS } from '../../../contract/defaults.js';
import { composeConsumer } from '../../../lambda/consumer/compose.js';
import { decodeQueueMessage } from '../../../lambda/lib/domain/decode.js';
import type { AcceptedDelivery } from '../../../lambda/lib/domain/delivery.js';
import type { HandlerMap } from '../../../lambda/lib/domain/handlers.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import type { GroupRoute } from '../../../lambda/lib/domain/routing-table.js';
import { sqsEnqueuer } from '../../../lambda/lib/adapters/sqs-enqueuer.js';
import { silentMetrics } from '../../../lambda/lib/domain/metrics.js';
import { composeVerifier } from '../../../lambda/verifier/compose.js';
import { eventBytes, eventOfType, messageNew, type TestEvent } from '../../fixtures/events.js';
import { routingCases } from '../../fixtures/routing-cases.js';
import { webhookEvent } from '../support/api-gateway.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { closedPort, startLocalSqs, type LocalSqs } from '../support/local-sqs.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { recordingMetrics, type RecordingMetrics } from '../support/recording-metrics.js';
import { fixedCredentials, streamSignature } from '../support/stream-signing.js';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/sqs-event.js';

const API_KEY = 'fan-out-test-key';
const SECRET = 'fan-out-test-secret';
const MAX_MESSAGE_BYTES = 1_048_576;
const logger = createLogger('stream-events-verifier-test');
const credentials = fixedCredentials({ [API_KEY]: [SECRET] });

let sqs: LocalSqs;
let logs: LogCapture;
let metrics: RecordingMetrics;

beforeAll(async () => {
  sqs = await startLocalSqs();
});

afterAll(async () => {
  await sqs.stop();
});

beforeEach(() => {
  logs = captureLogs();
  metrics = recordingMetrics();
});

afterEach(() => {
  logs.restore();
});

// ---------------------------------------------------------------------------------------------

function verifier(
  routes: readonly GroupRoute[],
  client: SQSClient = sqs.client,
  maxBytes = MAX_MESSAGE_BYTES,
) {
  return composeVerifier(
    {
      routes,
      maxBodyBytes: 6_000_000,
      maxInflatedBytes: 16 * 1024 * 1024,
      maxQueueMessageBytes: maxBytes,
      maxEventAgeSeconds: null,
    },
    { sqs: client, credentials, largeEvents: null, metrics, logger },
  );
}

interface Delivery {
  readonly webhookId?: string | null;
  readonly attempt?: number;
}

/** A POST /webhook of `event` as Stream sends it, signed. */
function signed(event: TestEvent, { webhookId = randomUUID(), attempt = 1 }: Delivery = {}) {
  const body = eventBytes(event);
  const headers: Record<string, string> = {
    'X-Api-Key': API_KEY,
    'X-Signature': streamSignature(body, SECRET),
    'X-Webhook-Attempt': String(attempt),
  };
  if (webhookId !== null) headers['X-Webhook-Id'] = webhookId;
  return webhookEvent({ body, headers });
}

const route = (group: string, patterns: string[], queueUrl: string, fifo = false): GroupRoute => ({
  group,
  patterns,
  queueUrl,
  fifo,
});

const attribute = (message: Message | undefined, name: string) =>
  message?.MessageAttributes?.[name]?.StringValue;

const linesWith = (msg: string) => logs.lines().filter((line) => line.msg === msg);

const sha256Hex = (data: Buffer | string): string =>
  createHash('sha256').update(data).digest('hex');

// ---------------------------------------------------------------------------------------------

describe('fan-out: the routing-case table', () => {
  describe.each(routingCases)('$pattern against $type (matches=$matches)', (testCase) => {
    it('reaches exactly the groups whose patterns match', async () => {
      // Arrange: the case's pattern, a catch-all, and a group this type never matches.
      const [subject, everything, elsewhere] = await Promise.all([
        sqs.createQueue(),
        sqs.createQueue(),
        sqs.createQueue(),
      ]);
      const routes = [
        route('subject', [testCase.pattern], subject),
        route('everything', ['*'], everything),
        route('elsewhere', ['nothing.matches.*'], elsewhere),
      ];
      const event = eventOfType(testCase.type);

      // Act
      const response = await verifier(routes)(signed(event, { webhookId: 'wh-case' }));

      // Assert
      expect(response.statusCode).toBe(200);
      const [toSubject = [], toEverything = [], toElsewhere = []] = await Promise.all(
        [subject, everything, elsewhere].map((queueUrl) => sqs.receiveAll(queueUrl)),
      );
      expect(toSubject).toHaveLength(testCase.matches ? 1 : 0);
      expect(toEverything).toHaveLength(1);
      expect(toElsewhere).toHaveLength(0);
      for (const message of [...toSubject, ...toEverything]) {
        expect(decodeQueueMessage(message.Body ?? '').event).toEqual(event);
        expect(attribute(message, 'webhook_id')).toBe('wh-case');
      }
    });
  });
});

describe('fan-out: several groups', () => {
  it('resolves with the groups it sent to, in table order', async () => {
    // Arrange
    const [messages, moderation, calls] = await Promise.all([
      sqs.createQueue(),
      sqs.createQueue(),
      sqs.createQueue(),
    ]);
    const enqueue = sqsEnqueuer(sqs.client, {
      routes: [
        route('messages', ['message.*'], messages),
        route('calls', ['call.*'], calls),
        route('moderation', ['message.flagged', 'moderation.*'], moderation),
      ],
      maxMessageBytes: MAX_MESSAGE_BYTES,
    });
    const event = eventOfType('message.flagged');
    const delivery: AcceptedDelivery = {
      event,
      eventBytes: eventBytes(event),
      eventType: event.type,
      webhookId: 'wh-1',
      attempt: 1,
      receivedAt: new Date(0),
    };

    // Act
    const queued = await enqueue(delivery);

    // Assert
    expect(queued).toEqual({ groups: ['messages', 'moderation'] });
    expect(await sqs.receiveAll(messages)).toHaveLength(1);
    expect(await sqs.receiveAll(moderation)).toHaveLength(1);
    expect(await sqs.receiveAll(calls)).toHaveLength(0);
  });

  it('sends to the groups in parallel, not one after another', async () => {
    // Arrange: each send waits until both have started; one after another would never get there.
    const client = new SQSClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    const started: string[] = [];
    let bothStarted!: () => void;
    const both = new Promise<void>((resolve) => (bothStarted = resolve));
    mock.on(SendMessageCommand).callsFake(async (input: { QueueUrl: string }) => {
      started.push(input.QueueUrl);
      if (started.length === 2) bothStarted();
      await Promise.race([
        both,
        new Promise((_resolve, reject) =>
          setTimeout(() => reject(new Error('the second send never started')), 2_000),
        ),
      ]);
      return { MessageId: randomUUID() };
    });
    const routes = [route('a', ['*'], 'https://sqs/a'), route('b', ['*'], 'https://sqs/b')];

    // Act
    const response = await verifier(routes, client)(signed(messageNew()));

    // Assert
    expect(response.statusCode).toBe(200);
    expect(started.sort()).toEqual(['https://sqs/a', 'https://sqs/b']);
    mock.restore();
  });

  it('answers 413 to an event too large for a queue, and sends it to no group', async () => {
    // Arrange: random bytes do not compress.
    const [a, b] = await Promise.all([sqs.createQueue(), sqs.createQueue()]);
    const event = messageNew({ blob: randomBytes(12_000).toString('base64') });

    // Act
    const response = await verifier(
      [route('a', ['*'], a), route('b', ['message.*'], b)],
      sqs.client,
      8_192,
    )(signed(event));

    // Assert
    expect(response.statusCode).toBe(413);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ error: 'queue_message_too_large' });
    expect(await sqs.receiveAll(a)).toEqual([]);
    expect(await sqs.receiveAll(b)).toEqual([]);
  });
});

describe('fan-out: a group that cannot be reached', () => {
  /** A client as in Lambda (no endpoint override): it talks to the host of each queue URL. */
  function lambdaLikeClient(): SQSClient {
    const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
    return new SQSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
      logger: quiet,
    });
  }

  it.each([
    [
      'a queue that does not exist',
      async () => ({
        client: sqs.client,
        url: `${sqs.endpoint}/123456789012/missing-${randomUUID()}`,
      }),
    ],
    [
      'a queue on a host nobody answers',
      async () => ({
        client: lambdaLikeClient(),
        url: `http://127.0.0.1:${await closedPort()}/123456789012/unreachable`,
      }),
    ],
  ])('answers 503 for %s; the other group keeps its copy', async (_what, broken) => {
    // Arrange
    const healthy = await sqs.createQueue();
    const { client, url } = await broken();
    const routes = [route('healthy', ['*'], healthy), route('broken', ['message.*'], url)];

    // Act
    const response = await verifier(routes, client)(signed(messageNew(), { webhookId: 'wh-503' }));

    // Assert
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(response.body ?? '')).toMatchObject({ error: 'enqueue_failed' });
    const lines = logs.lines();
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'webhook rejected',
        level: 'ERROR',
        status: 503,
        reason: 'enqueue_failed',
        webhook_id: 'wh-503',
        detail: expect.stringContaining('group(s) broken'),
      }),
    ]);
    expect(await sqs.receiveAll(healthy)).toHaveLength(1);
  });

  describe('and Stream retries', () => {
    let dynamo: LocalDynamoDb;

    beforeAll(async () => {
      dynamo = await startLocalDynamoDb();
    });

    afterAll(async () => {
      await dynamo.stop();
    });

    it('the retry is accepted, and the second copy the healthy group got is absorbed by its dedupe', async () => {
      // Arrange: group b's queue is missing at the first attempt and back for the retry.
      const a = await sqs.createQueue();
      const bName = `late-${randomUUID()}`;
      const routes = [
        route('a', ['*'], a),
        route('b', ['*'], `${sqs.endpoint}/123456789012/${bName}`),
      ];
      const handler = verifier(routes);
      const event = messageNew({ message_id: 'retried' });

      // Act: attempt 1 fails for b, attempt 2 (same webhook id) reaches both.
      const first = await handler(signed(event, { webhookId: 'wh-retry', attempt: 1 }));
      const bUrl = await sqs.createQueue({ name: bName });
      const second = await handler(signed(event, { webhookId: 'wh-retry', attempt: 2 }));

      // Assert: a has two copies, b one.
      expect([first.statusCode, second.statusCode]).toEqual([503, 200]);
      const copies = await sqs.receiveAll(a);
      expect(copies).toHaveLength(2);
      expect(await sqs.receiveAll(bUrl)).toHaveLength(1);

      // Act: group a's consumer takes both copies, one invocation each.
      const runs: string[] = [];
      const handlers: HandlerMap = {
        'message.new': (_event, context) => {
          runs.push(context.messageId);
        },
      };
      const consumerA = composeConsumer(
        {
          group: 'a',
          patterns: ['*'],
          ordering: 'none',
          idempotencyTable: await dynamo.createClaimsTable(),
          dedupeTtlSeconds: DEFAULT_DEDUPE_TTL_SECONDS,
          maxInflatedBytes: MAX_MESSAGE_BYTES,
        },
        handlers,
        { dynamoDb: dynamo.client, largeEvents: null, metrics: silentMetrics, logger },
      );
      for (const copy of copies) {
        const attributes = Object.fromEntries(
          Object.entries(copy.MessageAttributes ?? {}).map(([name, value]) => [
            name,
            value.StringValue ?? '',
          ]),
        );
        await consumerA(
          sqsEvent(sqsRecord(copy.MessageId ?? '', copy.Body ?? '', { attributes })),
          lambdaContext(),
        );
      }

      // Assert: the handler ran once; the other copy was a duplicate.
      expect(runs).toHaveLength(1);
      expect(linesWith('event duplicate')).toEqual([
        expect.objectContaining({ group: 'a', webhook_id: 'wh-retry', type: 'message.new' }),
      ]);
    });
  });
});

describe('fan-out: no group takes the event', () => {
  it('answers 200, queues nothing and logs "event unrouted" once, counted', async () => {
    // Arrange
    const messages = await sqs.createQueue();
    const handler = verifier([route('messages', ['message.*'], messages)]);

    // Act
    const response = await handler(
      signed(eventOfType('call.session_started', { call_cid: 'default:1' }), {
        webhookId: 'wh-unrouted',
      }),
    );

    // Assert
    expect(response.statusCode).toBe(200);
    expect(await sqs.receiveAll(messages)).toEqual([]);
    expect(logs.lines()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        msg: 'event unrouted',
        type: 'call.session_started',
        webhook_id: 'wh-unrouted',
      }),
    ]);
    expect(metrics.flushes).toEqual([
      [
        { metric: 'EventsReceived', dimensions: {}, value: 1 },
        { metric: 'EventsUnrouted', dimensions: { family: 'video' }, value: 1 },
      ],
    ]);
  });

  it('logs nothing at the default level for an event that was routed', async () => {
    // Arrange
    const messages = await sqs.createQueue();

    // Act
    await verifier([route('messages', ['message.*'], messages)])(signed(messageNew()));

    // Assert
    expect(logs.lines()).toEqual([]);
  });
});

describe('fan-out: FIFO groups (per-entity ordering)', () => {
  it.each([
    ['a chat event by its channel', messageNew({ cid: 'messaging:general' }), 'messaging:general'],
    [
      'a video event by its call',
      eventOfType('call.session_started', { call_cid: 'default:call-7' }),
      'default:call-7',
    ],
    [
      'a feeds event by its feed',
      eventOfType('feeds.activity.added', { fid: 'user:alice' }),
      'user:alice',
    ],
    ['any other event by its type', eventOfType('user.updated'), 'user.updated'],
  ])('groups %s, deduplicated by the content key', async (_what, event, groupId) => {
    // Arrange
    const queue = await sqs.createQueue({ fifo: true });

    // Act
    const response = await verifier([route('ordered', ['*'], queue, true)])(
      signed(event, { webhookId: 'wh-fifo-1' }),
    );

    // Assert
    expect(response.statusCode).toBe(200);
    const [message] = await sqs.receiveAll(queue);
    expect(message?.Attributes).toMatchObject({
      MessageGroupId: groupId,
      MessageDeduplicationId: sha256Hex(eventBytes(event)),
    });
    expect(decodeQueueMessage(message?.Body ?? '').event).toEqual(event);
  });

  it('hashes a channel id SQS would refuse as a MessageGroupId', async () => {
    // Arrange
    const queue = await sqs.createQueue({ fifo: true });
    const cid = `messaging:${'ü'.repeat(10)}`;

    // Act
    const response = await verifier([route('ordered', ['*'], queue, true)])(
      signed(messageNew({ cid })),
    );

    // Assert
    expect(response.statusCode).toBe(200);
    const [message] = await sqs.receiveAll(queue);
    expect(message?.Attributes?.MessageGroupId).toBe(sha256Hex(cid));
  });

  it('lets SQS drop a retry or a replay (any webhook id, or none) within its deduplication window', async () => {
    // Arrange
    const queue = await sqs.createQueue({ fifo: true });
    const handler = verifier([route('ordered', ['*'], queue, true)]);
    const deliveries: Delivery[] = [
      { webhookId: 'wh-twice', attempt: 1 },
      { webhookId: 'wh-twice', attempt: 2 },
      { webhookId: 'wh-replayed' },
      { webhookId: null },
    ];

    // Act
    const responses = await Promise.all(
      deliveries.map((delivery) => handler(signed(messageNew(), delivery))),
    );

    // Assert
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
    expect(await sqs.receiveAll(queue)).toHaveLength(1);
  });

  it('sets FIFO parameters only on FIFO groups', async () => {
    // Arrange
    const [fifo, standard] = await Promise.all([
      sqs.createQueue({ fifo: true }),
      sqs.createQueue(),
    ]);
    const routes = [route('ordered', ['*'], fifo, true), route('plain', ['*'], standard)];

    // Act
    const response = await verifier(routes)(signed(messageNew(), { webhookId: 'wh-mixed' }));

    // Assert
    expect(response.statusCode).toBe(200);
    const [ordered] = await sqs.receiveAll(fifo);
    const [plain] = await sqs.receiveAll(standard);
    expect(ordered?.Attributes?.MessageGroupId).toBe('messaging:general');
    expect(plain?.Attributes?.MessageGroupId).toBeUndefined();
    expect(plain?.Body).toBe(ordered?.Body);
  });
});
