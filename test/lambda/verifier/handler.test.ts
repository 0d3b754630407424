/**
 * The verifier end to end, without AWS: the real handler, a real SQSClient sending real wire
 * calls to the embedded SQS server, the real Powertools logger (its output captured).
 */
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Message } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../../lambda/lib/domain/api-key-secrets.js';
import { decodeQueueMessage } from '../../../lambda/lib/domain/decode.js';
import type { CredentialSource, DeliveryLimits } from '../../../lambda/lib/domain/delivery.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { sqsEnqueuer } from '../../../lambda/lib/adapters/sqs-enqueuer.js';
import { createVerifierHandler } from '../../../lambda/verifier/handler.js';
import { eventBytes, messageNew } from '../../fixtures/events.js';
import { webhookEvent } from '../support/api-gateway.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { closedPort, sqsClientFor, startLocalSqs, type LocalSqs } from '../support/local-sqs.js';
import { fixedCredentials, streamSignature } from '../support/stream-signing.js';

const API_KEY = 'verifier-test-key';
const SECRET = 'verifier-test-secret-1f2e3d';
const OLD_SECRET = 'verifier-test-old-secret-9a8b7c';
const WEBHOOK_ID = 'b2f7a6a0-7d3c-4f2e-9b1a-0c1d2e3f4a5b';
/** A marker in every test body: if it shows up in a log line, the body leaked. */
const BODY_MARKER = 'body-marker-do-not-log';
const RECEIVED_AT = Date.UTC(2025, 5, 1, 8, 30, 15, 250);
const DEFAULT_LIMITS: DeliveryLimits = {
  maxBodyBytes: 6_000_000,
  maxInflatedBytes: 16 * 1024 * 1024,
};

const logger = createLogger('stream-events-verifier-test');
let sqs: LocalSqs;
let logs: LogCapture;

beforeAll(async () => {
  sqs = await startLocalSqs();
});

afterAll(async () => {
  await sqs.stop();
});

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

// ---------------------------------------------------------------------------------------------

const ONE_KEY = fixedCredentials({ [API_KEY]: [SECRET] });

interface VerifierOptions {
  readonly queueUrl: string;
  readonly credentials?: CredentialSource;
  readonly limits?: Partial<DeliveryLimits>;
  readonly maxMessageBytes?: number;
  readonly endpoint?: string;
  readonly maxEventAgeSeconds?: number;
}

function verifier(options: VerifierOptions) {
  return createVerifierHandler({
    logger,
    credentials: options.credentials ?? ONE_KEY,
    enqueue: sqsEnqueuer(options.endpoint ? sqsClientFor(options.endpoint) : sqs.client, {
      // One group that takes everything; fan-out to several is in fan-out.test.ts.
      routes: [{ group: 'all', patterns: ['*'], queueUrl: options.queueUrl, fifo: false }],
      maxMessageBytes: options.maxMessageBytes ?? 1_048_576,
    }),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    maxEventAgeSeconds: options.maxEventAgeSeconds,
  });
}

function testEvent(overrides: Record<string, unknown> = {}): Buffer {
  return eventBytes(messageNew({ message: { id: 'msg-1', text: BODY_MARKER }, ...overrides }));
}

/** Stream's headers (in Stream's casing) for `bytes`, signed over `signedBytes`. */
function streamHeaders(
  signedBytes: Buffer,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const headers: Record<string, string | undefined> = {
    'X-Webhook-Id': WEBHOOK_ID,
    'X-Webhook-Attempt': '2',
    'X-Api-Key': API_KEY,
    'X-Signature': streamSignature(signedBytes, SECRET),
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function attribute(message: Message | undefined, name: string): string | undefined {
  return message?.MessageAttributes?.[name]?.StringValue;
}

function responseBody(response: APIGatewayProxyStructuredResultV2): unknown {
  return JSON.parse(response.body ?? 'null');
}

/** A rejection is one log line with its status, reason and webhook id; nothing else is printed. */
function expectOneRejectionLine(status: number, reason: string, webhookId: string | null): void {
  const lines = logs.lines();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ msg: 'webhook rejected', status, reason });
  expect(lines[0]).toHaveProperty('webhook_id', webhookId);
  expect(lines[0]?.level).toBe(status >= 500 ? 'ERROR' : 'WARN');
}

