/**
 * A consumer's memory against what one batch can need: one event inflated to maxInflatedBytes
 * and parsed, plus the batch's own payload. Too little to hold even the bytes fails at synth;
 * less than the estimate is a warning.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import { appConfigFromContext } from '../../lib/app-context.js';
import { consumerMemoryNeed } from '../../lib/consumer-memory.js';
import { EventConsumer, type EventConsumerProps } from '../../lib/event-consumer.js';
import { EventQueue } from '../../lib/event-queue.js';
import { StreamEventsStack } from '../../lib/stream-events-stack.js';

const MiB = 1_048_576;

type Options = Omit<EventConsumerProps, 'eventQueue' | 'idempotencyTable'>;

/** An EventConsumer on its own queue and table (esbuild skipped). */
function consumer(options: Options = {}): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  const eventQueue = new EventQueue(stack, 'Events');
  const idempotencyTable = new Table(stack, 'Claims', {
    partitionKey: { name: 'id', type: AttributeType.STRING },
  });
  new EventConsumer(stack, 'Consumer', { eventQueue, idempotencyTable, ...options });
  return stack;
}

const memoryWarnings = (stack: Stack) =>
  Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('memorySize'));

describe('consumerMemoryNeed', () => {
  it('needs 118 MB at least and 204 MB to be comfortable with the defaults (16 MiB, 10 records)', () => {
    expect(consumerMemoryNeed({ batchSize: 10, maxInflatedBytes: 16 * MiB })).toEqual({
      leastMb: 118,
      estimateMb: 204,
    });
  });

  it("counts the batch only up to Lambda's 6 MB invoke payload, whatever its record count", () => {
    const six = consumerMemoryNeed({ batchSize: 6, maxInflatedBytes: 16 * MiB });
    expect(consumerMemoryNeed({ batchSize: 10_000, maxInflatedBytes: 16 * MiB })).toEqual(six);
    expect(
      consumerMemoryNeed({ batchSize: 1, maxInflatedBytes: 16 * MiB }).estimateMb,
    ).toBeLessThan(six.estimateMb);
  });
});

describe('EventConsumer memory check', () => {
  it('passes the defaults (256 MB, 16 MiB events, 10 records) without a warning', () => {
    expect(memoryWarnings(consumer())).toEqual([]);
  });

  it('warns when the memory is below the estimate for its largest event, naming both', () => {
    const stack = consumer({ maxInflatedBytes: 32 * MiB });

    Annotations.fromStack(stack).hasWarning(
      '/Test/Consumer',
      Match.stringLikeRegexp(
        'memorySize \\(256 MB\\) is below the 300 MB a batch with one event of 33554432 bytes may need',
      ),
    );
  });

  it('does not warn once memorySize covers the estimate', () => {
    const stack = consumer({ maxInflatedBytes: 32 * MiB, memorySize: 300 });

    expect(memoryWarnings(stack)).toEqual([]);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { MemorySize: 300 });
  });

  it('fails at synth when the memory cannot even hold one such event and the batch', () => {
    expect(() => consumer({ maxInflatedBytes: 64 * MiB, memorySize: 128 })).toThrow(
      'Consumer: memorySize (128 MB) cannot hold one event inflated to maxInflatedBytes ' +
        '(67108864 bytes) beside a batch of 10 records: it needs 166 MB at the very least',
    );
  });
});

describe("a consumer group's memorySize", () => {
  it('is set from the group table, and read from context', () => {
    const { props } = appConfigFromContext((key) =>
      key === 'consumers'
        ? [{ name: 'big', events: ['*'], entry: 'lambda/handlers/index.ts', memorySize: 512 }]
        : undefined,
    );
    expect(props.consumers?.[0]?.memorySize).toBe(512);

    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    Template.fromStack(new StreamEventsStack(app, 'Test', props)).hasResourceProperties(
      'AWS::Lambda::Function',
      { MemorySize: 512, Environment: { Variables: Match.objectLike({ CONSUMER_GROUP: 'big' }) } },
    );
  });
});
