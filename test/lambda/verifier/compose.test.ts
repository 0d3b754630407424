/**
 * The verifier's composition root, the one assembly lambda/verifier/index.ts, `npm run dev`, bench
 * and these tests share: each setting reaches the part that acts on it, and each adapter is the
 * one used. A real SQSClient sends to the embedded SQS server.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { decodeQueueMessage } from '../../../lambda/lib/domain/decode.js';
import { parseCidr, sourceIpAllowlist } from '../../../lambda/lib/domain/source-ip.js';
import { composeVerifier, type VerifierSettings } from '../../../lambda/verifier/compose.js';
import { eventBytes, messageNew } from '../../fixtures/events.js';
import { webhookEvent } from '../support/api-gateway.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { startLocalSqs, type LocalSqs } from '../support/local-sqs.js';
import { memoryLargeEventStore } from '../support/memory-large-event-store.js';
import { recordingMetrics } from '../support/recording-metrics.js';
import { fixedCredentials, streamSignature } from '../support/stream-signing.js';

const API_KEY = 'compose-verifier-key';
const SECRET = 'compose-verifier-secret';
const credentials = fixedCredentials({ [API_KEY]: [SECRET] });
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

/** Settings as the environment reader gives them: one route per group, `patterns` by group. */
function settings(
  queues: Readonly<Record<string, { readonly url: string; readonly patterns: string[] }>>,
  overrides: Partial<VerifierSettings> = {},
): VerifierSettings {
  return {
    routes: Object.entries(queues).map(([group, { url, patterns }]) => ({
      group,
      patterns,
      queueUrl: url,
      fifo: false,
    })),
    maxBodyBytes: 1_000_000,
    maxInflatedBytes: 2_000_000,
    maxQueueMessageBytes: 1_048_576,
    maxEventAgeSeconds: null,
    ...overrides,
  };
}

/** Text gzip cannot shrink below a 2 KiB queue limit. */
const incompressible = randomBytes(4_000).toString('hex');

/** One group taking every event. */
const everything = (url: string) => ({ all: { url, patterns: ['*'] } });

function signed(body: Buffer, sourceIp?: string) {
  return webhookEvent({
    body,
    sourceIp,
    headers: { 'x-api-key': API_KEY, 'x-signature': streamSignature(body, SECRET) },
  });
}

describe('composeVerifier', () => {
  it('sends an event to the queue of every route in the settings whose patterns match', async () => {
    // Arrange
    const [chat, all, calls] = await Promise.all([
      sqs.createQueue(),
      sqs.createQueue(),
      sqs.createQueue(),
    ]);
    const metrics = recordingMetrics();
    const verifier = composeVerifier(
      settings({
        chat: { url: chat, patterns: ['message.*'] },
        all: { url: all, patterns: ['*'] },
        calls: { url: calls, patterns: ['call.*'] },
      }),
      { sqs: sqs.client, credentials, largeEvents: null, metrics, logger },
    );

    // Act
    const answer = await verifier(signed(eventBytes(messageNew())));

    // Assert
    expect(answer.statusCode).toBe(200);
    const [inChat, inAll, inCalls] = await Promise.all([
      sqs.receiveAll(chat),
      sqs.receiveAll(all),
      sqs.receiveAll(calls),
    ]);
    expect([inChat.length, inAll.length, inCalls.length]).toEqual([1, 1, 0]);
    expect(decodeQueueMessage(inChat[0]?.Body ?? '', 1_000_000).event.type).toBe('message.new');
    expect(metrics.total('EventsEnqueued')).toBe(2);
  });

  it('stores an event above maxQueueMessageBytes in the large-event store, queueing a pointer', async () => {
    // Arrange: a queue limit far below the event, and a store to hold it.
    const all = await sqs.createQueue();
    const store = memoryLargeEventStore();
    const verifier = composeVerifier(settings(everything(all), { maxQueueMessageBytes: 2_048 }), {
      sqs: sqs.client,
      credentials,
      largeEvents: store,
      metrics: recordingMetrics(),
      logger,
    });
    const body = eventBytes(messageNew({ message: { text: incompressible } }));

    // Act
    const answer = await verifier(signed(body));

    // Assert
    expect(answer.statusCode).toBe(200);
    expect([...store.objects.values()]).toHaveLength(1);
    const [queued] = await sqs.receiveAll(all);
    expect((queued?.Body ?? '').length).toBeLessThan(2_048);
  });

  it('refuses with 413 an event above maxQueueMessageBytes when there is no store', async () => {
    const all = await sqs.createQueue();
    const verifier = composeVerifier(settings(everything(all), { maxQueueMessageBytes: 2_048 }), {
      sqs: sqs.client,
      credentials,
      largeEvents: null,
      metrics: recordingMetrics(),
      logger,
    });

    const answer = await verifier(
      signed(eventBytes(messageNew({ message: { text: incompressible } }))),
    );

    expect(answer.statusCode).toBe(413);
    expect(await sqs.receiveAll(all)).toEqual([]);
  });

  it('applies the body and inflated limits of the settings', async () => {
    const all = await sqs.createQueue();
    const verifier = composeVerifier(
      settings(everything(all), { maxBodyBytes: 4_096, maxInflatedBytes: 8_192 }),
      { sqs: sqs.client, credentials, largeEvents: null, metrics: recordingMetrics(), logger },
    );

    const tooLong = await verifier(signed(Buffer.alloc(4_097, 0x20)));
    const inflatesTooFar = await verifier(signed(gzipSync(Buffer.alloc(8_193, 0x20))));

    expect([tooLong.statusCode, inflatesTooFar.statusCode]).toEqual([413, 413]);
    expect(JSON.parse(inflatesTooFar.body ?? '{}')).toMatchObject({
      error: 'inflated_too_large',
    });
  });

  it('answers 403 to a source outside the allowlist, and 400 to an event past maxEventAgeSeconds', async () => {
    const all = await sqs.createQueue();
    const verifier = composeVerifier(
      settings(everything(all), {
        sourceAllowed: sourceIpAllowlist([parseCidr('34.225.10.0/24')]),
        maxEventAgeSeconds: 60,
      }),
      { sqs: sqs.client, credentials, largeEvents: null, metrics: recordingMetrics(), logger },
    );
    const old = eventBytes(messageNew({ created_at: '2020-01-01T00:00:00Z' }));

    const outsider = await verifier(signed(eventBytes(messageNew()), '198.51.100.7'));
    const stale = await verifier(signed(old));

    expect(outsider.statusCode).toBe(403);
    expect(stale.statusCode).toBe(400);
    expect(JSON.parse(stale.body ?? '{}')).toMatchObject({ error: 'event_too_old' });
  });

  it('counts in the given metrics sink and logs through the given logger', async () => {
    const all = await sqs.createQueue();
    const metrics = recordingMetrics();
    const verifier = composeVerifier(settings(everything(all)), {
      sqs: sqs.client,
      credentials: fixedCredentials({ [API_KEY]: ['another-secret'] }),
      largeEvents: null,
      metrics,
      logger: createLogger('compose-root-logger'),
    });

    const answer = await verifier(signed(eventBytes(messageNew())));

    expect(answer.statusCode).toBe(401);
    expect(metrics.flushes).toHaveLength(1);
    expect(metrics.total('EventsRejected', { reason: 'bad_signature' })).toBe(1);
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ msg: 'webhook rejected', service: 'compose-root-logger' }),
    );
  });
});
