/**
 * What a consumer counts, per group and product family, with one flush per invocation. The
 * duplicate count needs the claims table and is in dedupe.test.ts; the filtered one in
 * filter.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsumerHandler } from '../../../lambda/consumer/handler.js';
import type { HandlerMap } from '../../../lambda/lib/domain/handlers.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import type { Ordering } from '../../../contract/env/consumer.js';
import { eventBytes, eventOfType, messageNew } from '../../fixtures/events.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { recordingMetrics, type RecordingMetrics } from '../support/recording-metrics.js';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/sqs-event.js';

let logs: LogCapture;
let metrics: RecordingMetrics;

beforeEach(() => {
  logs = captureLogs();
  metrics = recordingMetrics();
});

afterEach(() => {
  logs.restore();
});

const handlers: HandlerMap = {
  'message.*': () => undefined,
  'call.*': () => {
    throw new Error('the call handler failed');
  },
};

function consumer(ordering: Ordering = 'none') {
  return createConsumerHandler({
    group: 'app',
    patterns: ['*'],
    handlers,
    claims: null,
    ordering,
    logger: createLogger('stream-events-consumer-test'),
    maxInflatedBytes: 1024 * 1024,
    metrics,
  });
}

const base64Of = (event: unknown): string => eventBytes(event).toString('base64');

describe('consumer metrics', () => {
  it('counts handled, failed, unhandled and undecodable records by group and family, once per invocation', async () => {
    // Arrange
    const batch = sqsEvent(
      sqsRecord('handled-1', base64Of(messageNew())),
      sqsRecord('handled-2', base64Of(eventOfType('message.updated'))),
      sqsRecord('failed', base64Of(eventOfType('call.ended'))),
      sqsRecord('unhandled', base64Of(eventOfType('feeds.activity.added'))),
      sqsRecord('undecodable', 'not base64 of json {'),
    );

    // Act
    const result = await consumer()(batch, lambdaContext());

    // Assert
    expect(result.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      'failed',
      'undecodable',
    ]);
    expect(metrics.flushes).toHaveLength(1);
    expect(metrics.flushes[0]).toEqual(
      expect.arrayContaining([
        { metric: 'EventsHandled', dimensions: { group: 'app', family: 'chat' }, value: 2 },
        { metric: 'EventsFailed', dimensions: { group: 'app', family: 'video' }, value: 1 },
        { metric: 'EventsUnhandled', dimensions: { group: 'app', family: 'feeds' }, value: 1 },
        { metric: 'EventsFailed', dimensions: { group: 'app', family: 'unknown' }, value: 1 },
      ]),
    );
    expect(metrics.flushes[0]).toHaveLength(4);
  });

  it('flushes a FIFO batch once too, without counting the records skipped after a failure', async () => {
    // Arrange: the first record of the message group fails; the second is not run.
    const batch = sqsEvent(
      sqsRecord('first', base64Of(eventOfType('call.ended')), { messageGroupId: 'call-1' }),
      sqsRecord('second', base64Of(messageNew()), { messageGroupId: 'call-1' }),
    );

    // Act
    const result = await consumer('per-entity')(batch, lambdaContext());

    // Assert
    expect(result.batchItemFailures).toHaveLength(2);
    expect(metrics.flushes).toEqual([
      [{ metric: 'EventsFailed', dimensions: { group: 'app', family: 'video' }, value: 1 }],
    ]);
  });
});
