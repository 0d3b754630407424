import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  DeduplicationScope,
  FifoThroughputLimit,
  Queue,
  QueueEncryption,
  type QueueProps,
} from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_MAX_RECEIVE_COUNT, QUEUE_RETENTION_DAYS } from '../contract/defaults.js';
import { SQS_MAX_MESSAGE_BYTES } from '../contract/limits.js';
import { streamAccountPrincipal } from './stream-account.js';

/** How long SQS keeps a message (the maximum, 14 days), in the queue and in its DLQ. */
export const QUEUE_RETENTION = Duration.days(QUEUE_RETENTION_DAYS);

/**
 * What Stream's account may do on a queue it delivers to directly (hook_type `sqs`): the actions
 * Stream's docs ask for. SQS authorizes SendMessageBatch as SendMessage; it is listed because
 * Stream's docs list it, and it grants nothing more.
 */
export const STREAM_SQS_ACTIONS = [
  'sqs:SendMessage',
  'sqs:SendMessageBatch',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
] as const;

export interface EventQueueProps {
  /** How many receives before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /**
   * How long a received message stays invisible to other consumers. An SQS event source needs at
   * least 6 × its function's timeout (see `visibilityTimeoutFor` in event-consumer.ts).
   * @default Duration.seconds(180), 6 × the consumer's default 30 s timeout
   */
  readonly visibilityTimeout?: Duration;
  /**
   * FIFO queue and DLQ, for per-entity ordering: the sender sets MessageGroupId (the entity) and
   * MessageDeduplicationId (the SHA-256 of the event bytes), so content-based deduplication is
   * off; deduplication is scoped to the message group and throughput is per message group (SQS's
   * high-throughput FIFO mode). Switching an existing queue to or from FIFO replaces it (and its
   * DLQ): messages still in the old queues are lost, so drain them first.
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * Let Stream's AWS account (185583345998) write to the queue directly (hook_type `sqs`,
   * `sqs_auth_type: 'resource'`): a queue policy statement allowing it `STREAM_SQS_ACTIONS` on
   * this queue only. The DLQ never gets it. Stream's direct deliveries carry no signature, so this
   * trusts whatever Stream's account writes here. Not allowed with `fifo`: Stream sets no
   * MessageGroupId, which a FIFO queue requires.
   * @default false
   */
  readonly allowStreamAccount?: boolean;
}

/** The queue a consumer group reads, with its DLQ. */
export class EventQueue extends Construct {
  /** The queue the verifier, and Stream itself (directly or through the topic), write events into. */
  public readonly queue: Queue;
  /** Where a message goes after `maxReceiveCount` failed receives. */
  public readonly deadLetterQueue: Queue;
  /** The queue's visibility timeout, for consumers to check their own timeout against. */
  public readonly visibilityTimeout: Duration;
  /** Whether the queue (and its DLQ) is FIFO. */
  public readonly fifo: boolean;

  constructor(scope: Construct, id: string, props: EventQueueProps = {}) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
    this.visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(180);
    this.fifo = props.fifo ?? false;
    const allowStreamAccount = props.allowStreamAccount ?? false;
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(
        `${id}: maxReceiveCount must be an integer from 1 to 1000, got ${maxReceiveCount}`,
      );
    }
    if (this.fifo && allowStreamAccount) {
      throw new Error(
        `${id}: a FIFO queue cannot take Stream's direct SQS deliveries (Stream sets no ` +
          'MessageGroupId); use fifo or allowStreamAccount, not both',
      );
    }

    // SSE-SQS rather than KMS: Stream's AWS account (direct SQS delivery) writes to this queue
    // cross-account, and the AWS-managed key (alias/aws/sqs) cannot be granted to another account;
    // a customer-managed key would add cost and a key policy for no gain here, since SQS already
    // encrypts at rest with SSE-SQS. SNS delivers to SSE-SQS queues with no key grant either.
    const common: QueueProps = {
      retentionPeriod: QUEUE_RETENTION,
      // Stream events can exceed the 256 KiB default; the verifier sends larger ones to S3.
      maxMessageSizeBytes: SQS_MAX_MESSAGE_BYTES,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      ...(this.fifo && {
        fifo: true,
        contentBasedDeduplication: false,
        deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
        fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      }),
    };
    this.deadLetterQueue = new Queue(this, 'Dead', common);
    this.queue = new Queue(this, 'Queue', {
      // Set explicitly: Stream events can exceed 256 KiB, the limit older queues and docs assume.
      // (aws-cdk-lib 2.276 validates 1 KiB to 1 MiB, so 1 MiB needs no escape hatch.)
      ...common,
      visibilityTimeout: this.visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });

    if (allowStreamAccount) {
      this.queue.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AllowStreamDirectDelivery',
          principals: [streamAccountPrincipal()],
          actions: [...STREAM_SQS_ACTIONS],
          resources: [this.queue.queueArn],
        }),
      );
    }
  }
}
