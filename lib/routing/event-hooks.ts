/**
 * The `event_hooks` entries a user registers with Stream (app settings) for each delivery path,
 * with the event types derived from a consumer group's patterns. Field names are those of
 * `EventHook` in @stream-io/node-sdk; SQS and SNS use resource auth (`*_auth_type: 'resource'`):
 * Stream's AWS account writes under the queue's or topic's own policy, so no keys and no role.
 *
 * `event_types`: Stream reads an empty list as "every event, including types added later"
 * (https://getstream.io/chat/docs/webhooks_overview/, https://getstream.io/docs/platform/webhooks/),
 * so `*` becomes `[]`. Other patterns become the catalog types they match, because Stream takes
 * literal type names, not patterns.
 */
import type { CatalogEventType } from '../../lambda/lib/domain/event-catalog.js';
import { assertValidPattern } from '../../contract/patterns.js';
import { expandPatterns } from './expand-patterns.js';

export interface SqsEventHook {
  readonly hook_type: 'sqs';
  readonly enabled: true;
  readonly sqs_queue_url: string;
  readonly sqs_region: string;
  readonly sqs_auth_type: 'resource';
  readonly event_types: CatalogEventType[];
}

export interface SnsEventHook {
  readonly hook_type: 'sns';
  readonly enabled: true;
  readonly sns_topic_arn: string;
  readonly sns_region: string;
  readonly sns_auth_type: 'resource';
  readonly event_types: CatalogEventType[];
}

export interface WebhookEventHook {
  readonly hook_type: 'webhook';
  readonly enabled: true;
  readonly webhook_url: string;
  readonly event_types: CatalogEventType[];
}

export type StreamEventHook = SqsEventHook | SnsEventHook | WebhookEventHook;

export class EventHookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventHookError';
  }
}

/**
 * The hook's `event_types` for `patterns`: `[]` (all events) when one of them is `*`, else the
 * catalog types they match. Throws when they match no catalog type, since the empty list would
 * then subscribe the hook to every event instead of none.
 */
export function hookEventTypes(patterns: readonly string[]): CatalogEventType[] {
  patterns.forEach(assertValidPattern);
  if (patterns.length === 0) throw new EventHookError('a hook needs at least one event pattern');
  if (patterns.includes('*')) return [];
  const types = expandPatterns(patterns);
  if (types.length === 0) {
    throw new EventHookError(
      `the patterns ${JSON.stringify(patterns)} match no event type in the catalog; a hook with ` +
        'an empty event_types list would receive every event',
    );
  }
  return types;
}

export function sqsEventHook(props: {
  readonly queueUrl: string;
  readonly region: string;
  readonly patterns: readonly string[];
}): SqsEventHook {
  return {
    hook_type: 'sqs',
    enabled: true,
    sqs_queue_url: props.queueUrl,
    sqs_region: props.region,
    sqs_auth_type: 'resource',
    event_types: hookEventTypes(props.patterns),
  };
}

export function snsEventHook(props: {
  readonly topicArn: string;
  readonly region: string;
  readonly patterns: readonly string[];
}): SnsEventHook {
  return {
    hook_type: 'sns',
    enabled: true,
    sns_topic_arn: props.topicArn,
    sns_region: props.region,
    sns_auth_type: 'resource',
    event_types: hookEventTypes(props.patterns),
  };
}

export function webhookEventHook(props: {
  readonly url: string;
  readonly patterns: readonly string[];
}): WebhookEventHook {
  return {
    hook_type: 'webhook',
    enabled: true,
    webhook_url: props.url,
    event_types: hookEventTypes(props.patterns),
  };
}
