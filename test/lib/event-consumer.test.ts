import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  EventConsumer,
  type EventConsumerProps,
  visibilityTimeoutFor,
} from '../../lib/event-consumer.js';
import { EventQueue, type EventQueueProps } from '../../lib/event-queue.js';

type Options = Omit<EventConsumerProps, 'eventQueue' | 'idempotencyTable'>;

/** A stack with an EventQueue and a table, and an EventConsumer on them (esbuild skipped). */
function consumer(options: Options = {}, queue: EventQueueProps = {}): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  const eventQueue = new EventQueue(stack, 'Events', queue);
  const idempotencyTable = new Table(stack, 'Claims', {
    partitionKey: { name: 'id', type: AttributeType.STRING },
  });
  new EventConsumer(stack, 'Consumer', { eventQueue, idempotencyTable, ...options });
  return stack;
}

describe('visibilityTimeoutFor', () => {
  it('is 6 × the function timeout', () => {
    expect(visibilityTimeoutFor(Duration.seconds(30)).toSeconds()).toBe(180);
    expect(visibilityTimeoutFor(Duration.minutes(15)).toSeconds()).toBe(5400);
  });
});

describe('EventConsumer', () => {
  it('accepts a queue whose visibility timeout is exactly 6 × its timeout', () => {
    const stack = consumer(
      { timeout: Duration.seconds(20) },
      { visibilityTimeout: Duration.seconds(120) },
    );

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Timeout: 20 });
  });

  it('rejects a queue whose visibility timeout is under 6 × its timeout', () => {
    expect(() => consumer({}, { visibilityTimeout: Duration.seconds(30) })).toThrow(
      "Consumer: the queue's visibility timeout (30 s) must be at least 6 × the consumer timeout (30 s) = 180 s",
    );
  });

  it('works with the EventQueue and EventConsumer defaults together', () => {
    expect(() => consumer()).not.toThrow();
  });

  it('defaults to the group "all", every event, a 24 h dedupe window', () => {
    const template = Template.fromStack(consumer());

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          CONSUMER_GROUP: 'all',
          CONSUMER_PATTERNS: '["*"]',
          ORDERING: 'none',
          DEDUPE_TTL_SECONDS: '86400',
          MAX_INFLATED_BYTES: '16777216',
          IDEMPOTENCY_TABLE: { Ref: Match.stringLikeRegexp('^Claims') },
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'stream-events-consumer',
          POWERTOOLS_LOG_LEVEL: 'INFO',
        },
      },
    });
  });

  it('reads per-entity ordering from a FIFO queue, with no batching window', () => {
    const template = Template.fromStack(consumer({}, { fifo: true }));

    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { ORDERING: 'per-entity' } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      MaximumBatchingWindowInSeconds: Match.absent(),
    });
  });

  it.each<[string, Options, EventQueueProps, RegExp]>([
    [
      'a group name that is not a simple identifier',
      { group: 'chat messages' },
      {},
      /Consumer: consumer group name "chat messages" must be 1-40 characters of a-z, 0-9 and "-"/,
    ],
    ['no patterns', { patterns: [] }, {}, /Consumer: patterns must list at least one pattern/],
    ['a malformed pattern', { patterns: ['message*'] }, {}, /"message\*" is not an event pattern/],
    [
      'a batch size outside 1-10000',
      { batchSize: 10_001 },
      {},
      /batchSize must be an integer from 1 to 10000, got 10001/,
    ],
    [
      'a batch size over 10 on a FIFO queue',
      { batchSize: 11 },
      { fifo: true },
      /batchSize must be an integer from 1 to 10 on a FIFO queue, got 11/,
    ],
    [
      'a batching window on a FIFO queue',
      { maxBatchingWindow: Duration.seconds(0) },
      { fifo: true },
      /maxBatchingWindow cannot be set on a FIFO queue/,
    ],
    [
      'maxConcurrency 1',
      { maxConcurrency: 1 },
      {},
      /maxConcurrency must be an integer from 2 to 1000, got 1/,
    ],
    [
      'a dedupe window shorter than the timeout',
      { dedupeWindow: Duration.seconds(29) },
      {},
      /dedupeWindow \(29 s\) must be whole seconds and at least the consumer timeout \(30 s\)/,
    ],
    [
      'a fractional dedupe window',
      { dedupeWindow: Duration.millis(60_500) },
      {},
      /dedupeWindow \(60.5 s\) must be whole seconds/,
    ],
    [
      'a non-integer maxInflatedBytes',
      { maxInflatedBytes: 1.5 },
      {},
      /maxInflatedBytes must be a positive integer, got 1.5/,
    ],
  ])('rejects %s', (_name, options, queue, message) => {
    expect(() => consumer(options, queue)).toThrow(message);
  });
});
