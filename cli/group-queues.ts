/**
 * Where each consumer group's queue and dead-letter queue are, for the commands that operate them
 * (`status`, `redrive`): the deployed stack's outputs (read by stack-outputs.ts, with
 * CloudFormation DescribeStacks or from the file `cdk deploy --outputs-file` writes), or, with
 * `--local`, the dev pipeline's embedded SQS server, where a group's queues are
 * `stream-events-<group>` and `stream-events-<group>-dlq`.
 *
 * The deployed stack is the default: these commands act on real queues only when asked by name or
 * by flag, never because of a variable left in a shell. `--local` has to be said.
 */
import { join } from 'node:path';
import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SQSClient,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import { QUEUE_NAME_PREFIX } from '../dev/queue-names.js';
import { DEFAULT_CONSUMER_GROUPS } from '../contract/consumer-groups.js';
import { cdkJsonSettings } from '../contract/context.js';
import { groupNameOfOutputPrefix } from '../contract/names.js';
import { outputPrefixOf, prefixedOutputKey } from '../contract/stack-outputs.js';
import { CommandError, UsageError } from './command.js';
import {
  loadStackOutputs,
  outputsSourceFrom,
  STACK_OPTIONS,
  STACK_OPTIONS_HELP,
  type OutputsSource,
  type StackOutputsDeps,
} from './stack-outputs.js';

/** `parseArgs` options shared by the commands that find the queues. */
export const QUEUE_SOURCE_OPTIONS = {
  ...STACK_OPTIONS,
  local: { type: 'boolean' },
  'sqs-endpoint': { type: 'string' },
} as const;

export const QUEUE_SOURCE_HELP = `${STACK_OPTIONS_HELP}

The dev pipeline instead (\`npm run dev\`):
  --local                its embedded SQS server, where a group's queues are
                         stream-events-<group> and stream-events-<group>-dlq
  --sqs-endpoint <url>   that server (implies --local; default http://127.0.0.1:$SQS_PORT,
                         SQS_PORT 9324)`;

type Env = Readonly<Record<string, string | undefined>>;

/** The deployed stack (the default), or the dev pipeline's SQS server. */
export type QueueSource = OutputsSource | { readonly kind: 'local'; readonly endpoint: string };

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** Reads the source options; contradictory or malformed ones are a usage error. */
export function queueSourceFrom(
  values: {
    readonly stack?: string;
    readonly 'outputs-file'?: string;
    readonly region?: string;
    readonly local?: boolean;
    readonly 'sqs-endpoint'?: string;
  },
  env: Env,
): QueueSource {
  const local = values.local === true || values['sqs-endpoint'] !== undefined;
  if (local) {
    const stackOnly = (['stack', 'outputs-file', 'region'] as const).filter(
      (name) => values[name] !== undefined,
    );
    if (stackOnly.length > 0) {
      throw new UsageError(
        `--${stackOnly.join(', --')} name a deployed stack; --local / --sqs-endpoint the dev ` +
          'pipeline: choose one',
      );
    }
    const endpoint = values['sqs-endpoint'] ?? `http://127.0.0.1:${env.SQS_PORT || '9324'}`;
    if (!isUrl(endpoint)) throw new UsageError(`--sqs-endpoint ${endpoint} is not a URL`);
    return { kind: 'local', endpoint };
  }
  return outputsSourceFrom(values).source;
}

