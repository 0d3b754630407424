import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterOrPolicy, type Subscription, SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SQS_MAX_MESSAGE_BYTES } from '../contract/limits.js';
import { QUEUE_RETENTION } from './event-queue.js';
import { acknowledgeNagFindings } from './nag-suppressions.js';
import { snsFilterPolicyFor } from './routing/sns-filter-policy.js';
import { streamAccountPrincipal } from './stream-account.js';

/** A queue the topic delivers to, and the event patterns its consumer group takes. */
export interface TopicSubscriber {
  /** The consumer group's name (for error messages). */
  readonly group: string;
  /** The group's queue (standard, not FIFO: a standard topic cannot deliver to FIFO queues). */
  readonly queue: IQueue;
  /** The group's event patterns, from which the subscription's filter policy is generated. */
  readonly patterns: readonly string[];
}

export interface StreamTopicProps {
  /** The queues to subscribe, one per consumer group. */
  readonly subscribers: readonly TopicSubscriber[];
  /**
   * Give each subscription a payload filter policy on `type`, generated from its group's
   * patterns. Only safe when Stream publishes plain JSON: a compressed or base64 message cannot be
   * matched, and SNS does not deliver what it cannot match. Off, every group's queue gets every
   * event and each consumer drops (and counts) what is not its own.
   * @default false
   */
  readonly filterPolicies?: boolean;
}

/**
 * The SNS topic Stream publishes to (hook_type `sns`, `sns_auth_type: 'resource'`), encrypted with
 * its own customer-managed key, delivering raw messages to each consumer group's queue through a
 * payload filter policy generated from the group's patterns.
 */
export class StreamTopic extends Construct {
  /**
   * The topic's key. Customer-managed because Stream's account publishes cross-account and must be
   * allowed to use the key in the key policy: the AWS-managed `alias/aws/sns` key's policy cannot
   * be changed, so it can never be used by another account.
   */
  public readonly key: Key;
  /** The topic. */
  public readonly topic: Topic;
  /** One SQS subscription per subscriber, in order. */
  public readonly subscriptions: readonly Subscription[];
  /**
   * Each subscription's dead-letter queue, by consumer group: where SNS puts a message it could
   * not deliver to the group's queue (a policy or key that refuses it, a deleted queue) instead
   * of dropping it once its retries run out. Filtered-out messages are not undelivered.
   */
  public readonly deadLetterQueues: ReadonlyMap<string, Queue>;

  constructor(scope: Construct, id: string, props: StreamTopicProps) {
    super(scope, id);
    const filterPolicies = props.filterPolicies ?? false;
    if (props.subscribers.length === 0) {
      throw new Error(`${id}: subscribers must list at least one queue`);
    }
    for (const { group, queue } of props.subscribers) {
      if (queue.fifo) {
        throw new Error(
          `${id}: the queue of consumer group "${group}" is FIFO; a standard SNS topic cannot deliver to it`,
        );
      }
    }

    this.key = new Key(this, 'Key', {
      description: 'Encrypts the Stream events SNS topic; Stream publishes to it cross-account',
      enableKeyRotation: true,
      // The key protects messages only while SNS holds them for delivery; nothing outlives the
      // topic, so the key goes with the stack (after KMS's deletion waiting period).
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A publisher to an encrypted topic needs GenerateDataKey* and Decrypt on its key. Scoped to
    // calls SNS makes for Stream's account (kms:ViaService) for a topic of this account and region
    // (SNS's encryption context): naming this very topic would make the key and the topic refer
    // to each other, a cycle CloudFormation cannot create. Building its ARN from a fixed topic
    // name would break the cycle, but renaming replaces the topic of every existing stack (a new
    // ARN Stream must be re-pointed at, losing what it publishes meanwhile), for little gain: only
    // a topic this account itself creates with this key could use the statement.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowStreamToPublishToTheTopic',
        principals: [streamAccountPrincipal()],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'], // in a key policy, '*' is this key
        conditions: {
          StringEquals: { 'kms:ViaService': `sns.${Aws.REGION}.${Aws.URL_SUFFIX}` },
          ArnLike: {
            'kms:EncryptionContext:aws:sns:topicArn': `arn:${Aws.PARTITION}:sns:${Aws.REGION}:${Aws.ACCOUNT_ID}:*`,
          },
        },
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      displayName: 'Stream events',
      masterKey: this.key,
      // A Deny on sns:Publish without TLS, for everyone.
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one (which lets the owner account do everything):
    // the owner keeps its access through IAM; Stream's account gets Publish and nothing else.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowStreamToPublish',
        principals: [streamAccountPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
      }),
    );

    const deadLetterQueues = new Map<string, Queue>();
    this.subscriptions = props.subscribers.map(({ group, queue, patterns }) => {
      const policy = filterPolicies ? filterPolicyFor(id, group, patterns) : null;
      const deadLetterQueue = this.undeliveredQueue(group);
      deadLetterQueues.set(group, deadLetterQueue);
      // Adds to the queue's policy, and to the DLQ's: sns:SendMessage from sns.amazonaws.com
      // only with ArnEquals aws:SourceArn = this topic.
      return this.topic.addSubscription(
        new SqsSubscription(queue, {
          // The queue gets the message as Stream wrote it, not wrapped in SNS's JSON envelope
          // (the consumer's decoder reads both).
          rawMessageDelivery: true,
          deadLetterQueue,
          ...(policy !== null && { filterPolicyWithMessageBody: policy }),
        }),
      );
    });
    this.deadLetterQueues = deadLetterQueues;
  }

  /**
   * A subscription's DLQ, encrypted and TLS-only like the group queues. SSE-SQS: SNS writes to
   * it with no key grant. As large as a group queue's messages, and kept as long.
   */
  private undeliveredQueue(group: string): Queue {
    const queue = new Queue(this, `Undelivered-${group}`, {
      retentionPeriod: QUEUE_RETENTION,
      maxMessageSizeBytes: SQS_MAX_MESSAGE_BYTES,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledgeNagFindings(queue, {
      id: 'AwsSolutions-SQS3',
      reason:
        "It is the dead-letter queue of an SNS subscription (the subscription's RedrivePolicy), " +
        'which cdk-nag does not recognise: it only looks for queues and functions naming it',
    });
    return queue;
  }
}

/** The group's payload filter as CDK's typed FilterOrPolicy, or null for no filter (`*`). */
function filterPolicyFor(
  id: string,
  group: string,
  patterns: readonly string[],
): Record<string, FilterOrPolicy> | null {
  let policy: Readonly<Record<string, unknown>> | null;
  try {
    policy = snsFilterPolicyFor(patterns);
  } catch (error) {
    throw new Error(`${id}: consumer group "${group}": ${(error as Error).message}`);
  }
  return policy === null ? null : toFilterOrPolicy(policy);
}

/** A filter policy as JSON → CDK's FilterOrPolicy: an array is a filter, an object nests. */
function toFilterOrPolicy(
  policy: Readonly<Record<string, unknown>>,
): Record<string, FilterOrPolicy> {
  return Object.fromEntries(
    Object.entries(policy).map(([key, value]) => [
      key,
      Array.isArray(value)
        ? FilterOrPolicy.filter(new SubscriptionFilter([...value]))
        : FilterOrPolicy.policy(toFilterOrPolicy(value as Readonly<Record<string, unknown>>)),
    ]),
  );
}
