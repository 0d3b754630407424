import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import type { EventQueue } from './event-queue.js';
import { StreamEventsFunction } from './node-function.js';

/** AWS guidance for SQS event sources: queue visibility timeout ≥ 6 × the function timeout. */
const VISIBILITY_TIMEOUT_FACTOR = 6;

/** The smallest queue visibility timeout an SQS-triggered function with this timeout should have. */
export function visibilityTimeoutFor(functionTimeout: Duration): Duration {
  return Duration.seconds(functionTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR);
}

export interface EventConsumerProps {
  /**
   * The group's queue. Taking the `EventQueue` (not just its `IQueue`) lets the consumer check
   * the queue's visibility timeout against its own timeout at synth.
   */
  readonly eventQueue: EventQueue;
  /** The consumer group's name, passed to the handler as `CONSUMER_GROUP`. @default 'all' */
  readonly group?: string;
  /** The handler's entry file, relative to the repository root. @default 'lambda/consumer/index.ts' */
  readonly entry?: string;
  /** Records per invocation (1-10000). @default 10 */
  readonly batchSize?: number;
  /** How long to gather records before invoking (0-5 minutes). @default Duration.seconds(1) */
  readonly maxBatchingWindow?: Duration;
  /** The function timeout; the queue's visibility timeout must be at least 6 × this. @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** The most concurrent invocations the event source starts (2-1000). @default - no limit */
  readonly maxConcurrency?: number;
  /** The function's memory in MB. @default 256 */
  readonly memorySize?: number;
}

/**
 * A consumer group's function, fed by its queue with partial batch failure reporting: only the
 * records a batch fails on are received again, and move to the DLQ after `maxReceiveCount`.
 */
export class EventConsumer extends Construct {
  /** The function that decodes, dedupes and routes each record to its handler. */
  public readonly lambdaFunction: StreamEventsFunction;
  /** The SQS event source (its mapping is created on the function). */
  public readonly eventSource: SqsEventSource;

  constructor(scope: Construct, id: string, props: EventConsumerProps) {
    super(scope, id);
    const group = props.group ?? 'all';
    const batchSize = props.batchSize ?? 10;
    const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(1);
    const timeout = props.timeout ?? Duration.seconds(30);
    validate(id, props.eventQueue, group, batchSize, timeout);

    this.lambdaFunction = new StreamEventsFunction(this, 'Function', {
      entry: props.entry ?? 'lambda/consumer/index.ts',
      description: `Handles Stream events for consumer group "${group}"`,
      memorySize: props.memorySize ?? 256,
      timeout,
      environment: {
        CONSUMER_GROUP: group,
        POWERTOOLS_SERVICE_NAME: 'stream-events-consumer',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    this.eventSource = new SqsEventSource(props.eventQueue.queue, {
      reportBatchItemFailures: true,
      batchSize,
      maxBatchingWindow,
      maxConcurrency: props.maxConcurrency,
    });
    // Grants the function sqs:ReceiveMessage, DeleteMessage, ChangeMessageVisibility, ...
    this.lambdaFunction.addEventSource(this.eventSource);
  }
}

function validate(
  id: string,
  eventQueue: EventQueue,
  group: string,
  batchSize: number,
  timeout: Duration,
): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(group)) {
    throw new Error(`${id}: group must be 1-64 letters, digits, '-' or '_', got "${group}"`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new Error(`${id}: batchSize must be an integer from 1 to 10000, got ${batchSize}`);
  }
  const required = visibilityTimeoutFor(timeout).toSeconds();
  const actual = eventQueue.visibilityTimeout.toSeconds();
  if (actual < required) {
    throw new Error(
      `${id}: the queue's visibility timeout (${actual} s) must be at least ` +
        `${VISIBILITY_TIMEOUT_FACTOR} × the consumer timeout (${timeout.toSeconds()} s) = ${required} s; ` +
        'create the EventQueue with visibilityTimeout: visibilityTimeoutFor(timeout)',
    );
  }
}