/** No log line holds the secret or any form of the body. */
function expectNothingSecretLogged(...bodies: Buffer[]): void {
  const text = logs.text();
  for (const secret of [SECRET, OLD_SECRET]) expect(text).not.toContain(secret);
  expect(text).not.toContain(BODY_MARKER);
  for (const body of bodies) {
    expect(text).not.toContain(body.toString('base64').slice(0, 40));
    expect(text).not.toContain(streamSignature(body, SECRET));
  }
}

// ---------------------------------------------------------------------------------------------

describe('verifier: accepted deliveries', () => {
  it('answers 200 only with the event on the queue, as base64 of the exact bytes', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const body = testEvent();

    // Act
    const response = await verifier({ queueUrl })(
      webhookEvent({ body, headers: streamHeaders(body), timeEpoch: RECEIVED_AT }),
    );

    // Assert
    expect(response.statusCode).toBe(200);
    expect(responseBody(response)).toEqual({ ok: true });
    const messages = await sqs.receiveAll(queueUrl);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.Body).toBe(body.toString('base64'));
    expect(decodeQueueMessage(messages[0]?.Body ?? '').event).toEqual(
      JSON.parse(body.toString('utf8')),
    );
  });

  it('puts the delivery metadata on the message as attributes', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const body = testEvent();

    // Act
    await verifier({ queueUrl })(
      webhookEvent({ body, headers: streamHeaders(body), timeEpoch: RECEIVED_AT }),
    );

    // Assert
    const [message] = await sqs.receiveAll(queueUrl);
    expect(attribute(message, 'webhook_id')).toBe(WEBHOOK_ID);
    expect(attribute(message, 'webhook_attempt')).toBe('2');
    expect(message?.MessageAttributes?.webhook_attempt?.DataType).toBe('Number');
    expect(attribute(message, 'event_type')).toBe('message.new');
    expect(attribute(message, 'received_at')).toBe(new Date(RECEIVED_AT).toISOString());
    expect(attribute(message, 'source')).toBe('webhook');
  });

  it('leaves out webhook_id and webhook_attempt when Stream sent no such headers', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const body = testEvent();
    const headers = streamHeaders(body, {
      'X-Webhook-Id': undefined,
      'X-Webhook-Attempt': undefined,
    });

    // Act
    const response = await verifier({ queueUrl })(webhookEvent({ body, headers }));

    // Assert
    expect(response.statusCode).toBe(200);
    const [message] = await sqs.receiveAll(queueUrl);
    expect(Object.keys(message?.MessageAttributes ?? {}).sort()).toEqual([
      'event_type',
      'received_at',
      'source',
    ]);
  });

  it('takes a body API Gateway passed as text (isBase64Encoded false)', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const body = testEvent({ text: 'héllo 👋 世界' });

    // Act
    const response = await verifier({ queueUrl })(
      webhookEvent({ body, headers: streamHeaders(body), encoding: 'text' }),
    );

    // Assert
    expect(response.statusCode).toBe(200);
    const [message] = await sqs.receiveAll(queueUrl);
    expect(Buffer.from(message?.Body ?? '', 'base64').equals(body)).toBe(true);
  });

  it('inflates a gzip delivery and queues the inflated bytes Stream signed', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const json = testEvent();
    const headers = { ...streamHeaders(json), 'Content-Encoding': 'gzip' };

    // Act
    const response = await verifier({ queueUrl })(webhookEvent({ body: gzipSync(json), headers }));

    // Assert
    expect(response.statusCode).toBe(200);
    const [message] = await sqs.receiveAll(queueUrl);
    expect(Buffer.from(message?.Body ?? '', 'base64').equals(json)).toBe(true);
  });

  it('accepts a signature made with either of two active secrets (rotation)', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const credentials = fixedCredentials({ [API_KEY]: [SECRET, OLD_SECRET] });
    const handler = verifier({ queueUrl, credentials });
    const newBody = testEvent({ message_id: 'signed-with-new' });
    const oldBody = testEvent({ message_id: 'signed-with-old' });

    // Act
    const viaNew = await handler(webhookEvent({ body: newBody, headers: streamHeaders(newBody) }));
    const viaOld = await handler(
      webhookEvent({
        body: oldBody,
        headers: streamHeaders(oldBody, { 'X-Signature': streamSignature(oldBody, OLD_SECRET) }),
      }),
    );

    // Assert
    expect([viaNew.statusCode, viaOld.statusCode]).toEqual([200, 200]);
    expect(await sqs.receiveAll(queueUrl)).toHaveLength(2);
  });

  it('queues a large compressible event gzipped, and it decodes back to identical bytes', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const body = testEvent({
      members: Array.from({ length: 3000 }, (_, i) => ({ user_id: `user-${i}` })),
    });
    expect(body.length).toBeGreaterThan(64 * 1024);

    // Act
    const response = await verifier({ queueUrl })(
      webhookEvent({ body, headers: streamHeaders(body) }),
    );

    // Assert
    expect(response.statusCode).toBe(200);
    const [message] = await sqs.receiveAll(queueUrl);
    const queued = Buffer.from(message?.Body ?? '', 'base64');
    expect([queued[0], queued[1]]).toEqual([0x1f, 0x8b]);
    expect(gunzipSync(queued).equals(body)).toBe(true);
    expect(decodeQueueMessage(message?.Body ?? '').event).toEqual(
      JSON.parse(body.toString('utf8')),
    );
  });

  it('logs nothing at the default level for an accepted delivery', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const body = testEvent();

    // Act
    await verifier({ queueUrl })(webhookEvent({ body, headers: streamHeaders(body) }));

    // Assert
    expect(logs.lines()).toEqual([]);
  });
});