/** One consumer group's pair of queues. */
export interface GroupQueues {
  readonly group: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/** What was read, for the user and for `--json`. */
export type SourceInfo =
  | {
      readonly kind: 'stack';
      readonly stack: string;
      /** `CloudFormation <region>, <status>`, or the outputs file's path. */
      readonly origin: string;
      /** The outputs file, when they were read from one. */
      readonly outputsFile?: string;
    }
  | { readonly kind: 'local'; readonly endpoint: string };

export function describeSource(source: SourceInfo): string {
  return source.kind === 'local'
    ? `dev SQS server ${source.endpoint}`
    : `stack ${source.stack} (${source.outputsFile ? `outputs from ${source.outputsFile}` : source.origin})`;
}

export interface LocatedQueues {
  readonly source: SourceInfo;
  /** Every group found, in the stack's (or the server's) order. */
  readonly groups: readonly GroupQueues[];
  /** An SQS client for these queues. */
  readonly sqs: SQSClient;
  /** The region the queues are in, when known (CloudWatch reads from the same one). */
  readonly region: string | null;
  /** Destroys the clients this module created (not those passed in). */
  close(): void;
}

export interface GroupQueuesDeps extends Pick<StackOutputsDeps, 'describeStack'> {
  /** The SQS client to use; the caller keeps ownership. @default a new one for the source */
  readonly sqs?: SQSClient;
  /** Where cdk.json is (for the default stack name and the group names). @default the repo root */
  readonly repoRoot?: string;
}

/** A group's table entry, as `events` and the output names need it. */
export interface TableGroup {
  readonly name: string;
  readonly patterns: readonly string[];
}

export interface GroupTable {
  readonly stackName: string;
  readonly groups: readonly TableGroup[];
}

/**
 * The stack name and consumer-group table as the stack reads them: cdk.json's `"context"`
 * (contract/context.ts, as bin/app.ts reads it), else the defaults (stack `StreamEvents`, one
 * group `all` taking `*`).
 */
export async function loadGroupTable(repoRoot?: string): Promise<GroupTable> {
  try {
    const { stackName, settings } = cdkJsonSettings(repoRoot);
    const consumers = settings.consumers ?? DEFAULT_CONSUMER_GROUPS;
    return {
      stackName,
      groups: consumers.map((group) => ({ name: group.name, patterns: group.events })),
    };
  } catch (error) {
    throw new CommandError(`cdk.json: ${(error as Error).message}`, { cause: error });
  }
}

/** The error's code as the SDK or Node reports it. */
export function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : String(error);
}

/** True when the SDK never got an answer (refused, reset, DNS, timeout): nobody there. */
export function isConnectionError(error: unknown): boolean {
  return /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|EAI_AGAIN|TimeoutError|RequestTimeout)$/.test(
    errorCode(error),
  );
}

/** An AWS error the user can act on, as one line; anything else is left to the caller. */
export function awsProblem(error: unknown): string | null {
  const name = (error as { name?: unknown } | null)?.name;
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return (
      'no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and ' +
      'AWS_SECRET_ACCESS_KEY), or use --local for the dev pipeline'
    );
  }
  if (/Region is missing/i.test(message)) {
    return 'no AWS region: pass --region or set AWS_REGION';
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException') {
    return 'your AWS session has expired: sign in again (aws sso login, ...)';
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException') {
    return `access denied: ${message}`;
  }
  return null;
}

