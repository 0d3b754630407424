/**
 * The names the stack gives things and the CLI and the dev pipeline find them by: the stack's
 * default name, the default consumer group, and each group's construct ids and output prefix
 * (both ways). lib/ writes them, cli/ and dev/ read them; neither copies them.
 */

/**
 * The stack's name when cdk.json's context names none (`stackName`), and the root of every
 * CloudWatch namespace the functions count in (`StreamEvents/<stack name>`).
 */
export const DEFAULT_STACK_NAME = 'StreamEvents';

/**
 * The consumer group deployed when `consumers` is left out, taking every event. Its queue and
 * consumer keep the construct ids of the first release, and its outputs carry no prefix.
 */
export const DEFAULT_GROUP_NAME = 'all';

/** A group name the stack cannot use; the message says what a name may be. */
export class InvalidGroupName extends Error {
  constructor(name: string) {
    super(
      `consumer group name "${name}" must be 1-40 characters of a-z, 0-9 and "-", starting with a letter`,
    );
    this.name = 'InvalidGroupName';
  }
}

/** Checks a group name: it becomes part of construct ids, queue names and dedupe keys. */
export function assertValidGroupName(name: string): void {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(name)) throw new InvalidGroupName(name);
}

/**
 * The key prefix of the hook function's claims (pending-message callbacks) in the table the
 * consumers share: the stack grants the function these keys only, and the function claims under
 * them. `:` is outside the group-name alphabet, so no group's claims can meet them.
 */
export const SYNC_HOOK_CLAIMS_PREFIX = 'hook:pending-messages';

/** Construct ids and output-name prefix of a group. */
export interface GroupNames {
  /** The EventQueue's construct id: `Events` for `all` (unchanged since the first release). */
  readonly queueId: string;
  /** The EventConsumer's construct id: `Consumer` for `all`. */
  readonly consumerId: string;
  /** Prefix of the group's outputs: '' for `all` (`QueueUrl`), `ChatMessages` for `chat-messages`. */
  readonly outputPrefix: string;
}

/** A group's construct ids and output prefix: the name in PascalCase (`chat-messages` → `ChatMessages`). */
export function groupNames(name: string): GroupNames {
  if (name === DEFAULT_GROUP_NAME) {
    return { queueId: 'Events', consumerId: 'Consumer', outputPrefix: '' };
  }
  return {
    queueId: `Events-${name}`,
    consumerId: `Consumer-${name}`,
    outputPrefix: name
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join(''),
  };
}

/**
 * The group an output prefix stands for: a name in `known` (the group table) whose prefix it is,
 * else the name spelled back from the prefix (`ChatMessages` → `chat-messages`). Output ids hold
 * only letters and digits, so a dash before a digit or another dash does not survive the trip
 * (`shard-1` and `shard1` both give `Shard1`): only the table can tell those apart, and the stack
 * refuses two groups whose outputs would share a name.
 */
// Stryker disable next-line ArrayDeclaration: equivalent, no group's prefix is Stryker's sentinel text
export function groupNameOfOutputPrefix(prefix: string, known: readonly string[] = []): string {
  const named = known.find((name) => groupNames(name).outputPrefix === prefix);
  if (named !== undefined) return named;
  if (prefix === '') return DEFAULT_GROUP_NAME;
  const spelled = prefix.replace(/(?<!^)([A-Z])/g, '-$1').toLowerCase();
  // `All` is not the default group's prefix (that is ''): it comes from `all-`.
  return spelled === DEFAULT_GROUP_NAME ? `${spelled}-` : spelled;
}