describe('verifier: rejected deliveries', () => {
  it('answers 413 to a body over maxBodyBytes, before any other check', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const body = testEvent();
    const handler = verifier({ queueUrl, limits: { maxBodyBytes: body.length - 1 } });

    // Act
    const response = await handler(
      webhookEvent({ body, headers: streamHeaders(body, { 'X-Signature': 'forged' }) }),
    );

    // Assert
    expect(response.statusCode).toBe(413);
    expect(responseBody(response)).toMatchObject({ error: 'body_too_large' });
    expect(await sqs.receiveAll(queueUrl)).toEqual([]);
    expectOneRejectionLine(413, 'body_too_large', WEBHOOK_ID);
    expectNothingSecretLogged(body);
  });

  it('takes a body of exactly maxBodyBytes', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const body = testEvent();

    // Act
    const response = await verifier({ queueUrl, limits: { maxBodyBytes: body.length } })(
      webhookEvent({ body, headers: streamHeaders(body) }),
    );

    // Assert
    expect(response.statusCode).toBe(200);
  });

  it('answers 413 to a gzip body inflating past maxInflatedBytes', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const json = testEvent({ padding: 'a'.repeat(50_000) });
    const handler = verifier({ queueUrl, limits: { maxInflatedBytes: 10_000 } });

    // Act
    const response = await handler(
      webhookEvent({ body: gzipSync(json), headers: streamHeaders(json) }),
    );

    // Assert
    expect(response.statusCode).toBe(413);
    expect(responseBody(response)).toMatchObject({ error: 'inflated_too_large' });
    expect(await sqs.receiveAll(queueUrl)).toEqual([]);
    expectOneRejectionLine(413, 'inflated_too_large', WEBHOOK_ID);
    expectNothingSecretLogged(json);
  });

  it('answers 400 to a corrupt gzip body', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const json = testEvent();
    const body = gzipSync(json).subarray(0, -8);

    // Act
    const response = await verifier({ queueUrl })(
      webhookEvent({ body, headers: streamHeaders(json) }),
    );

    // Assert
    expect(response.statusCode).toBe(400);
    expect(responseBody(response)).toMatchObject({ error: 'bad_gzip' });
    expect(await sqs.receiveAll(queueUrl)).toEqual([]);
    expectOneRejectionLine(400, 'bad_gzip', WEBHOOK_ID);
    expectNothingSecretLogged(json);
  });

  it.each([
    [
      'missing_api_key',
      'no X-Api-Key',
      (body: Buffer) => streamHeaders(body, { 'X-Api-Key': undefined }),
    ],
    [
      'unknown_api_key',
      'an unknown X-Api-Key',
      (body: Buffer) => streamHeaders(body, { 'X-Api-Key': 'other-app' }),
    ],
    [
      'missing_signature',
      'no X-Signature',
      (body: Buffer) => streamHeaders(body, { 'X-Signature': undefined }),
    ],
    [
      'bad_signature',
      'a signature made with another secret',
      (body: Buffer) =>
        streamHeaders(body, { 'X-Signature': streamSignature(body, 'not-the-secret') }),
    ],
    [
      'bad_signature',
      'an uppercase signature',
      (body: Buffer) =>
        streamHeaders(body, { 'X-Signature': streamSignature(body, SECRET).toUpperCase() }),
    ],
    [
      'bad_signature',
      'the signature of another body',
      (body: Buffer) =>
        streamHeaders(body, {
          'X-Signature': streamSignature(Buffer.concat([body, Buffer.from(' ')]), SECRET),
        }),
    ],
  ])('answers 401 %s to %s, and queues nothing', async (reason, _what, headersFor) => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const body = testEvent();

    // Act
    const response = await verifier({ queueUrl })(
      webhookEvent({ body, headers: headersFor(body) }),
    );

    // Assert
    expect(response.statusCode).toBe(401);
    expect(responseBody(response)).toMatchObject({ error: reason });
    expect(await sqs.receiveAll(queueUrl)).toEqual([]);
    expectOneRejectionLine(401, reason, WEBHOOK_ID);
    expectNothingSecretLogged(body);
  });

  it.each([
    [
      'bad_json',
      'a body that is not JSON',
      Buffer.from(`{"type":"message.new","text":"${BODY_MARKER}"`),
    ],
    [
      'not_an_object',
      'a JSON array',
      Buffer.from(`[{"type":"message.new","text":"${BODY_MARKER}"}]`),
    ],
    ['not_an_object', 'a JSON string', Buffer.from(`"${BODY_MARKER}"`)],
    ['missing_type', 'an object without type', Buffer.from(`{"text":"${BODY_MARKER}"}`)],
    ['missing_type', 'an empty type', Buffer.from(`{"type":"","text":"${BODY_MARKER}"}`)],
  ])('answers 400 %s to %s, signed', async (reason, _what, body) => {
    // Arrange
    const queueUrl = await sqs.createQueue();

    // Act
    const response = await verifier({ queueUrl })(
      webhookEvent({ body, headers: streamHeaders(body) }),
    );

    // Assert
    expect(response.statusCode).toBe(400);
    expect(responseBody(response)).toMatchObject({ error: reason });
    expect(await sqs.receiveAll(queueUrl)).toEqual([]);
    expectOneRejectionLine(400, reason, WEBHOOK_ID);
    expectNothingSecretLogged(body);
  });

  it('checks the signature before the JSON: an unsigned non-JSON body is a 401', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const body = Buffer.from('not json');

    // Act
    const response = await verifier({ queueUrl })(
      webhookEvent({
        body,
        headers: streamHeaders(body, { 'X-Signature': streamSignature(body, 'wrong') }),
      }),
    );

    // Assert
    expect(response.statusCode).toBe(401);
  });

  it('logs webhook_id as null on a rejection without X-Webhook-Id (present, not dropped)', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const body = testEvent();
    const headers = streamHeaders(body, {
      'X-Webhook-Id': undefined,
      'X-Signature': streamSignature(body, 'x'),
    });

    // Act
    const response = await verifier({ queueUrl })(webhookEvent({ body, headers }));

    // Assert
    expect(response.statusCode).toBe(401);
    expectOneRejectionLine(401, 'bad_signature', null);
  });
});

