/**
 * The stack's output keys: lib/stream-events-stack.ts writes them, the CLI reads them (from
 * CloudFormation or `cdk deploy --outputs-file`). A renamed key here renames both sides.
 */
import { groupNames } from './names.js';

/** The stack's own outputs, one each. */
export const STACK_OUTPUT = {
  /** The webhook URL to register in Stream (hook_type webhook). */
  webhookUrl: 'WebhookUrl',
  /** The secret holding `{"<api key>": "<api secret>"}`. */
  secretArn: 'SecretArn',
  largeEventBucketName: 'LargeEventBucketName',
  beforeMessageSendUrl: 'BeforeMessageSendUrl',
  customCommandsUrl: 'CustomCommandsUrl',
  pendingMessagesUrl: 'PendingMessagesUrl',
  alarmTopicArn: 'AlarmTopicArn',
  dashboardUrl: 'DashboardUrl',
  /** The SNS topic Stream publishes to (hook_type sns). */
  topicArn: 'TopicArn',
  /** The `event_hooks` entries (JSON) for the webhook, and for the topic. */
  eventHooksWebhook: 'EventHooksWebhook',
  eventHooksSns: 'EventHooksSns',
} as const;

/** Each consumer group's outputs: the group's output prefix (`groupNames`) and one of these. */
export const GROUP_OUTPUT = {
  queueUrl: 'QueueUrl',
  queueArn: 'QueueArn',
  deadLetterQueueUrl: 'DeadLetterQueueUrl',
  /** Events the SNS topic could not deliver to the group's queue (sns path only). */
  topicDeadLettersUrl: 'TopicDeadLettersUrl',
} as const;

export type GroupOutput = keyof typeof GROUP_OUTPUT;

/** A group's output key: `QueueUrl` for `all`, `ChatMessagesQueueUrl` for `chat-messages`. */
export function groupOutputKey(group: string, output: GroupOutput): string {
  return prefixedOutputKey(groupNames(group).outputPrefix, output);
}

/** The `output` key of the group whose output prefix is `prefix`. */
export function prefixedOutputKey(prefix: string, output: GroupOutput): string {
  return `${prefix}${GROUP_OUTPUT[output]}`;
}

/** The group output prefix in `key` when it is some group's `output`, else undefined. */
export function outputPrefixOf(key: string, output: GroupOutput): string | undefined {
  const suffix = GROUP_OUTPUT[output];
  return key.endsWith(suffix) ? key.slice(0, key.length - suffix.length) : undefined;
}

/** The start of each group's SQS `event_hooks` output, which its output prefix ends. */
const EVENT_HOOKS_SQS = 'EventHooksSqs';

/** A group's SQS `event_hooks` output: `EventHooksSqs` for `all`, `EventHooksSqsChatMessages`. */
export function eventHooksSqsOutputKey(group: string): string {
  return `${EVENT_HOOKS_SQS}${groupNames(group).outputPrefix}`;
}

/**
 * The key of part `part` of a hook's outputs: the hook's own key for the first, `<key>PartN` for
 * the others (a hook too long for one output value is split, lib/event-hook-outputs.ts).
 */
export function eventHookOutputPartKey(key: string, part: number): string {
  return part === 1 ? key : `${key}Part${part}`;
}

/** An `event_hooks` output key, read back. */
export interface EventHookOutputKey {
  /** The hook's own key (part 1). */
  readonly key: string;
  readonly path: 'webhook' | 'sns' | 'sqs';
  /** The group's output prefix (sqs only; '' for `all` and for the other paths). */
  readonly groupPrefix: string;
  readonly part: number;
}

/** What an output key says about a hook, or null when it holds none. */
export function parseEventHookOutputKey(key: string): EventHookOutputKey | null {
  const match = /^(.*?)(?:Part(\d+))?$/.exec(key);
  const base = match?.[1] ?? key;
  const part = match?.[2] === undefined ? 1 : Number(match[2]);
  if (base === STACK_OUTPUT.eventHooksWebhook)
    return { key: base, path: 'webhook', groupPrefix: '', part };
  if (base === STACK_OUTPUT.eventHooksSns) return { key: base, path: 'sns', groupPrefix: '', part };
  if (base.startsWith(EVENT_HOOKS_SQS)) {
    return { key: base, path: 'sqs', groupPrefix: base.slice(EVENT_HOOKS_SQS.length), part };
  }
  return null;
}
