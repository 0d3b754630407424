import { Annotations, Duration, Names } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { EventSourceMapping } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { consumerEnv } from '../contract/env/consumer.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../contract/limits.js';
import { assertValidPattern } from '../contract/patterns.js';
import { DEFAULT_HANDLER_ENTRY } from '../contract/consumer-groups.js';
import { assertValidGroupName, DEFAULT_GROUP_NAME } from '../contract/names.js';
import type { EventQueue } from './event-queue.js';
import { consumerMemoryNeed } from './consumer-memory.js';
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_CONSUMER_MAX_CONCURRENCY,
  DEFAULT_CONSUMER_TIMEOUT_SECONDS,
  DEFAULT_DEDUPE_TTL_SECONDS,
  DEFAULT_FUNCTION_MEMORY_MB,
  DEFAULT_MAX_BATCHING_WINDOW_SECONDS,
} from '../contract/defaults.js';
import { grantEventSourcePolling } from './grants.js';
import { IDEMPOTENCY_ACTIONS } from './idempotency-table.js';
import { StreamEventsFunction } from './node-function.js';

/** AWS guidance for SQS event sources: queue visibility timeout ≥ 6 × the function timeout. */
const VISIBILITY_TIMEOUT_FACTOR = 6;

/** The most records a FIFO event source takes per batch (it supports no batching window). */
const FIFO_MAX_BATCH_SIZE = 10;

/** The smallest queue visibility timeout an SQS-triggered function with this timeout should have. */
export function visibilityTimeoutFor(functionTimeout: Duration): Duration {
  return Duration.seconds(functionTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR);
}

export interface EventConsumerProps {
  /**
   * The group's queue. Taking the `EventQueue` (not just its `IQueue`) lets the consumer check
   * the queue's visibility timeout against its own timeout at synth, and read whether it is FIFO
   * (`ORDERING=per-entity`).
   */
  readonly eventQueue: EventQueue;
  /** The table the consumer claims each event in before its handler runs (exactly-once effects). */
  readonly idempotencyTable: ITable;
  /**
   * How long a finished claim keeps a duplicate out (`DEDUPE_TTL_SECONDS`); at least the timeout,
   * so a claim cannot expire while its handler may still run.
   * @default Duration.hours(24)
   */
  readonly dedupeWindow?: Duration;
  /**
   * The consumer group's name (`CONSUMER_GROUP`): 1-40 of a-z, 0-9 and '-', starting with a
   * letter; part of every dedupe key. @default `all` (`DEFAULT_GROUP_NAME`)
   */
  readonly group?: string;
  /**
   * The event patterns the group takes (`CONSUMER_PATTERNS`): the consumer drops, and counts,
   * events outside them (an unfiltered SNS subscription delivers every event).
   * @default ['*']
   */
  readonly patterns?: readonly string[];
  /**
   * The handler file, relative to the repository root; it exports `handler` (and `handlers`).
   * @default 'lambda/handlers/index.ts'
   */
  readonly entry?: string;
  /** Records per invocation (1-10000; 1-10 on a FIFO queue). @default 10 */
  readonly batchSize?: number;
  /**
   * How long to gather records before invoking (0-5 minutes). FIFO event sources support none.
   * @default Duration.seconds(1); none on a FIFO queue
   */
  readonly maxBatchingWindow?: Duration;
  /** The function timeout; the queue's visibility timeout must be at least 6 × this. @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /**
   * The most concurrent invocations the event source starts (2-1000).
   * @default 10 - `DEFAULT_CONSUMER_MAX_CONCURRENCY`
   */
  readonly maxConcurrency?: number;
  /**
   * The function's memory in MB. Checked at synth against what a batch with one event of
   * `maxInflatedBytes` may need (lib/consumer-memory.ts): an error if it cannot even hold the
   * bytes, a warning below the estimate. @default 256
   */
  readonly memorySize?: number;
  /** Active X-Ray tracing of the consumer. @default false */
  readonly tracing?: boolean;
  /**
   * The largest a gzip queue message may inflate to, in bytes (`MAX_INFLATED_BYTES`).
   * @default DEFAULT_MAX_INFLATED_BYTES (16 MiB)
   */
  readonly maxInflatedBytes?: number;
}