describe('verifier: maxEventAge', () => {
  const createdAt = (secondsBefore: number) =>
    new Date(RECEIVED_AT - secondsBefore * 1000).toISOString();

  it('refuses a signed event older than maxEventAge with 400 event_too_old, queuing nothing', async () => {
    // Arrange: a delivery seen once and replayed later, past the dedupe window.
    const queueUrl = await sqs.createQueue();
    const body = testEvent({ created_at: createdAt(301) });

    // Act
    const response = await verifier({ queueUrl, maxEventAgeSeconds: 300 })(
      webhookEvent({ body, headers: streamHeaders(body), timeEpoch: RECEIVED_AT }),
    );

    // Assert
    expect(response.statusCode).toBe(400);
    expect(responseBody(response)).toMatchObject({ error: 'event_too_old' });
    expect(await sqs.receiveAll(queueUrl)).toEqual([]);
    expectOneRejectionLine(400, 'event_too_old', WEBHOOK_ID);
    expectNothingSecretLogged(body);
  });

  it('takes an event within maxEventAge, one without a readable created_at, and any age when off', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const young = testEvent({ created_at: createdAt(300) });
    const undated = testEvent({ created_at: 'not a time' });
    const old = testEvent({ created_at: createdAt(86_400) });
    const deliver = (body: Buffer, maxEventAgeSeconds?: number) =>
      verifier({ queueUrl, maxEventAgeSeconds })(
        webhookEvent({ body, headers: streamHeaders(body), timeEpoch: RECEIVED_AT }),
      );

    // Act
    const responses = [await deliver(young, 300), await deliver(undated, 300), await deliver(old)];

    // Assert
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200]);
    expect(await sqs.receiveAll(queueUrl)).toHaveLength(3);
  });
});

