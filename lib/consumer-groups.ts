import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import { assertValidPattern } from '../contract/patterns.js';
import { assertValidGroupName, DEFAULT_GROUP_NAME } from '../contract/names.js';
import { DEFAULT_HANDLER_ENTRY } from './event-consumer.js';
import { REPO_ROOT } from './node-function.js';

/**
 * A consumer group: the event types it takes and the handler file that handles them. Each group
 * gets its own queue, DLQ and consumer function, so a slow or failing handler holds up only its
 * own group. The groups are the single routing table: the verifier's fan-out, each group's SNS
 * filter policy and each Stream hook's `event_types` are all derived from them.
 */
export interface ConsumerGroupProps {
  /**
   * The group's name: 1-40 of a-z, 0-9 and '-', starting with a letter. It is part of every
   * dedupe key and names the group's construct ids and outputs (`chat-messages` →
   * `Events-chat-messages`, `ChatMessagesQueueUrl`), so renaming a group replaces its queue.
   */
  readonly name: string;
  /**
   * The event patterns the group takes: exact types (`reaction.new`), dotted prefixes
   * (`message.*`) or `*` for every event. An event goes to every group that takes it.
   */
  readonly events: readonly string[];
  /**
   * The handler file, relative to the repository root (or absolute), exporting `handler` (and
   * `handlers`); see lambda/handlers/index.ts.
   * @default 'lambda/handlers/index.ts' (every example handler)
   */
  readonly entry?: string;
  /** Records per invocation (1-10000; 1-10 with per-entity ordering). @default - the stack's `batchSize` */
  readonly batchSize?: number;
  /**
   * The most concurrent invocations of the group's consumer (2-1000): a bound, so one busy group
   * cannot take the account's Lambda concurrency from the verifier and the hooks.
   * @default 10
   */
  readonly maxConcurrency?: number;
  /**
   * The consumer's memory in MB (128-10240), checked at synth against the largest event it may
   * have to decode (see lib/consumer-memory.ts). @default 256
   */
  readonly memorySize?: number;
  /** How long the event source gathers records. @default - the stack's `maxBatchingWindow` */
  readonly maxBatchingWindow?: Duration;
  /** The consumer's timeout; its queue's visibility timeout is 6 × this. @default - the stack's `consumerTimeout` */
  readonly timeout?: Duration;
}

/** One group, `all`, taking every event with every example handler. */
export const DEFAULT_CONSUMER_GROUPS: readonly ConsumerGroupProps[] = Object.freeze([
  { name: DEFAULT_GROUP_NAME, events: ['*'], entry: DEFAULT_HANDLER_ENTRY },
]);

/** Construct ids and output-name prefix of a group. */
export interface GroupNames {
  /** The EventQueue's construct id: `Events` for `all` (unchanged since the first release). */
  readonly queueId: string;
  /** The EventConsumer's construct id: `Consumer` for `all`. */
  readonly consumerId: string;
  /** Prefix of the group's outputs: '' for `all` (`QueueUrl`), `ChatMessages` for `chat-messages`. */
  readonly outputPrefix: string;
}

export function groupNames(name: string): GroupNames {
  if (name === DEFAULT_GROUP_NAME)
    return { queueId: 'Events', consumerId: 'Consumer', outputPrefix: '' };
  return {
    queueId: `Events-${name}`,
    consumerId: `Consumer-${name}`,
    outputPrefix: name
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join(''),
  };
}

/** The entry's absolute path: relative entries start at the repository root. */
export function entryPath(entry: string, repoRoot: string = REPO_ROOT): string {
  return isAbsolute(entry) ? entry : join(repoRoot, entry);
}

/**
 * Checks the table at synth, with the offending group named in each message: at least one
 * group; unique, valid names; at least one valid pattern each; an existing entry file.
 */
export function checkConsumerGroups(
  groups: readonly ConsumerGroupProps[],
  repoRoot: string = REPO_ROOT,
): void {
  if (groups.length === 0) {
    throw new Error(
      'consumers must list at least one consumer group (or be left out for the default)',
    );
  }
  const seen = new Map<string, number>();
  groups.forEach((group, index) => {
    const where = `consumers[${index}]`;
    const fail = (message: string): never => {
      throw new Error(`${where} ("${group.name}"): ${message}`);
    };
    try {
      assertValidGroupName(group.name);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
    const first = seen.get(group.name);
    if (first !== undefined) {
      fail(`the name is already used by consumers[${first}]; group names must be unique`);
    }
    seen.set(group.name, index);

    if (!Array.isArray(group.events) || group.events.length === 0) {
      fail(
        'events must list at least one event pattern, e.g. "message.*" (or "*" for every event)',
      );
    }
    for (const pattern of group.events) {
      try {
        assertValidPattern(pattern);
      } catch (error) {
        fail((error as Error).message);
      }
    }

    const entry = group.entry ?? DEFAULT_HANDLER_ENTRY;
    if (entry.trim() === '') fail('entry must name a handler file, or be left out');
    const path = entryPath(entry, repoRoot);
    if (!existsSync(path) || !statSync(path).isFile()) {
      fail(
        `entry "${entry}" is not a file (looked for ${path}; a relative entry starts at the ` +
          'repository root)',
      );
    }
  });
}
