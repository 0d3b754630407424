/**
 * `stream-events status`: per consumer group, how many events wait in its queue, how many a
 * consumer holds, how many failed into its dead-letter queue, and how old the oldest is.
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { QueueAttributeName } from '@aws-sdk/client-sqs';
import {
  EXIT_OK,
  defineCommand,
  parseOptions,
  wantsJson,
  writeJson,
  type Command,
} from './command.js';
import {
  countOf,
  describeSource,
  errorCode,
  locateGroupQueues,
  QUEUE_SOURCE_HELP,
  QUEUE_SOURCE_OPTIONS,
  queueAttributes,
  queueNameOf,
  queueSourceFrom,
  selectGroups,
  type GroupQueues,
  type GroupQueuesDeps,
  type LocatedQueues,
  type SourceInfo,
  waitingCount,
} from './group-queues.js';
import { formatTable } from './progress.js';
import { DEFAULT_STACK_NAME } from '../contract/names.js';
import { commandInfo } from './command-list.js';

const HELP = `Usage: stream-events status [--group <group>] [--json] [source options]

Per consumer group: events waiting in its queue, events a consumer is handling (in flight), events
in its dead-letter queue (DLQ), and the age of the oldest message in each. A line warns about
every DLQ that is not empty; the exit code stays 0 (use --json and its "warnings" in scripts).

The ages come from CloudWatch (metric ApproximateAgeOfOldestMessage, the latest value of the last
5 minutes, so up to a few minutes old). Where CloudWatch cannot be read (the dev pipeline, or no
permission) they show n/a; the counts do not depend on it.

Options:
  --group <group>        only this consumer group (default: every group)
  --json                 one JSON document on stdout:
                         {source, groups: [{group, queue: {url, visible, inFlight, delayed,
                         oldestMessageAgeSeconds}, deadLetterQueue: {url, visible, inFlight,
                         oldestMessageAgeSeconds}}], warnings: [...], cloudWatch: {available, reason?}}
  --help                 this text

${QUEUE_SOURCE_HELP}

Examples:
  npx stream-events status
  npx stream-events status --local
  npx stream-events status --group chat-messages --json`;

export interface QueueStatus {
  readonly url: string;
  /** Waiting to be received (ApproximateNumberOfMessages). */
  readonly visible: number;
  /** Received and not yet deleted (ApproximateNumberOfMessagesNotVisible). */
  readonly inFlight: number;
  /** Null when CloudWatch could not tell. */
  readonly oldestMessageAgeSeconds: number | null;
}

export interface GroupStatus {
  readonly group: string;
  readonly queue: QueueStatus & { readonly delayed: number };
  readonly deadLetterQueue: QueueStatus;
}

export interface StatusReport {
  readonly source: SourceInfo;
  readonly groups: readonly GroupStatus[];
  readonly warnings: readonly string[];
  readonly cloudWatch: { readonly available: boolean; readonly reason?: string };
}

export interface StatusDeps extends GroupQueuesDeps {
  /**
   * Where the ages come from; null to skip CloudWatch. @default a client for the queues' region
   * when they are a deployed stack's, null for the dev pipeline (it has no CloudWatch)
   */
  readonly cloudWatch?: CloudWatchClient | null;
  readonly now?: () => number;
}

const QUEUE_ATTRIBUTES: readonly QueueAttributeName[] = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
];

const NO_LOCAL_CLOUDWATCH = 'the dev pipeline has no CloudWatch: ages are not measured locally';

/** How far back the age metric is read: SQS publishes it every minute, CloudWatch lags a little. */
const AGE_WINDOW_MS = 5 * 60_000;

interface Ages {
  readonly byQueueName: ReadonlyMap<string, number>;
  readonly available: boolean;
  readonly reason?: string;
}

/**
 * The latest ApproximateAgeOfOldestMessage of each queue, in one GetMetricData call. Any failure
 * (no CloudWatch there, no permission, no network) leaves every age unknown: never an error.
 */
async function oldestAges(
  cloudWatch: CloudWatchClient | null,
  queueNames: readonly string[],
  now: number,
  reasonWhenNone: string,
): Promise<Ages> {
  if (cloudWatch === null)
    return { byQueueName: new Map(), available: false, reason: reasonWhenNone };
  const queries: MetricDataQuery[] = queueNames.map((name, index) => ({
    Id: `q${index}`,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: name }],
      },
      Period: 60,
      Stat: 'Maximum',
    },
    ReturnData: true,
  }));
  try {
    const byQueueName = new Map<string, number>();
    let token: string | undefined;
    do {
      const page = await cloudWatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(now - AGE_WINDOW_MS),
          EndTime: new Date(now),
          ScanBy: 'TimestampDescending',
          NextToken: token,
        }),
      );
      for (const result of page.MetricDataResults ?? []) {
        const index = Number(result.Id?.slice(1));
        const name = queueNames[index];
        const latest = result.Values?.[0];
        if (name !== undefined && latest !== undefined && !byQueueName.has(name)) {
          byQueueName.set(name, latest);
        }
      }
      token = page.NextToken;
    } while (token);
    return { byQueueName, available: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = errorCode(error);
    return {
      byQueueName: new Map(),
      available: false,
      reason: `CloudWatch GetMetricData failed (${code === message ? code : `${code}: ${message}`})`,
    };
  }
}