describe('verifier: credentials', () => {
  it('reloads a secret rotated after cold start once, and not again within 60 s', async () => {
    // Arrange: cold start at t=0 with the old secret.
    const queueUrl = await sqs.createQueue();
    const clock = { now: 0, loads: 0, secret: JSON.stringify({ [API_KEY]: OLD_SECRET }) };
    const store = new CredentialStore({
      load: async () => {
        clock.loads += 1;
        return clock.secret;
      },
      now: () => clock.now,
    });
    const handler = verifier({ queueUrl, credentials: store });
    const first = testEvent({ message_id: 'before-rotation' });
    const before = await handler(
      webhookEvent({
        body: first,
        headers: streamHeaders(first, { 'X-Signature': streamSignature(first, OLD_SECRET) }),
      }),
    );
    // The secret is rotated in the store; Stream signs with the new one from now on.
    clock.secret = JSON.stringify({ [API_KEY]: SECRET });
    clock.now = 120_000;
    const second = testEvent({ message_id: 'after-rotation' });

    // Act
    const after = await handler(webhookEvent({ body: second, headers: streamHeaders(second) }));
    clock.now = 150_000;
    const forged = await handler(
      webhookEvent({
        body: second,
        headers: streamHeaders(second, { 'X-Signature': streamSignature(second, 'forged') }),
      }),
    );

    // Assert
    expect(before.statusCode).toBe(200);
    expect(after.statusCode).toBe(200);
    expect(forged.statusCode).toBe(401);
    expect(clock.loads).toBe(2);
    expect(await sqs.receiveAll(queueUrl)).toHaveLength(2);
  });

  it('loses no event when the first read of a rotated secret fails: 503 until it is read, then 200', async () => {
    // Arrange: cold start at t=0 with the old secret; then the secret is rotated and Stream signs
    // with the new one; Secrets Manager fails the first read after the rotation only.
    const queueUrl = await sqs.createQueue();
    const sm = { now: 0, loads: 0, fail: false, secret: JSON.stringify({ [API_KEY]: OLD_SECRET }) };
    const store = new CredentialStore({
      load: async () => {
        sm.loads += 1;
        if (sm.fail) throw new Error('ThrottlingException');
        return sm.secret;
      },
      now: () => sm.now,
      retryMs: 1_000,
    });
    const handler = verifier({ queueUrl, credentials: store });
    const warm = testEvent({ message_id: 'warm-up' });
    await handler(
      webhookEvent({
        body: warm,
        headers: streamHeaders(warm, { 'X-Signature': streamSignature(warm, OLD_SECRET) }),
      }),
    );
    sm.secret = JSON.stringify({ [API_KEY]: SECRET });
    const body = testEvent({ message_id: 'after-rotation' });
    const delivery = (attempt: string) =>
      webhookEvent({ body, headers: streamHeaders(body, { 'X-Webhook-Attempt': attempt }) });

    // Act: Stream's three attempts.
    sm.now = 120_000;
    sm.fail = true;
    const first = await handler(delivery('1'));
    sm.fail = false;
    sm.now = 120_400;
    const second = await handler(delivery('2'));
    sm.now = 121_500;
    const third = await handler(delivery('3'));

    // Assert: retryable until the new secret is read, never a 401 Stream would not retry.
    expect([first.statusCode, second.statusCode, third.statusCode]).toEqual([503, 503, 200]);
    expect(responseBody(second)).toMatchObject({ error: 'secret_unavailable' });
    expect(sm.loads).toBe(3);
    const queued = await sqs.receiveAll(queueUrl);
    const ids = queued.map((message) => decodeQueueMessage(message.Body ?? '').event.message_id);
    expect(ids.sort()).toEqual(['after-rotation', 'warm-up']);
    expectNothingSecretLogged(body);
  });

  it('answers 503 secret_unavailable when the secret cannot be read, so Stream retries', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const credentials = new CredentialStore({
      load: async () => {
        throw new Error(`AccessDeniedException: not allowed to read ${SECRET}`);
      },
    });
    const body = testEvent();

    // Act
    const response = await verifier({ queueUrl, credentials })(
      webhookEvent({ body, headers: streamHeaders(body) }),
    );

    // Assert
    expect(response.statusCode).toBe(503);
    expect(responseBody(response)).toMatchObject({ error: 'secret_unavailable' });
    expect(await sqs.receiveAll(queueUrl)).toEqual([]);
    expectOneRejectionLine(503, 'secret_unavailable', WEBHOOK_ID);
    expectNothingSecretLogged(body);
  });

  it('answers 500 secret_not_configured while the secret holds no key ({})', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const credentials = new CredentialStore({ load: async () => '{}' });
    const body = testEvent();

    // Act
    const response = await verifier({ queueUrl, credentials })(
      webhookEvent({ body, headers: streamHeaders(body) }),
    );

    // Assert
    expect(response.statusCode).toBe(500);
    expect(responseBody(response)).toMatchObject({ error: 'secret_not_configured' });
    expect(await sqs.receiveAll(queueUrl)).toEqual([]);
    expectOneRejectionLine(500, 'secret_not_configured', WEBHOOK_ID);
  });

  it('answers 500 secret_not_configured to a malformed secret, without quoting it', async () => {
    // Arrange
    const queueUrl = await sqs.createQueue();
    const credentials = new CredentialStore({
      load: async () => JSON.stringify({ [API_KEY]: [SECRET, 42] }),
    });
    const body = testEvent();

    // Act
    const response = await verifier({ queueUrl, credentials })(
      webhookEvent({ body, headers: streamHeaders(body) }),
    );

    // Assert
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain(SECRET);
    expectOneRejectionLine(500, 'secret_not_configured', WEBHOOK_ID);
    expectNothingSecretLogged(body);
  });
});

