import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import type { Ordering } from '../contract/env/consumer.js';
import {
  DEFAULT_CONSUMER_TIMEOUT_SECONDS,
  DEFAULT_DEDUPE_TTL_SECONDS,
} from '../contract/defaults.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../contract/limits.js';
import { type ConsumerGroupProps } from './consumer-groups.js';
import { DEFAULT_CONSUMER_GROUPS, checkConsumerGroups } from '../contract/consumer-groups.js';
import { DEFAULT_GROUP_NAME, groupNames } from '../contract/names.js';
import { eventHooksSqsOutputKey, groupOutputKey, STACK_OUTPUT } from '../contract/stack-outputs.js';
import { EventConsumer, visibilityTimeoutFor } from './event-consumer.js';
import { eventHookOutputs } from './event-hook-outputs.js';
import { EventQueue } from './event-queue.js';
import type { AlarmOptions } from './alarms.js';
import { IdempotencyTable } from './idempotency-table.js';
import { LargeEventBucket } from './large-event-bucket.js';
import {
  EventHookError,
  snsEventHook,
  sqsEventHook,
  type StreamEventHook,
  webhookEventHook,
} from './routing/event-hooks.js';
import { patternsMatchingNothing } from './routing/expand-patterns.js';
import { Observability } from './observability.js';
import { metricNamespaceEnv, metricNamespaceFor } from '../contract/env/metrics.js';
import { addEnvironment } from './function-environment.js';
import { StreamSecret } from './stream-secret.js';
import { StreamTopic } from './stream-topic.js';
import { SyncHooks } from './sync-hooks.js';
import { WebhookIngress } from './webhook-ingress.js';

/**
 * The ways Stream can deliver events; each one switched off removes what only it needs. Only the
 * webhook is on by default, because it is the only path whose deliveries are signed: with resource
 * auth, any Stream app whose owner learns a queue URL or topic ARN can have Stream's AWS account
 * write to it, and nothing in those deliveries proves which app sent them. Switch on the direct
 * paths you register (they survive an outage of your API, which is why Stream recommends them).
 */
export interface DeliveryPaths {
  /**
   * Stream POSTs to an HTTP endpoint; the verifier checks each signature (hook_type `webhook`).
   * Off: no HTTP API, verifier or secret.
   * @default true
   */
  readonly webhook?: boolean;
  /**
   * Stream writes into each group's queue directly (hook_type `sqs`, resource auth). Off: no
   * statement for Stream's account in the queue policies.
   * @default false
   */
  readonly sqs?: boolean;
  /**
   * Stream publishes to an SNS topic that fans out to the group queues through filter policies
   * (hook_type `sns`, resource auth). Off: no topic, key or subscriptions.
   * @default false
   */
  readonly sns?: boolean;
}

/** Stream's synchronous Chat hooks (lib/sync-hooks.ts), served on the webhook's HTTP API. */
export interface SyncHooksOptions {
  /**
   * Deploy the hook routes and function. Needs the webhook path (its HTTP API and secret): true
   * with `paths.webhook` off fails at synth; false keeps a webhook stack without the hooks.
   * @default - `paths.webhook` (on when the webhook path is on)
   */
  readonly enabled?: boolean;
  /**
   * The hooks file, relative to the repository root (or absolute), exporting `hooks` and
   * `handler = syncHooksHandler(hooks)`; see lambda/handlers/sync-hooks.ts.
   * @default 'lambda/handlers/sync-hooks.ts' (the examples)
   */
  readonly entry?: string;
  /**
   * How long user code may run before the hook answers on its own, in ms (1-5000, below the hook
   * function's 3 s timeout). @default 1000 - `DEFAULT_HOOK_BUDGET_MS`
   */
  readonly budgetMs?: number;
  /** Warm instances behind an alias `live` the routes invoke. @default 0 - none */
  readonly provisionedConcurrency?: number;
  /**
   * Concurrent executions reserved for the hook function (at least `provisionedConcurrency`).
   * @default - none: it shares the account's pool
   */
  readonly reservedConcurrency?: number;
}

/** Whether events of one entity (channel, call, feed) are handled in order. */
export type { Ordering };