function cloudWatchFor(located: LocatedQueues, deps: StatusDeps): CloudWatchClient | null {
  if (deps.cloudWatch !== undefined) return deps.cloudWatch;
  if (located.source.kind === 'local') return null;
  return new CloudWatchClient({
    ...(located.region ? { region: located.region } : {}),
    maxAttempts: 2,
    // Ages are a nicety: a slow CloudWatch must not hold the counts back for long.
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
  });
}

/** Reads every selected group's counts (SQS) and ages (CloudWatch). */
export async function readStatus(
  located: LocatedQueues,
  groups: readonly GroupQueues[],
  deps: StatusDeps = {},
): Promise<StatusReport> {
  const now = (deps.now ?? Date.now)();
  const cloudWatch = cloudWatchFor(located, deps);
  try {
    const names = groups.flatMap((group) => [
      queueNameOf(group.queueUrl),
      queueNameOf(group.deadLetterQueueUrl),
    ]);
    const [counts, ages] = await Promise.all([
      Promise.all(
        groups.map(async (group) => ({
          queue: await queueAttributes(located, group.queueUrl, QUEUE_ATTRIBUTES),
          dlq: await queueAttributes(located, group.deadLetterQueueUrl, QUEUE_ATTRIBUTES),
        })),
      ),
      oldestAges(cloudWatch, names, now, NO_LOCAL_CLOUDWATCH),
    ]);
    const age = (url: string) => ages.byQueueName.get(queueNameOf(url)) ?? null;
    const statuses = groups.map((group, index): GroupStatus => {
      const { queue, dlq } = counts[index] ?? { queue: {}, dlq: {} };
      return {
        group: group.group,
        queue: {
          url: group.queueUrl,
          visible: waitingCount(located, queue),
          inFlight: countOf(queue, 'ApproximateNumberOfMessagesNotVisible'),
          delayed: countOf(queue, 'ApproximateNumberOfMessagesDelayed'),
          oldestMessageAgeSeconds: age(group.queueUrl),
        },
        deadLetterQueue: {
          url: group.deadLetterQueueUrl,
          visible: waitingCount(located, dlq),
          inFlight: countOf(dlq, 'ApproximateNumberOfMessagesNotVisible'),
          oldestMessageAgeSeconds: age(group.deadLetterQueueUrl),
        },
      };
    });
    const sourceFlags = sourceFlagsOf(located.source);
    const warnings = statuses.flatMap((status) => {
      const dead = status.deadLetterQueue.visible + status.deadLetterQueue.inFlight;
      if (dead === 0) return [];
      return [
        `group "${status.group}": ${dead} ${dead === 1 ? 'message' : 'messages'} in its ` +
          `dead-letter queue ${queueNameOf(status.deadLetterQueue.url)}: fix the cause, then ` +
          `\`stream-events redrive --group ${status.group}${sourceFlags}\``,
      ];
    });
    return {
      source: located.source,
      groups: statuses,
      warnings,
      cloudWatch: ages.available
        ? { available: true }
        : { available: false, ...(ages.reason ? { reason: ages.reason } : {}) },
    };
  } finally {
    if (deps.cloudWatch === undefined) cloudWatch?.destroy();
  }
}

/** The flags that point another command at the same queues. */
function sourceFlagsOf(source: SourceInfo): string {
  if (source.kind === 'local') return ` --sqs-endpoint ${source.endpoint}`;
  if (source.outputsFile !== undefined) return ` --outputs-file ${source.outputsFile}`;
  return source.stack === DEFAULT_STACK_NAME ? '' : ` --stack ${source.stack}`;
}

/** `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`; `n/a` when unknown. */
export function formatAge(seconds: number | null): string {
  if (seconds === null) return 'n/a';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function formatStatus(report: StatusReport): string {
  const table = formatTable(
    ['GROUP', 'QUEUED', 'IN FLIGHT', 'OLDEST', 'DLQ', 'DLQ OLDEST'],
    report.groups.map((status) => [
      status.group,
      String(status.queue.visible),
      String(status.queue.inFlight),
      formatAge(status.queue.oldestMessageAgeSeconds),
      String(status.deadLetterQueue.visible + status.deadLetterQueue.inFlight),
      formatAge(status.deadLetterQueue.oldestMessageAgeSeconds),
    ]),
    [1, 2, 3, 4, 5],
  );
  const warnings = report.warnings.map((warning) => `warning: ${warning}`);
  return [
    `${describeSource(report.source)}`,
    '',
    table,
    ...(warnings.length ? ['', ...warnings] : []),
  ]
    .join('\n')
    .concat('\n');
}

export function createStatusCommand(deps: StatusDeps = {}): Command {
  return defineCommand({
    ...commandInfo('status'),
    help: HELP,
    async run(argv, io) {
      const json = wantsJson(argv);
      const values = parseOptions(argv, {
        ...QUEUE_SOURCE_OPTIONS,
        group: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      });
      const source = queueSourceFrom(values, io.env);
      const located = await locateGroupQueues(source, deps);
      try {
        const groups = selectGroups(located, values.group);
        const report = await readStatus(located, groups, deps);
        const { reason } = report.cloudWatch;
        if (reason !== undefined && reason !== NO_LOCAL_CLOUDWATCH) {
          io.stderr.write(`note: ages are n/a: ${reason}\n`);
        }
        if (json) writeJson(io, report);
        else io.stdout.write(formatStatus(report));
        return EXIT_OK;
      } finally {
        located.close();
      }
    },
  });
}

export const statusCommand = createStatusCommand();