describe('verifier: the queue', () => {
  it('answers 503 enqueue_failed when SQS is unreachable, and nothing is queued', async () => {
    // Arrange: the queue exists, but the client talks to a port nobody listens on.
    const queueUrl = await sqs.createQueue();
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const body = testEvent();

    // Act
    const response = await verifier({ queueUrl, endpoint })(
      webhookEvent({ body, headers: streamHeaders(body) }),
    );

    // Assert
    expect(response.statusCode).toBe(503);
    expect(responseBody(response)).toMatchObject({ error: 'enqueue_failed' });
    expect(await sqs.receiveAll(queueUrl)).toEqual([]);
    expectOneRejectionLine(503, 'enqueue_failed', WEBHOOK_ID);
    expectNothingSecretLogged(body);
  });

  it('answers 413, not 503, to an event that cannot fit a message even gzipped', async () => {
    // Arrange: random bytes do not compress, so neither form fits 8 KiB.
    const queueUrl = await sqs.createQueue();
    const body = testEvent({ blob: randomBytes(12_000).toString('base64') });

    // Act
    const response = await verifier({ queueUrl, maxMessageBytes: 8_192 })(
      webhookEvent({ body, headers: streamHeaders(body) }),
    );

    // Assert
    expect(response.statusCode).toBe(413);
    expect(responseBody(response)).toMatchObject({ error: 'queue_message_too_large' });
    expect(await sqs.receiveAll(queueUrl)).toEqual([]);
    expectOneRejectionLine(413, 'queue_message_too_large', WEBHOOK_ID);
    expectNothingSecretLogged(body);
  });

  it.each([
    ['stays plain when body and attributes fit exactly', 0, false],
    ['is gzipped when they are one byte over', 1, true],
  ])(
    'counts the attributes against the message size: a body that %s',
    async (_what, short, gzipped) => {
      // Arrange: SQS counts each attribute's name, data type and value.
      const queueUrl = await sqs.createQueue();
      const body = testEvent({ padding: 'compressible '.repeat(100) });
      const receivedAt = new Date(RECEIVED_AT).toISOString();
      const attributes = [
        ['webhook_id', 'String', WEBHOOK_ID],
        ['webhook_attempt', 'Number', '2'],
        ['event_type', 'String', 'message.new'],
        ['received_at', 'String', receivedAt],
        ['source', 'String', 'webhook'],
      ];
      const attributeBytes = attributes.join('').replaceAll(',', '').length;
      const maxMessageBytes = base64Length(body.length) + attributeBytes - short;

      // Act
      const response = await verifier({ queueUrl, maxMessageBytes })(
        webhookEvent({ body, headers: streamHeaders(body), timeEpoch: RECEIVED_AT }),
      );

      // Assert
      expect(response.statusCode).toBe(200);
      const [message] = await sqs.receiveAll(queueUrl);
      expect(Buffer.from(message?.Body ?? '', 'base64')[0] === 0x1f).toBe(gzipped);
      expect(decodeQueueMessage(message?.Body ?? '').event).toEqual(
        JSON.parse(body.toString('utf8')),
      );
    },
  );
});

function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}