/** The region in an SQS queue URL (`https://sqs.<region>.amazonaws.com/...`), if it has one. */
export function regionOfQueueUrl(url: string): string | null {
  try {
    return /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(new URL(url).hostname)?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * The groups named by a stack's outputs: `QueueUrl` / `DeadLetterQueueUrl` for `all`,
 * `<Prefix>QueueUrl` / `<Prefix>DeadLetterQueueUrl` for the others, where the prefix is the
 * group's name in PascalCase (contract/names.ts `groupNames`). Names come from the group table
 * when one of its groups has that prefix; otherwise from the prefix itself.
 */
export function groupsFromOutputs(
  outputs: Readonly<Record<string, string>>,
  table: readonly Pick<TableGroup, 'name'>[],
): GroupQueues[] {
  const known = table.map((group) => group.name);
  const groups: GroupQueues[] = [];
  for (const [key, deadLetterQueueUrl] of Object.entries(outputs)) {
    const prefix = outputPrefixOf(key, 'deadLetterQueueUrl');
    if (prefix === undefined) continue;
    const queueUrl = outputs[prefixedOutputKey(prefix, 'queueUrl')];
    if (queueUrl === undefined) continue;
    groups.push({ group: groupNameOfOutputPrefix(prefix, known), queueUrl, deadLetterQueueUrl });
  }
  return groups;
}

/** The group table's names, for naming groups back from output prefixes; none if unreadable. */
async function tableNames(repoRoot: string | undefined): Promise<readonly TableGroup[]> {
  try {
    return (await loadGroupTable(repoRoot)).groups;
  } catch {
    // A cdk.json broken since the deploy must not stop reading the deployed stack.
    return [];
  }
}

async function locateInStack(source: OutputsSource, deps: GroupQueuesDeps): Promise<LocatedQueues> {
  const [stack, table] = await Promise.all([
    loadStackOutputs(source, {
      describeStack: deps.describeStack,
      ...(deps.repoRoot !== undefined ? { cdkJsonPath: join(deps.repoRoot, 'cdk.json') } : {}),
    }),
    tableNames(deps.repoRoot),
  ]);
  const info: SourceInfo = {
    kind: 'stack',
    stack: stack.stackName,
    origin: stack.origin,
    ...(source.kind === 'file' ? { outputsFile: source.path } : {}),
  };
  const groups = groupsFromOutputs(stack.outputs, table);
  if (groups.length === 0) {
    throw new CommandError(
      `${describeSource(info)} has no queue outputs (QueueUrl, DeadLetterQueueUrl): is it a ` +
        'stream-events stack, and is its deployment complete?',
    );
  }
  const region =
    (source.kind === 'stack' ? source.region : undefined) ??
    groups.map((group) => regionOfQueueUrl(group.queueUrl)).find(Boolean) ??
    null;
  const sqs = deps.sqs ?? new SQSClient(region ? { region } : {});
  return {
    source: info,
    groups,
    sqs,
    region,
    close: () => {
      if (deps.sqs === undefined) sqs.destroy();
    },
  };
}

export function localSqsClient(endpoint: string): SQSClient {
  return new SQSClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
  });
}

function cannotReachDevSqs(endpoint: string, error: unknown): CommandError {
  return new CommandError(
    `cannot reach the dev SQS server at ${endpoint} (${errorCode(error)}): is \`npm run dev\` ` +
      'running? Point --sqs-endpoint (or SQS_PORT) at its sqs_endpoint',
    { cause: error },
  );
}

/**
 * The dev pipeline's groups: every queue `stream-events-<group>` (`.fifo` with per-entity
 * ordering) whose DLQ `stream-events-<group>-dlq` is there too.
 */
async function locateLocally(endpoint: string, deps: GroupQueuesDeps): Promise<LocatedQueues> {
  const sqs = deps.sqs ?? localSqsClient(endpoint);
  const close = () => {
    if (deps.sqs === undefined) sqs.destroy();
  };
  try {
    const urls: string[] = [];
    let token: string | undefined;
    do {
      const page = await sqs.send(
        new ListQueuesCommand({
          QueueNamePrefix: QUEUE_NAME_PREFIX,
          MaxResults: 1000,
          NextToken: token,
        }),
      );
      urls.push(...(page.QueueUrls ?? []));
      token = page.NextToken;
    } while (token);
    const byName = new Map(urls.map((url) => [url.slice(url.lastIndexOf('/') + 1), url]));
    const groups: GroupQueues[] = [];
    for (const [name, queueUrl] of byName) {
      const fifo = name.endsWith('.fifo') ? '.fifo' : '';
      const base = name.slice(0, name.length - fifo.length);
      const deadLetterQueueUrl = byName.get(`${base}-dlq${fifo}`);
      if (deadLetterQueueUrl === undefined) continue;
      groups.push({ group: base.slice(QUEUE_NAME_PREFIX.length), queueUrl, deadLetterQueueUrl });
    }
    groups.sort((a, b) => a.group.localeCompare(b.group));
    if (groups.length === 0) {
      throw new CommandError(
        `no group queues (${QUEUE_NAME_PREFIX}<group> and ${QUEUE_NAME_PREFIX}<group>-dlq) at ` +
          `${endpoint}: is it the dev pipeline's SQS server?`,
      );
    }
    return { source: { kind: 'local', endpoint }, groups, sqs, region: null, close };
  } catch (error) {
    close();
    if (isConnectionError(error)) throw cannotReachDevSqs(endpoint, error);
    throw error;
  }
}

