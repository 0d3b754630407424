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
import { LARGE_EVENT_PREFIX } from '../lambda/lib/large-event-store.js';
import { acknowledgeNagFindings } from './nag-suppressions.js';

/** The variable the verifier and the consumers read the bucket name from. */
export const LARGE_EVENT_BUCKET_ENV = 'LARGE_EVENT_BUCKET';

export interface LargeEventBucketProps {
  /**
   * How long a stored event is kept. Longer than SQS keeps a message (14 days at most, and a
   * DLQ's age counts from the first enqueue), so a pointer never outlives its object.
   * @default Duration.days(15)
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

  constructor(scope: Construct, id: string, props: LargeEventBucketProps = {}) {
    super(scope, id);
    const expiration = props.expiration ?? Duration.days(15);
    if (expiration.toDays({ integral: false }) <= 14) {
      throw new Error(
        `${id}: expiration must be longer than SQS's 14-day retention, got ${expiration.toHumanString()}`,
      );
    }
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
    fn.addEnvironment(LARGE_EVENT_BUCKET_ENV, this.bucket.bucketName);
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