/**
 * A consumer group's function, fed by its queue with partial batch failure reporting: only the
 * records a batch fails on are received again, and move to the DLQ after `maxReceiveCount`.
 * Each event is claimed in the idempotency table first, so a duplicate has its effect once.
 */
export class EventConsumer extends Construct {
  /** The function that decodes, dedupes and routes each record to its handler. */
  public readonly lambdaFunction: StreamEventsFunction;
  /** The SQS event source mapping that feeds the function from the group's queue. */
  public readonly eventSourceMapping: EventSourceMapping;

  constructor(scope: Construct, id: string, props: EventConsumerProps) {
    super(scope, id);
    const { eventQueue } = props;
    const group = props.group ?? DEFAULT_GROUP_NAME;
    const patterns = props.patterns ?? ['*'];
    const batchSize = props.batchSize ?? DEFAULT_BATCH_SIZE;
    const maxBatchingWindow =
      props.maxBatchingWindow ??
      (eventQueue.fifo ? undefined : Duration.seconds(DEFAULT_MAX_BATCHING_WINDOW_SECONDS));
    const timeout = props.timeout ?? Duration.seconds(DEFAULT_CONSUMER_TIMEOUT_SECONDS);
    const dedupeWindow = props.dedupeWindow ?? Duration.seconds(DEFAULT_DEDUPE_TTL_SECONDS);
    const maxConcurrency = props.maxConcurrency ?? DEFAULT_CONSUMER_MAX_CONCURRENCY;
    const memorySize = props.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB;
    const maxInflatedBytes = props.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
    validate(id, {
      eventQueue,
      group,
      patterns,
      batchSize,
      maxBatchingWindow,
      timeout,
      dedupeWindow,
      maxConcurrency,
      maxInflatedBytes,
    });
    this.checkMemory(id, { memorySize, batchSize, maxInflatedBytes });

    this.lambdaFunction = new StreamEventsFunction(this, 'Function', {
      entry: props.entry ?? DEFAULT_HANDLER_ENTRY,
      description: `Handles Stream events for consumer group "${group}"`,
      memorySize,
      timeout,
      tracing: props.tracing,
      environment: consumerEnv({
        group,
        patterns,
        ordering: eventQueue.fifo ? 'per-entity' : 'none',
        maxInflatedBytes,
        idempotencyTable: props.idempotencyTable.tableName,
        dedupeTtlSeconds: dedupeWindow.toSeconds(),
        // Set by LargeEventBucket.grantResolve, beside its grant.
        largeEventBucket: null,
      }),
    });
    // The table named in the environment, and the claim operations only, on this table only.
    props.idempotencyTable.grant(this.lambdaFunction, ...IDEMPOTENCY_ACTIONS);

    // The mapping is made here rather than by CDK's SqsEventSource, whose grant adds actions the
    // poller never calls; its construct id is SqsEventSource's own, so the logical id is unchanged.
    this.eventSourceMapping = this.lambdaFunction.addEventSourceMapping(
      `SqsEventSource:${Names.nodeUniqueId(eventQueue.queue.node)}`,
      {
        eventSourceArn: eventQueue.queue.queueArn,
        reportBatchItemFailures: true,
        batchSize,
        maxBatchingWindow,
        maxConcurrency,
      },
    );
    grantEventSourcePolling(eventQueue.queue, this.lambdaFunction);
  }