export interface StreamEventsStackProps extends StackProps {
  /**
   * The consumer groups: the single routing table. See `ConsumerGroupProps`.
   * @default DEFAULT_CONSUMER_GROUPS: one group, `all`, taking every event (`*`) with every
   *   example handler (lambda/handlers/index.ts)
   */
  readonly consumers?: readonly ConsumerGroupProps[];
  /** Which delivery paths to deploy. @default { webhook: true, sqs: false, sns: false } */
  readonly paths?: DeliveryPaths;
  /**
   * SNS payload filter policies on `type`, generated from each group's patterns. Stream's SDKs
   * disagree on whether an uncompressed SNS message is raw JSON or base64 of JSON, a compressed
   * one is base64 of gzip, and SNS silently does not deliver a message its filter cannot match.
   * So this is off unless you know the app publishes plain JSON: then every group's queue gets
   * every event and each consumer drops (and counts) what is not its own; the result is the same,
   * only the cost differs.
   * @default false
   */
  readonly snsFilterPolicies?: boolean;
  /**
   * `per-entity`: the group queues and DLQs are FIFO; the verifier sets MessageGroupId from the
   * event's channel / call / feed id and MessageDeduplicationId from the SHA-256 of the event
   * bytes, and each consumer handles a message group's records in order, stopping that group at
   * its first failure. Webhook path only: Stream's direct SQS and SNS deliveries set no
   * MessageGroupId (as far as its docs and SDKs show), which a FIFO queue requires, so
   * `per-entity` with `paths.sqs` or `paths.sns` on fails at synth. Switching an existing stack
   * between `none` and `per-entity` replaces every group's queue and DLQ: drain them first. FIFO
   * queues also take at most 10 records per batch and no batching window.
   * @default 'none'
   */
  readonly ordering?: Ordering;
  /**
   * How long a handled event's claim keeps duplicates out (the idempotency record's TTL). At
   * least the longest consumer timeout.
   * @default Duration.hours(24)
   */
  readonly dedupeWindow?: Duration;
  /**
   * Refuse (400 `event_too_old`) a webhook delivery whose `created_at` is older than this when it
   * arrives: the defence against a signed body replayed after its claim left `dedupeWindow`, so
   * at most `dedupeWindow`. Checked by the verifier only: a message already queued (redriven, or
   * left in a queue) is never refused for its age. Events without a readable `created_at` pass.
   * @default - off: any age is accepted
   */
  readonly maxEventAge?: Duration;
  /**
   * An existing Secrets Manager secret (name or complete ARN) with the Stream API secret(s).
   * Webhook path only.
   * @default - a new secret whose value is `{}`, to fill in after deploy
   */
  readonly secret?: string;
  /** How many receives before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /** Records per consumer invocation, for groups that set none. @default 10 */
  readonly batchSize?: number;
  /**
   * How long each consumer's event source gathers records, for groups that set none.
   * @default Duration.seconds(1); none with per-entity ordering (FIFO)
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * The consumers' timeout, for groups that set none; a queue's visibility timeout is 6 × its
   * consumer's. @default Duration.seconds(30)
   */
  readonly consumerTimeout?: Duration;
  /**
   * The largest webhook or hook body accepted, in bytes; at most what API Gateway can hand a
   * function (contract/limits.ts `LARGEST_ARRIVING_BODY_BYTES`): more fails at synth.
   * @default 4_669_440 - everything that can arrive
   */
  readonly maxBodyBytes?: number;
  /**
   * The largest a gzip webhook body or queue message may inflate to, in bytes.
   * @default DEFAULT_MAX_INFLATED_BYTES (16 MiB)
   */
  readonly maxInflatedBytes?: number;
  /** Throttling of the webhook API. @default { rateLimit: 1000, burstLimit: 2000 } */
  readonly throttle?: ThrottleSettings;
  /**
   * Concurrent executions reserved for the verifier, out of the account's pool, so consumers
   * cannot starve it (they are bounded by `maxConcurrency` per group too). Also its ceiling:
   * size it above the peak of concurrent deliveries. Webhook path only.
   * @default - none: the verifier shares the account's pool
   */
  readonly verifierReservedConcurrency?: number;
  /**
   * Active X-Ray tracing for every function (verifier, hooks, consumers): each invocation's
   * segments, sampled by X-Ray, and on each role the two X-Ray calls on `*`. The HTTP API (an
   * HTTP API, not REST) starts no trace of its own. Costs X-Ray's traces recorded and read.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Source addresses (IPv4/IPv6 CIDRs) the webhook and hook routes accept; any other caller gets
   * 403. `streamEgressCidrs()` (lib/source-allowlist.ts) returns Stream's published list.
   * @default - none: any source (the signature decides)
   */
  readonly sourceIpAllowlist?: readonly string[];
  /**
   * Before Message Send, Custom Commands and Pending Messages on the webhook's HTTP API.
   * @default - on when the webhook path is on
   */
  readonly syncHooks?: SyncHooksOptions;
  /**
   * The alarms' thresholds and an optional e-mail subscription to their topic (lib/alarms.ts).
   * @default - DLQ ≥ 1, oldest message > 15 min, 5xx ≥ 5 and bad signatures ≥ 20 in 5 min; no e-mail
   */
  readonly alarms?: AlarmOptions;
}

