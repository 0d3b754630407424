/**
 * The consumer-group table: what a group is, the default table, and the checks the synth, the
 * dev pipeline and the CLI all make before using one. CDK-free: durations are seconds here, and
 * lib/consumer-groups.ts maps a group onto the stack's props (CDK Durations).
 */
import { entryFileProblem, REPO_ROOT } from './entry-file.js';
import { assertValidGroupName, DEFAULT_GROUP_NAME } from './names.js';
import { assertValidPattern } from './patterns.js';

/** The handler file of the default group: every example handler, merged. */
export const DEFAULT_HANDLER_ENTRY = 'lambda/handlers/index.ts';

/**
 * A consumer group: the event types it takes and the handler file that handles them. Each group
 * gets its own queue, DLQ and consumer function, so a slow or failing handler holds up only its
 * own group. The groups are the single routing table: the verifier's fan-out, each group's SNS
 * filter policy and each Stream hook's `event_types` are all derived from them.
 */
export interface ConsumerGroupEntry {
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
}

/** A consumer group's settings as cdk.json's `consumers` holds them: durations in seconds. */
export interface ConsumerGroupSettings extends ConsumerGroupEntry {
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
  /** Seconds the event source gathers records. @default - the stack's `maxBatchingWindow` */
  readonly maxBatchingWindow?: number;
  /** The consumer's timeout in seconds; its queue's visibility timeout is 6 × this. @default - the stack's `consumerTimeout` */
  readonly timeout?: number;
}

/** One group, `all`, taking every event with every example handler. */
export const DEFAULT_CONSUMER_GROUPS: readonly ConsumerGroupEntry[] = Object.freeze([
  { name: DEFAULT_GROUP_NAME, events: ['*'], entry: DEFAULT_HANDLER_ENTRY },
]);

/**
 * Checks a table, with the offending group named in each message: at least one group; unique,
 * valid names; at least one valid pattern each; an existing entry file. The synth runs it, and so
 * do `npm run dev` and the CLI, so a table fails the same way wherever it is read.
 */
export function checkConsumerGroups(
  groups: readonly ConsumerGroupEntry[],
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

    const problem = entryFileProblem(group.entry ?? DEFAULT_HANDLER_ENTRY, repoRoot);
    if (problem !== null) fail(problem);
  });
}