  /**
   * An out-of-memory invocation fails its whole batch, small records too, and after
   * `maxReceiveCount` of them every record is in the DLQ. So memory that cannot even hold one
   * event of `maxInflatedBytes` beside the batch is refused; memory below the estimate of what
   * decoding it may take is only warned about, as the estimate is rounded up from measurements.
   */
  private checkMemory(
    id: string,
    limits: { memorySize: number; batchSize: number; maxInflatedBytes: number },
  ): void {
    const { memorySize, batchSize, maxInflatedBytes } = limits;
    const need = consumerMemoryNeed({ batchSize, maxInflatedBytes });
    if (memorySize < need.leastMb) {
      throw new Error(
        `${id}: memorySize (${memorySize} MB) cannot hold one event inflated to maxInflatedBytes ` +
          `(${maxInflatedBytes} bytes) beside a batch of ${batchSize} records: it needs ` +
          `${need.leastMb} MB at the very least and about ${need.estimateMb} MB to decode it; ` +
          'raise memorySize or lower maxInflatedBytes',
      );
    }
    if (memorySize < need.estimateMb) {
      Annotations.of(this).addWarningV2(
        'stream-events:consumer-memory-tight',
        `memorySize (${memorySize} MB) is below the ${need.estimateMb} MB a batch with one event ` +
          `of ${maxInflatedBytes} bytes may need to decode it (maxInflatedBytes, batch of ` +
          `${batchSize}): such a batch could run out of memory and fail whole. Raise the ` +
          "group's memorySize, or lower maxInflatedBytes.",
      );
    }
  }
}

interface Checked {
  readonly eventQueue: EventQueue;
  readonly group: string;
  readonly patterns: readonly string[];
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration | undefined;
  readonly timeout: Duration;
  readonly dedupeWindow: Duration;
  readonly maxConcurrency: number;
  readonly maxInflatedBytes: number;
}

function validate(id: string, props: Checked): void {
  const { eventQueue, timeout } = props;
  const fail = (message: string): never => {
    throw new Error(`${id}: ${message}`);
  };
  try {
    assertValidGroupName(props.group);
    if (props.patterns.length === 0) throw new Error('patterns must list at least one pattern');
    props.patterns.forEach(assertValidPattern);
  } catch (error) {
    fail((error as Error).message);
  }
  const maxBatch = eventQueue.fifo ? FIFO_MAX_BATCH_SIZE : 10_000;
  if (!Number.isInteger(props.batchSize) || props.batchSize < 1 || props.batchSize > maxBatch) {
    fail(
      `batchSize must be an integer from 1 to ${maxBatch}` +
        `${eventQueue.fifo ? ' on a FIFO queue' : ''}, got ${props.batchSize}`,
    );
  }
  if (eventQueue.fifo && props.maxBatchingWindow !== undefined) {
    fail(
      'maxBatchingWindow cannot be set on a FIFO queue: Lambda supports no batching window there',
    );
  }
  const { maxConcurrency } = props;
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
    fail(`maxConcurrency must be an integer from 2 to 1000, got ${maxConcurrency}`);
  }
  if (!Number.isSafeInteger(props.maxInflatedBytes) || props.maxInflatedBytes <= 0) {
    fail(`maxInflatedBytes must be a positive integer, got ${props.maxInflatedBytes}`);
  }
  const required = visibilityTimeoutFor(timeout).toSeconds();
  const actual = eventQueue.visibilityTimeout.toSeconds();
  if (actual < required) {
    fail(
      `the queue's visibility timeout (${actual} s) must be at least ` +
        `${VISIBILITY_TIMEOUT_FACTOR} × the consumer timeout (${timeout.toSeconds()} s) = ${required} s; ` +
        'create the EventQueue with visibilityTimeout: visibilityTimeoutFor(timeout)',
    );
  }
  const dedupeSeconds = props.dedupeWindow.toSeconds({ integral: false });
  if (!Number.isInteger(dedupeSeconds) || dedupeSeconds < timeout.toSeconds()) {
    fail(
      `dedupeWindow (${dedupeSeconds} s) must be whole seconds and at least the consumer ` +
        `timeout (${timeout.toSeconds()} s), or a claim could expire while its handler still runs`,
    );
  }
}