/** A consumer group's resources. */
export interface ConsumerGroup {
  readonly name: string;
  readonly patterns: readonly string[];
  readonly eventQueue: EventQueue;
  readonly consumer: EventConsumer;
}

/**
 * Stream events in by webhook (verified), direct SQS and SNS; fanned out to consumer groups, each
 * with its queue, DLQ and consumer; handled once per group through a shared idempotency table.
 */
export class StreamEventsStack extends Stack {
  /** The consumer groups, in the order of `consumers`. */
  public readonly consumerGroups: readonly ConsumerGroup[];
  /** The claims table every group dedupes in. */
  public readonly idempotencyTable: IdempotencyTable;
  /** The secret with the Stream API secret(s) (webhook path only). */
  public readonly streamSecret?: StreamSecret;
  /** The HTTP API and verifier (webhook path only). */
  public readonly ingress?: WebhookIngress;
  /** The topic Stream publishes to (sns path only). */
  public readonly topic?: StreamTopic;
  /** The synchronous hooks' routes and function (on with the webhook path unless disabled). */
  public readonly syncHooks?: SyncHooks;
  /** The alarms, their SNS topic and the CloudWatch dashboard. */
  public readonly observability: Observability;
  /** Events too large for a queue message (webhook path only: the verifier is its one writer). */
  public readonly largeEvents?: LargeEventBucket;

