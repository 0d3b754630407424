import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { largeEventBucketEnv } from '../contract/env/common.js';
import { LARGE_EVENT_PREFIX } from '../lambda/lib/domain/large-event-store.js';
import { QUEUE_RETENTION } from './event-queue.js';
import { addEnvironment } from './function-environment.js';
import { acknowledgeNagFindings } from './nag-suppressions.js';

/**
 * The longest a pointer message can live, computed from the queues' own retention: in a group
 * queue, then in its DLQ (a standard DLQ keeps the first enqueue time, but a FIFO DLQ restarts
 * the clock, so both count), and all of that again after one redrive (a moved or copied message
 * is a new message with a new enqueue time). A second redrive of the same message can outlive its
 * object: the consumer then fails the record as unresolvable, and it returns to the DLQ.
 */
export const LONGEST_POINTER_LIFE = Duration.days(2 * (QUEUE_RETENTION.toDays() * 2));

/** A day past the longest pointer life: the object is written just before its pointer is sent. */
const DEFAULT_EXPIRATION = Duration.days(LONGEST_POINTER_LIFE.toDays() + 1);

export interface LargeEventBucketProps {
  /**
   * How long a stored event is kept: longer than `LONGEST_POINTER_LIFE` (56 days), so a pointer,
   * redriven once, never outlives its object.
   * @default Duration.days(57)
   */
  readonly expiration?: Duration;
}

/**
 * Where the verifier stores events too large for a queue message, the message carrying a pointer
 * (claim check). Private, SSE-S3, TLS only, emptied by lifecycle: nothing deletes an object when
 * it is handled, since every group reads the same one.
 */
export class LargeEventBucket extends Construct {
  public readonly bucket: Bucket;
  /** How long an object is kept before the lifecycle rule deletes it. */
  public readonly expiration: Duration;

  constructor(scope: Construct, id: string, props: LargeEventBucketProps = {}) {
    super(scope, id);
    const expiration = props.expiration ?? DEFAULT_EXPIRATION;
    const longest = LONGEST_POINTER_LIFE.toDays();
    if (expiration.toDays({ integral: false }) <= longest) {
      throw new Error(
        `${id}: expiration must be longer than the ${longest} days a pointer message can live ` +
          `(queue and DLQ, then both again after one redrive), got ${expiration.toHumanString()}`,
      );
    }
    this.expiration = expiration;
    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      lifecycleRules: [{ expiration, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      // RETAIN: `cdk destroy` must not drop events still queued; the bucket empties itself
      // through the lifecycle rule, and is then deleted by hand.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNagFindings(this.bucket, {
      id: 'AwsSolutions-S1',
      reason:
        'Objects are transient copies of queued events, written only by the verifier and read ' +
        'by the consumers; CloudTrail S3 data events are the audit trail to turn on if needed',
    });
  }

  /** The verifier: the bucket's name, and s3:PutObject under the events prefix only. */
  public grantStore(fn: LambdaFunction): void {
    this.grant(fn, 's3:PutObject');
  }

  /** A consumer: the bucket's name, and s3:GetObject under the events prefix only. */
  public grantResolve(fn: LambdaFunction): void {
    this.grant(fn, 's3:GetObject');
  }

  private grant(fn: LambdaFunction, action: string): void {
    addEnvironment(fn, largeEventBucketEnv(this.bucket.bucketName));
    const resource = this.bucket.arnForObjects(`${LARGE_EVENT_PREFIX}*`);
    fn.addToRolePolicy(new PolicyStatement({ actions: [action], resources: [resource] }));
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    acknowledgeNagFindings(fn, {
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${LARGE_EVENT_PREFIX}*]`,
      reason:
        'Object keys are made per event (events/<date>/<uuid>); the grant is one action on the ' +
        "events prefix of this stack's own large-event bucket",
    });
  }
}
