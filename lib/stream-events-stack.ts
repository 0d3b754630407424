import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import { EventConsumer, visibilityTimeoutFor } from './event-consumer.js';
import { EventQueue } from './event-queue.js';
import { StreamSecret } from './stream-secret.js';
import { WebhookIngress } from './webhook-ingress.js';

export interface StreamEventsStackProps extends StackProps {
  /**
   * An existing Secrets Manager secret (name or complete ARN) with the Stream API secret(s).
   * @default - a new secret whose value is `{}`, to fill in after deploy
   */
  readonly existingSecret?: string;
  /** How many receives before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /** Records per consumer invocation. @default 10 */
  readonly batchSize?: number;
  /** How long the consumer's event source gathers records. @default Duration.seconds(1) */
  readonly maxBatchingWindow?: Duration;
  /** The consumer's timeout; the queue's visibility timeout is 6 × this. @default Duration.seconds(30) */
  readonly consumerTimeout?: Duration;
  /** The largest webhook body accepted, in bytes. @default 6_000_000 */
  readonly maxBodyBytes?: number;
  /** The largest a gzip webhook body may inflate to, in bytes. @default 16_777_216 */
  readonly maxInflatedBytes?: number;
  /** Throttling of the webhook API. @default { rateLimit: 1000, burstLimit: 2000 } */
  readonly webhookThrottle?: ThrottleSettings;
}

/** Stream webhooks in, verified, queued, and handled by one consumer group ('all'). */
export class StreamEventsStack extends Stack {
  public readonly streamSecret: StreamSecret;
  public readonly eventQueue: EventQueue;
  public readonly ingress: WebhookIngress;
  public readonly consumer: EventConsumer;

  constructor(scope: Construct, id: string, props: StreamEventsStackProps = {}) {
    super(scope, id, props);
    const consumerTimeout = props.consumerTimeout ?? Duration.seconds(30);

    this.streamSecret = new StreamSecret(this, 'StreamSecret', {
      existingSecret: props.existingSecret,
    });
    this.eventQueue = new EventQueue(this, 'Events', {
      maxReceiveCount: props.maxReceiveCount,
      visibilityTimeout: visibilityTimeoutFor(consumerTimeout),
    });
    this.ingress = new WebhookIngress(this, 'Webhook', {
      queue: this.eventQueue.queue,
      secret: this.streamSecret.secret,
      maxBodyBytes: props.maxBodyBytes,
      maxInflatedBytes: props.maxInflatedBytes,
      throttle: props.webhookThrottle,
    });
    this.consumer = new EventConsumer(this, 'Consumer', {
      eventQueue: this.eventQueue,
      group: 'all',
      batchSize: props.batchSize,
      maxBatchingWindow: props.maxBatchingWindow,
      timeout: consumerTimeout,
    });

    new CfnOutput(this, 'WebhookUrl', {
      description: "The Stream app's webhook URL (hook_type webhook)",
      value: this.ingress.webhookUrl,
    });
    new CfnOutput(this, 'QueueUrl', {
      description: 'The events queue (hook_type sqs: sqs_url)',
      value: this.eventQueue.queue.queueUrl,
    });
    new CfnOutput(this, 'QueueArn', {
      description: 'ARN of the events queue',
      value: this.eventQueue.queue.queueArn,
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      description: 'Events that failed maxReceiveCount times',
      value: this.eventQueue.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'SecretArn', {
      description: 'Secret to hold {"<stream api key>": "<api secret>"}',
      value: this.streamSecret.secret.secretArn,
    });
  }
}