  constructor(scope: Construct, id: string, props: StreamEventsStackProps = {}) {
    super(scope, id, props);
    const paths = {
      webhook: props.paths?.webhook ?? true,
      sqs: props.paths?.sqs ?? false,
      sns: props.paths?.sns ?? false,
    };
    const ordering: Ordering = props.ordering ?? 'none';
    const consumers: readonly ConsumerGroupProps[] = props.consumers ?? DEFAULT_CONSUMER_GROUPS;
    const consumerTimeout =
      props.consumerTimeout ?? Duration.seconds(DEFAULT_CONSUMER_TIMEOUT_SECONDS);
    const maxInflatedBytes = props.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
    checkStackProps(paths, ordering);
    const syncHooksOn = props.syncHooks?.enabled ?? paths.webhook;
    if (syncHooksOn && !paths.webhook) {
      throw new Error(
        "syncHooks: the synchronous hooks are served by the webhook path's HTTP API and verified " +
          'with its secret, and paths.webhook is off; turn the webhook path on, or set ' +
          'syncHooks: { enabled: false }',
      );
    }
    checkConsumerGroups(consumers);
    if (!paths.webhook && props.secret !== undefined) {
      Annotations.of(this).addWarningV2(
        'stream-events:secret-unused',
        'secret is ignored: the webhook path, the only one that verifies signatures, is off',
      );
    }
    if (!paths.webhook && props.verifierReservedConcurrency !== undefined) {
      Annotations.of(this).addWarningV2(
        'stream-events:reservation-unused',
        'verifierReservedConcurrency is ignored: the verifier exists only with the webhook path, ' +
          'which is off',
      );
    }
    checkMaxEventAge(props.maxEventAge, props.dedupeWindow);
    if (!paths.webhook && props.maxEventAge !== undefined) {
      Annotations.of(this).addWarningV2(
        'stream-events:max-event-age-unused',
        'maxEventAge is ignored: only the verifier checks it, and the webhook path is off',
      );
    }
    if (!paths.webhook && props.sourceIpAllowlist !== undefined) {
      Annotations.of(this).addWarningV2(
        'stream-events:allowlist-unused',
        'sourceIpAllowlist is ignored: only the webhook path (HTTP API) sees source addresses, ' +
          'and it is off; SQS and SNS deliveries are authorized by resource policy',
      );
    }
    for (const group of consumers) {
      const unmatched = patternsMatchingNothing(group.events);
      if (unmatched.length === 0) continue;
      Annotations.of(this).addWarningV2(
        'stream-events:pattern-matches-nothing',
        `consumer group "${group.name}": ${unmatched.map((p) => JSON.stringify(p)).join(', ')} ` +
          `${unmatched.length === 1 ? 'matches' : 'match'} no event type in the catalog: a ` +
          'typo, or a custom type the SDK does not declare. Such an event is still routed when ' +
          "it arrives, but the Stream hooks' event_types, built from the catalog, leave it out.",
      );
    }

    this.idempotencyTable = new IdempotencyTable(this, 'Idempotency');
    this.consumerGroups = consumers.map((group) => {
      const { queueId, consumerId } = groupNames(group.name);
      const timeout = group.timeout ?? consumerTimeout;
      const eventQueue = new EventQueue(this, queueId, {
        maxReceiveCount: props.maxReceiveCount,
        visibilityTimeout: visibilityTimeoutFor(timeout),
        fifo: ordering === 'per-entity',
        allowStreamAccount: paths.sqs,
      });
      const consumer = new EventConsumer(this, consumerId, {
        eventQueue,
        idempotencyTable: this.idempotencyTable.table,
        dedupeWindow: props.dedupeWindow,
        group: group.name,
        patterns: group.events,
        entry: group.entry,
        batchSize: group.batchSize ?? props.batchSize,
        maxBatchingWindow: group.maxBatchingWindow ?? props.maxBatchingWindow,
        maxConcurrency: group.maxConcurrency,
        memorySize: group.memorySize,
        timeout,
        maxInflatedBytes,
        tracing: props.tracing,
      });
      return { name: group.name, patterns: group.events, eventQueue, consumer };
    });

    if (paths.webhook) {
      this.streamSecret = new StreamSecret(this, 'StreamSecret', {
        existingSecret: props.secret,
      });
      this.ingress = new WebhookIngress(this, 'Webhook', {
        routes: this.consumerGroups.map(({ name, patterns, eventQueue }) => ({
          group: name,
          patterns,
          queue: eventQueue.queue,
        })),
        secret: this.streamSecret.secret,
        maxBodyBytes: props.maxBodyBytes,
        maxInflatedBytes,
        throttle: props.throttle,
        sourceIpAllowlist: props.sourceIpAllowlist,
        maxEventAge: props.maxEventAge,
        reservedConcurrency: props.verifierReservedConcurrency,
        tracing: props.tracing,
      });
      this.largeEvents = new LargeEventBucket(this, 'LargeEvents');
      this.largeEvents.grantStore(this.ingress.verifier);
      for (const { consumer } of this.consumerGroups) {
        this.largeEvents.grantResolve(consumer.lambdaFunction);
      }
      if (syncHooksOn) {
        this.syncHooks = new SyncHooks(this, 'SyncHooks', {
          api: this.ingress.api,
          secret: this.streamSecret.secret,
          idempotencyTable: this.idempotencyTable.table,
          dedupeWindow: props.dedupeWindow,
          entry: props.syncHooks?.entry,
          budgetMs: props.syncHooks?.budgetMs,
          provisionedConcurrency: props.syncHooks?.provisionedConcurrency,
          reservedConcurrency: props.syncHooks?.reservedConcurrency,
          tracing: props.tracing,
          maxBodyBytes: props.maxBodyBytes,
          maxInflatedBytes,
          sourceIpAllowlist: props.sourceIpAllowlist,
        });
      }
    }
    if (paths.sns) {
      this.topic = new StreamTopic(this, 'Topic', {
        subscribers: this.consumerGroups.map(({ name, patterns, eventQueue }) => ({
          group: name,
          patterns,
          queue: eventQueue.queue,
        })),
        filterPolicies: props.snsFilterPolicies,
      });
    }

    // One namespace per stack, so two stacks in one account and region (staging and prod) count
    // apart: written into each function that counts, and read by the alarms and the dashboard.
    const metricNamespace = metricNamespaceFor(this.stackName);
    for (const fn of [
      this.ingress?.verifier,
      ...this.consumerGroups.map(({ consumer }) => consumer.lambdaFunction),
    ]) {
      if (fn !== undefined) addEnvironment(fn, metricNamespaceEnv(metricNamespace));
    }
    this.observability = new Observability(this, 'Observability', {
      metricNamespace,
      groups: this.consumerGroups.map(({ name, eventQueue, consumer }) => ({
        name,
        queue: eventQueue.queue,
        deadLetterQueue: eventQueue.deadLetterQueue,
        topicDeadLetterQueue: this.topic?.deadLetterQueues.get(name),
        consumer: consumer.lambdaFunction,
      })),
      webhook: this.ingress && { stage: this.ingress.stage, verifier: this.ingress.verifier },
      hooks: this.syncHooks?.handler,
      alarms: props.alarms,
    });

    this.addOutputs(paths);
  }