/** Finds every group's queue and DLQ at `source`. Call `close()` on the result when done. */
export async function locateGroupQueues(
  source: QueueSource,
  deps: GroupQueuesDeps = {},
): Promise<LocatedQueues> {
  return source.kind === 'local'
    ? locateLocally(source.endpoint, deps)
    : locateInStack(source, deps);
}

/** All groups, or the one `--group` names: an unknown name is an error listing the groups. */
export function selectGroups(located: LocatedQueues, group: string | undefined): GroupQueues[] {
  if (group === undefined) return [...located.groups];
  const found = located.groups.find((entry) => entry.group === group);
  if (found === undefined) {
    throw new CommandError(
      `no consumer group "${group}" in ${describeSource(located.source)}; groups: ` +
        located.groups.map((entry) => entry.group).join(', '),
    );
  }
  return [found];
}

/** A queue's name: the last segment of its URL. */
export function queueNameOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

/**
 * Reads queue attributes, turning the errors a user can act on into a `CommandError` (a queue
 * deleted under the stack, the dev server gone, credentials).
 */
export async function queueAttributes(
  located: LocatedQueues,
  queueUrl: string,
  names: readonly QueueAttributeName[],
): Promise<Partial<Record<QueueAttributeName, string>>> {
  try {
    const { Attributes = {} } = await located.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }),
    );
    return Attributes;
  } catch (error) {
    throw sqsProblem(located, error, `GetQueueAttributes ${queueNameOf(queueUrl)}`);
  }
}

/** An SQS call's failure as the one line to show (the call named when nothing better is known). */
export function sqsProblem(located: LocatedQueues, error: unknown, call: string): Error {
  if (error instanceof CommandError) return error;
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue') {
    return new CommandError(
      `${call}: the queue does not exist (deleted outside the stack, or a dev server restarted?)`,
      { cause: error },
    );
  }
  if (isConnectionError(error)) {
    return located.source.kind === 'local'
      ? cannotReachDevSqs(located.source.endpoint, error)
      : new CommandError(`${call}: cannot reach SQS (${errorCode(error)})`, { cause: error });
  }
  const problem = awsProblem(error);
  if (problem !== null) return new CommandError(problem, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new CommandError(`${call}: ${errorCode(error)}: ${message}`, { cause: error });
}

/** A count attribute as a number (SQS sends them as strings); 0 when missing. */
export function countOf(attributes: Partial<Record<string, string>>, name: string): number {
  const value = Number(attributes[name] ?? '0');
  return Number.isFinite(value) ? value : 0;
}

/**
 * Messages waiting to be received (ApproximateNumberOfMessages). local-aws-sqs, the dev
 * pipeline's server, counts in-flight messages there too, where SQS does not: locally they are
 * taken out again (the emulator's own move task does the same), so both read alike. Needs
 * ApproximateNumberOfMessagesNotVisible among the attributes read.
 */
export function waitingCount(
  located: Pick<LocatedQueues, 'source'>,
  attributes: Partial<Record<string, string>>,
): number {
  const visible = countOf(attributes, 'ApproximateNumberOfMessages');
  if (located.source.kind !== 'local') return visible;
  return Math.max(0, visible - countOf(attributes, 'ApproximateNumberOfMessagesNotVisible'));
}
