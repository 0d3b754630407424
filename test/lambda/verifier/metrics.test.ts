/**
 * What the verifier counts: the real handler with signed requests; the queue side is a plain
 * `Enqueue` (the SQS fan-out itself is in fan-out.test.ts), and the counts go to a recording sink.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Enqueue } from '../../../lambda/lib/domain/delivery.js';
import { DeliveryRejected } from '../../../lambda/lib/domain/errors.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { createVerifierHandler } from '../../../lambda/verifier/handler.js';
import { eventBytes, eventOfType, messageNew, type TestEvent } from '../../fixtures/events.js';
import { webhookEvent } from '../support/api-gateway.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { recordingMetrics, type RecordingMetrics } from '../support/recording-metrics.js';
import { fixedCredentials, streamSignature } from '../support/stream-signing.js';

const API_KEY = 'metrics-test-key';
const SECRET = 'metrics-test-secret';
const credentials = fixedCredentials({ [API_KEY]: [SECRET] });

let logs: LogCapture;
let metrics: RecordingMetrics;

beforeEach(() => {
  logs = captureLogs();
  metrics = recordingMetrics();
});

afterEach(() => {
  logs.restore();
});

function verifier(enqueue: Enqueue) {
  return createVerifierHandler({
    logger: createLogger('stream-events-verifier-test'),
    credentials,
    enqueue,
    limits: { maxBodyBytes: 1_000_000, maxInflatedBytes: 1_000_000 },
    metrics,
  });
}

/** Every call.* event to `calls` and `archive`, everything else to `archive`. */
const twoGroups: Enqueue = async (delivery) => ({
  groups: delivery.eventType.startsWith('call.') ? ['calls', 'archive'] : ['archive'],
});

function signed(event: TestEvent, secret = SECRET) {
  const body = eventBytes(event);
  const signature = streamSignature(body, secret);
  return webhookEvent({ body, headers: { 'X-Api-Key': API_KEY, 'X-Signature': signature } });
}

describe('verifier metrics', () => {
  it('counts each request received and each group it was enqueued to, by family', async () => {
    // Arrange
    const handler = verifier(twoGroups);

    // Act
    const statuses = [
      (await handler(signed(eventOfType('call.session_started')))).statusCode,
      (await handler(signed(messageNew()))).statusCode,
    ];

    // Assert: one flush per invocation, each with its own totals.
    expect(statuses).toEqual([200, 200]);
    expect(metrics.flushes).toEqual([
      [
        { metric: 'EventsReceived', dimensions: {}, value: 1 },
        { metric: 'EventsEnqueued', dimensions: { group: 'calls', family: 'video' }, value: 1 },
        { metric: 'EventsEnqueued', dimensions: { group: 'archive', family: 'video' }, value: 1 },
      ],
      [
        { metric: 'EventsReceived', dimensions: {}, value: 1 },
        { metric: 'EventsEnqueued', dimensions: { group: 'archive', family: 'chat' }, value: 1 },
      ],
    ]);
  });

  it('counts a refused request by its reason, and enqueues nothing', async () => {
    // Arrange
    const handler = verifier(twoGroups);

    // Act
    const badSignature = await handler(signed(messageNew(), 'not-the-secret'));
    const notJson = await handler(
      webhookEvent({
        body: Buffer.from('{'),
        headers: {
          'X-Api-Key': API_KEY,
          'X-Signature': streamSignature('{', SECRET),
        },
      }),
    );

    // Assert
    expect([badSignature.statusCode, notJson.statusCode]).toEqual([401, 400]);
    expect(metrics.total('EventsReceived')).toBe(2);
    expect(metrics.total('EventsRejected', { reason: 'bad_signature' })).toBe(1);
    expect(metrics.total('EventsRejected', { reason: 'bad_json' })).toBe(1);
    expect(metrics.total('EventsEnqueued')).toBe(0);
  });

  it('counts a failed enqueue and an unexpected error as rejections with 5xx reasons', async () => {
    // Arrange
    const unavailable = verifier(async () => {
      throw new DeliveryRejected(503, 'enqueue_failed', 'SendMessage failed');
    });
    const broken = verifier(async () => {
      throw new TypeError('a bug');
    });

    // Act
    const statuses = [
      (await unavailable(signed(messageNew()))).statusCode,
      (await broken(signed(messageNew()))).statusCode,
    ];

    // Assert
    expect(statuses).toEqual([503, 500]);
    expect(metrics.flushes).toEqual([
      [
        { metric: 'EventsReceived', dimensions: {}, value: 1 },
        { metric: 'EventsRejected', dimensions: { reason: 'enqueue_failed' }, value: 1 },
      ],
      [
        { metric: 'EventsReceived', dimensions: {}, value: 1 },
        { metric: 'EventsRejected', dimensions: { reason: 'internal_error' }, value: 1 },
      ],
    ]);
  });

  it('counts an event no group takes as unrouted, by family', async () => {
    // Arrange
    const handler = verifier(async () => ({ groups: [] }));

    // Act
    await handler(signed(eventOfType('feeds.activity.added')));

    // Assert
    expect(metrics.total('EventsUnrouted', { family: 'feeds' })).toBe(1);
    expect(metrics.total('EventsEnqueued')).toBe(0);
  });
});