  private addOutputs(paths: Required<DeliveryPaths>): void {
    if (this.ingress !== undefined && this.streamSecret !== undefined) {
      this.output(
        STACK_OUTPUT.webhookUrl,
        "The Stream app's webhook URL (hook_type webhook)",
        this.ingress.webhookUrl,
      );
      this.output(
        STACK_OUTPUT.secretArn,
        'Secret to hold {"<stream api key>": "<api secret>"}',
        this.streamSecret.secret.secretArn,
      );
    }
    if (this.largeEvents !== undefined) {
      this.output(
        STACK_OUTPUT.largeEventBucketName,
        'Bucket holding events too large for a queue message (expire after ' +
          `${this.largeEvents.expiration.toDays()} days)`,
        this.largeEvents.bucket.bucketName,
      );
    }
    if (this.syncHooks !== undefined) {
      this.output(
        STACK_OUTPUT.beforeMessageSendUrl,
        'Before Message Send: the app setting before_message_send_hook_url',
        this.syncHooks.beforeMessageSendUrl,
      );
      this.output(
        STACK_OUTPUT.customCommandsUrl,
        'Custom Commands: the app setting custom_action_handler_url, with ?type={type} appended ' +
          '(Stream puts the command name there)',
        this.syncHooks.customCommandsUrl,
      );
      this.output(
        STACK_OUTPUT.pendingMessagesUrl,
        'Pending Messages: webhook_url of the pending_message hook (callback mode REST); Stream ' +
          'appends /PassOnPendingMessage and /DeletedPendingMessage',
        this.syncHooks.pendingMessagesUrl,
      );
    }
    for (const { name, eventQueue } of this.consumerGroups) {
      const group = name === DEFAULT_GROUP_NAME ? '' : `Consumer group "${name}": `;
      this.output(
        groupOutputKey(name, 'queueUrl'),
        `${group || 'The '}events queue (hook_type sqs: sqs_queue_url)`,
        eventQueue.queue.queueUrl,
      );
      this.output(
        groupOutputKey(name, 'queueArn'),
        `${group}ARN of the events queue`,
        eventQueue.queue.queueArn,
      );
      this.output(
        groupOutputKey(name, 'deadLetterQueueUrl'),
        `${group}Events that failed maxReceiveCount times`,
        eventQueue.deadLetterQueue.queueUrl,
      );
      // Not "…DeadLetterQueueUrl": the CLI reads those as a group's own queue pair.
      const undelivered = this.topic?.deadLetterQueues.get(name);
      if (undelivered !== undefined) {
        this.output(
          groupOutputKey(name, 'topicDeadLettersUrl'),
          `${group}Events the SNS topic could not deliver to the group queue`,
          undelivered.queueUrl,
        );
      }
    }
    this.output(
      STACK_OUTPUT.alarmTopicArn,
      'SNS topic every alarm notifies: subscribe to it',
      this.observability.alarms.topic.topicArn,
    );
    this.output(
      STACK_OUTPUT.dashboardUrl,
      'The CloudWatch dashboard',
      this.observability.dashboardUrl,
    );
    if (this.topic !== undefined) {
      this.output(
        STACK_OUTPUT.topicArn,
        'The SNS topic Stream publishes to (hook_type sns: sns_topic_arn)',
        this.topic.topic.topicArn,
      );
    }

    // The event_hooks entries to register in the Stream app's settings: one output per hook
    // (see eventHookOutputs for a hook too long for one output value).
    const allPatterns = unionOfPatterns(this.consumerGroups.map((group) => group.patterns));
    if (this.ingress !== undefined) {
      const url = this.ingress.webhookUrl;
      this.hookOutput(STACK_OUTPUT.eventHooksWebhook, 'the webhook', () =>
        webhookEventHook({ url, patterns: allPatterns }),
      );
    }
    if (this.topic !== undefined) {
      const topicArn = this.topic.topic.topicArn;
      this.hookOutput(STACK_OUTPUT.eventHooksSns, 'the SNS topic', () =>
        snsEventHook({ topicArn, region: this.region, patterns: allPatterns }),
      );
    }
    if (paths.sqs) {
      for (const { name, patterns, eventQueue } of this.consumerGroups) {
        const queueUrl = eventQueue.queue.queueUrl;
        this.hookOutput(eventHooksSqsOutputKey(name), `consumer group "${name}"'s queue`, () =>
          sqsEventHook({ queueUrl, region: this.region, patterns }),
        );
      }
    }
  }

