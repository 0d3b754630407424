import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The largest message SQS accepts: 1 MiB. The verifier sends larger bodies to S3 instead. */
export const MAX_QUEUE_MESSAGE_BYTES = 1_048_576;

/** How long SQS keeps a message (the maximum, 14 days), in the queue and in its DLQ. */
const RETENTION = Duration.days(14);

export interface EventQueueProps {
  /** How many receives before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /**
   * How long a received message stays invisible to other consumers. An SQS event source needs at
   * least 6 × its function's timeout (see `visibilityTimeoutFor` in event-consumer.ts).
   * @default Duration.seconds(180), 6 × the consumer's default 30 s timeout
   */
  readonly visibilityTimeout?: Duration;
}

/** The queue a consumer group reads, with its DLQ. */
export class EventQueue extends Construct {
  /** The queue the verifier (and, later, Stream itself) writes events into. */
  public readonly queue: Queue;
  /** Where a message goes after `maxReceiveCount` failed receives. */
  public readonly deadLetterQueue: Queue;
  /** The queue's visibility timeout, for consumers to check their own timeout against. */
  public readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: EventQueueProps = {}) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 5;
    this.visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(180);
    if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000) {
      throw new Error(
        `${id}: maxReceiveCount must be an integer from 1 to 1000, got ${maxReceiveCount}`,
      );
    }

    // SSE-SQS rather than the AWS-managed KMS key (alias/aws/sqs): Stream's AWS account will write
    // to this queue cross-account, and the AWS-managed key's policy cannot grant another account.
    this.deadLetterQueue = new Queue(this, 'Dead', {
      retentionPeriod: RETENTION,
      maxMessageSizeBytes: MAX_QUEUE_MESSAGE_BYTES,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      // Set explicitly: Stream events can exceed 256 KiB, the limit older queues and docs assume.
      // (aws-cdk-lib 2.276 validates 1 KiB to 1 MiB, so 1 MiB needs no escape hatch.)
      maxMessageSizeBytes: MAX_QUEUE_MESSAGE_BYTES,
      retentionPeriod: RETENTION,
      visibilityTimeout: this.visibilityTimeout,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
  }
}
