import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EventConsumer, visibilityTimeoutFor } from '../../lib/event-consumer.js';
import { EventQueue } from '../../lib/event-queue.js';

/** A stack holding an EventQueue with the given visibility timeout (esbuild skipped). */
function stackWithQueue(visibilityTimeout?: Duration): { stack: Stack; eventQueue: EventQueue } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  return { stack, eventQueue: new EventQueue(stack, 'Events', { visibilityTimeout }) };
}

describe('visibilityTimeoutFor', () => {
  it('is 6 × the function timeout', () => {
    expect(visibilityTimeoutFor(Duration.seconds(30)).toSeconds()).toBe(180);
    expect(visibilityTimeoutFor(Duration.minutes(15)).toSeconds()).toBe(5400);
  });
});

describe('EventConsumer', () => {
  it('accepts a queue whose visibility timeout is exactly 6 × its timeout', () => {
    const { stack, eventQueue } = stackWithQueue(Duration.seconds(120));

    new EventConsumer(stack, 'Consumer', { eventQueue, timeout: Duration.seconds(20) });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Timeout: 20 });
  });

  it('rejects a queue whose visibility timeout is under 6 × its timeout', () => {
    const { stack, eventQueue } = stackWithQueue(Duration.seconds(30));

    expect(() => new EventConsumer(stack, 'Consumer', { eventQueue })).toThrow(
      "Consumer: the queue's visibility timeout (30 s) must be at least 6 × the consumer timeout (30 s) = 180 s",
    );
  });

  it('works with the EventQueue and EventConsumer defaults together', () => {
    const { stack, eventQueue } = stackWithQueue();

    expect(() => new EventConsumer(stack, 'Consumer', { eventQueue })).not.toThrow();
  });

  it('rejects a group name that is not a simple identifier', () => {
    const { stack, eventQueue } = stackWithQueue();

    expect(
      () => new EventConsumer(stack, 'Consumer', { eventQueue, group: 'chat messages' }),
    ).toThrow(/group must be 1-64 letters, digits, '-' or '_', got "chat messages"/);
  });

  it('rejects a batch size outside 1-10000', () => {
    const { stack, eventQueue } = stackWithQueue();

    expect(() => new EventConsumer(stack, 'Consumer', { eventQueue, batchSize: 10_001 })).toThrow(
      /batchSize must be an integer from 1 to 10000, got 10001/,
    );
  });
});