  /** A stack output, with a clear error when a group name makes two outputs share an id. */
  private output(outputId: string, description: string, value: string): void {
    if (this.node.tryFindChild(outputId) !== undefined) {
      throw new Error(
        `${this.node.id}: two outputs would be named "${outputId}"; output names are derived from ` +
          'consumer group names, so rename the group that clashes',
      );
    }
    new CfnOutput(this, outputId, { description, value });
  }

  /**
   * The outputs holding one hook's `event_hooks` entries as a JSON array. A hook whose patterns
   * match no catalog type cannot be written (an empty `event_types` would mean every event):
   * warn instead, naming the hook to register by hand.
   */
  private hookOutput(outputId: string, target: string, build: () => StreamEventHook): void {
    let hook: StreamEventHook;
    try {
      hook = build();
    } catch (error) {
      if (!(error instanceof EventHookError)) throw error;
      Annotations.of(this).addWarningV2(
        'stream-events:no-event-hook',
        `no ${outputId} output: ${error.message}. Register the hook for ${target} by hand, ` +
          'with the custom event types it should receive.',
      );
      return;
    }
    for (const { id: partId, part, parts, hooks } of eventHookOutputs(outputId, hook)) {
      this.output(
        partId,
        `Stream event_hooks entries (JSON array) for ${target}` +
          (parts > 1 ? `: part ${part} of ${parts}, register every part` : ''),
        this.toJsonString(hooks),
      );
    }
  }
}

/** Rejects combinations that cannot work, with what to change. */
function checkStackProps(paths: Required<DeliveryPaths>, ordering: Ordering): void {
  if (!paths.webhook && !paths.sqs && !paths.sns) {
    throw new Error('paths: every delivery path is off; turn on at least one of webhook, sqs, sns');
  }
  if (ordering !== 'none' && ordering !== 'per-entity') {
    throw new Error(`ordering must be 'none' or 'per-entity', got ${JSON.stringify(ordering)}`);
  }
  if (ordering === 'per-entity' && (paths.sqs || paths.sns)) {
    const on = [paths.sqs && 'sqs', paths.sns && 'sns'].filter(Boolean).join(' and ');
    throw new Error(
      `ordering 'per-entity' needs FIFO queues, which take only messages with a MessageGroupId; ` +
        `Stream's direct SQS and SNS deliveries set none, so the ${on} path(s) cannot feed them. ` +
        'Use per-entity ordering with the webhook path only: paths: { sqs: false, sns: false }',
    );
  }
}

/** Every group's patterns together: `['*']` when a group takes everything. */
function unionOfPatterns(patternLists: readonly (readonly string[])[]): string[] {
  const all = [...new Set(patternLists.flat())];
  return all.includes('*') ? ['*'] : all;
}

/**
 * A signed body replayed after its claim expired runs again unless it is refused for its age, so
 * an age limit longer than the dedupe window would leave that gap open.
 */
function checkMaxEventAge(maxEventAge: Duration | undefined, dedupeWindow: Duration | undefined) {
  if (maxEventAge === undefined) return;
  const ageSeconds = maxEventAge.toSeconds({ integral: false });
  const windowSeconds = (dedupeWindow ?? Duration.seconds(DEFAULT_DEDUPE_TTL_SECONDS)).toSeconds({
    integral: false,
  });
  if (ageSeconds > windowSeconds) {
    throw new Error(
      `maxEventAge (${ageSeconds} s) must not be longer than dedupeWindow (${windowSeconds} s): ` +
        'a replay older than the window but younger than maxEventAge would run again',
    );
  }
}
