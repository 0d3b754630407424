import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  BAD_SIGNATURE_REASON,
  DEFAULT_METRIC_NAMESPACE,
  rejectedMetric,
} from './stream-events-metrics.js';

/** What the alarms watch and when they fire; every field has a default. */
export interface AlarmOptions {
  /**
   * An address the alarm topic mails (SNS sends a confirmation mail first).
   * @default - no subscription: subscribe to the topic yourself
   */
  readonly email?: string;
  /** A group queue whose oldest message is older than this is stuck. @default Duration.minutes(15) */
  readonly oldestMessageAge?: Duration;
  /** Rejected signatures in 5 minutes that raise the alarm. @default 20 */
  readonly badSignatures?: number;
  /** HTTP API 5xx answers in 5 minutes that raise the alarm. @default 5 */
  readonly serverErrors?: number;
}

/** A consumer group's queues, as the alarms see them. */
export interface AlarmedGroup {
  readonly name: string;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** Where the SNS topic puts what it could not deliver to the group's queue (sns path only). */
  readonly topicDeadLetterQueue?: Queue;
}

export interface StreamEventsAlarmsProps extends AlarmOptions {
  readonly groups: readonly AlarmedGroup[];
  /**
   * The namespace the functions count in (their `POWERTOOLS_METRICS_NAMESPACE`).
   * @default `StreamEvents` (`DEFAULT_METRIC_NAMESPACE`), the functions' own default
   */
  readonly metricNamespace?: string;
  /** The webhook API's stage (webhook path only): its 5xx and the rejected signatures. */
  readonly apiStage?: HttpStage;
}

const FIVE_MINUTES = Duration.minutes(5);
const ONE_MINUTE = Duration.minutes(1);
/** A plain address check: enough to catch a typo or a list; SNS's confirmation does the rest. */
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/**
 * The stack's alarms, all sending to one SNS topic (alarm and back to OK): per consumer group,
 * a DLQ that is not empty and a queue whose oldest message is too old; with the webhook path, the
 * HTTP API answering 5xx and a spike of rejected signatures. No data (an idle queue, no traffic)
 * counts as not breaching.
 */
export class StreamEventsAlarms extends Construct {
  /** The topic every alarm notifies; subscribe to it (e-mail, chat, paging). */
  public readonly topic: Topic;
  /** The key that encrypts the topic (CloudWatch may use it to publish). */
  public readonly key: Key;
  /** The e-mail subscription, when `email` is set. */
  public readonly emailSubscription?: Subscription;
  /** Every alarm, by a short name (`dlq-<group>`, `age-<group>`, `server-errors`, ...). */
  public readonly alarms: ReadonlyMap<string, Alarm>;

  constructor(scope: Construct, id: string, props: StreamEventsAlarmsProps) {
    super(scope, id);
    const oldestMessageAge = props.oldestMessageAge ?? Duration.minutes(15);
    const badSignatures = props.badSignatures ?? 20;
    const serverErrors = props.serverErrors ?? 5;
    const metricNamespace = props.metricNamespace ?? DEFAULT_METRIC_NAMESPACE;
    if (props.email !== undefined && !EMAIL.test(props.email)) {
      throw new Error(
        `${id}: email must be one e-mail address, got ${JSON.stringify(props.email)}`,
      );
    }
    if (oldestMessageAge.toSeconds() < 60) {
      throw new Error(`${id}: oldestMessageAge must be at least 1 minute`);
    }
    assertPositiveInteger(id, 'badSignatures', badSignatures);
    assertPositiveInteger(id, 'serverErrors', serverErrors);

    this.key = new Key(this, 'Key', {
      description: 'Encrypts the Stream events alarm topic',
      enableKeyRotation: true,
      // Alarm notifications are transient: nothing outlives the topic.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes to an encrypted topic only if the key lets it, and (the topic having
    // its own policy) only if the topic does too; both scoped to alarms of this account and region.
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: {
        'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
      },
    };
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'], // in a key policy, '*' is this key
        conditions: fromOurAlarms,
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'Stream events alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    if (props.email !== undefined) {
      this.emailSubscription = new Subscription(this, 'Email', {
        topic: this.topic,
        protocol: SubscriptionProtocol.EMAIL,
        endpoint: props.email,
      });
    }

    const alarms = new Map<string, Alarm>();
    const action = new SnsAction(this.topic);
    const add = (name: string, alarmId: string, options: AlarmSpec): void => {
      const alarm = new Alarm(this, alarmId, {
        metric: options.metric,
        threshold: options.threshold,
        comparisonOperator: options.comparison,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: options.description,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      alarms.set(name, alarm);
    };

    for (const group of props.groups) {
      add(`dlq-${group.name}`, `DeadLetters-${group.name}`, {
        metric: group.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: ONE_MINUTE,
          statistic: 'Maximum',
        }),
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description:
          `Consumer group "${group.name}": events failed every attempt and are in its DLQ. ` +
          `Fix the cause, then \`npx stream-events redrive --group ${group.name}\`.`,
      });
      if (group.topicDeadLetterQueue !== undefined) {
        add(`topic-dlq-${group.name}`, `TopicDeadLetters-${group.name}`, {
          metric: group.topicDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: ONE_MINUTE,
            statistic: 'Maximum',
          }),
          threshold: 1,
          comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          description:
            `The SNS topic could not deliver events to consumer group "${group.name}"'s queue ` +
            '(its queue policy or the queue itself changed?); they wait in the subscription ' +
            'dead-letter queue: fix the cause, then move them to the group queue.',
        });
      }
      add(`age-${group.name}`, `OldestMessage-${group.name}`, {
        metric: group.queue.metricApproximateAgeOfOldestMessage({
          period: ONE_MINUTE,
          statistic: 'Maximum',
        }),
        threshold: oldestMessageAge.toSeconds(),
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
        description:
          `Consumer group "${group.name}": its oldest queued event is older than ` +
          `${oldestMessageAge.toHumanString()}: the consumer is failing, throttled or too slow.`,
      });
    }

    if (props.apiStage !== undefined) {
      add('server-errors', 'ServerErrors', {
        metric: props.apiStage.metricServerError({ period: FIVE_MINUTES }),
        threshold: serverErrors,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description:
          'The webhook API answered 5xx: Stream retries, but events are late or lost if it lasts ' +
          '(secret missing, SQS failing, the verifier timing out).',
      });
      add('bad-signatures', 'BadSignatures', {
        metric: rejectedMetric(metricNamespace, BAD_SIGNATURE_REASON, FIVE_MINUTES),
        threshold: badSignatures,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description:
          'Many webhook requests with a wrong X-Signature: someone is probing the endpoint, or ' +
          "the secret no longer matches the Stream app's.",
      });
    }
    this.alarms = alarms;
  }
}

interface AlarmSpec {
  readonly metric: IMetric;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  readonly description: string;
}

function assertPositiveInteger(id: string, name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`${id}: ${name} must be a positive whole number, got ${value}`);
  }
}
