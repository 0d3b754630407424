/**
 * `stream-events redrive`: moves the messages of a consumer group's dead-letter queue back to its
 * queue, with SQS's own message move task (StartMessageMoveTask), watching it until it ends.
 * Where the SQS endpoint has no move tasks (some emulators), it copies instead: receive from the
 * DLQ, send to the queue, and only then delete from the DLQ, so a crash in between duplicates a
 * message rather than losing it (the consumer's dedupe runs the duplicate's handler once).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type ListMessageMoveTasksResultEntry,
  type Message,
  type MessageAttributeValue,
  type SendMessageRequest,
} from '@aws-sdk/client-sqs';
import {
  CommandError,
  EXIT_FAILURE,
  EXIT_OK,
  defineCommand,
  parseOptions,
  wantsJson,
  writeJson,
  type Command,
  oneOf,
} from './command.js';
import {
  countOf,
  errorCode,
  isConnectionError,
  locateGroupQueues,
  QUEUE_SOURCE_HELP,
  QUEUE_SOURCE_OPTIONS,
  queueAttributes,
  queueNameOf,
  queueSourceFrom,
  selectGroups,
  sqsProblem,
  type GroupQueues,
  type GroupQueuesDeps,
  type LocatedQueues,
  type SourceInfo,
  waitingCount,
} from './group-queues.js';
import { progressOn, type Progress } from './progress.js';
import { commandInfo } from './command-list.js';

export const REDRIVE_METHODS = ['auto', 'move-task', 'copy'] as const;
export type RedriveMethod = (typeof REDRIVE_METHODS)[number];

const HELP = `Usage: stream-events redrive [--group <group>] [--json] [--no-wait] [--method <method>] [source options]

Moves the messages in each consumer group's dead-letter queue (DLQ) back to the group's queue,
where its consumer handles them again. Fix what made them fail first: a message that fails
maxReceiveCount times more returns to the DLQ. The consumer's dedupe runs each event's handler
once, so a message moved twice is harmless.

SQS moves them itself (StartMessageMoveTask from the DLQ to the queue); progress is shown on
stderr until the task ends, then a summary on stdout. Ctrl-C stops watching, not the task.
An empty DLQ is "nothing to redrive" (exit 0). Exit 1 when a move fails.

Options:
  --group <group>        only this consumer group (default: every group, one after another)
  --no-wait              start the move tasks and return; follow them with \`stream-events status\`
                         (--wait, the default, watches each task until it ends)
  --method <method>      auto       a move task, or copy where the endpoint has none (default)
                         move-task  a move task only; fail where the endpoint has none
                         copy       receive, send to the queue, then delete from the DLQ, by
                                    this command (message attributes kept; always waits)
  --json                 one JSON document on stdout: {source, moved, groups: [{group, queueUrl,
                         deadLetterQueueUrl, method, status, toMove, moved, ...}]}; status is
                         nothing-to-redrive, running (--no-wait), completed, failed or cancelled
  --help                 this text

${QUEUE_SOURCE_HELP}

Examples:
  npx stream-events redrive --group all
  npx stream-events redrive --local
  npx stream-events redrive --json --no-wait`;

export type RedriveStatus = 'nothing-to-redrive' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface GroupRedrive {
  readonly group: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** How the messages were moved; null when there was nothing to move. */
  readonly method: 'move-task' | 'copy' | null;
  readonly status: RedriveStatus;
  /** Messages in the DLQ when the redrive started (SQS's approximate count). */
  readonly toMove: number;
  readonly moved: number;
  /** Copy only: messages that could not be sent; they stay in the DLQ. */
  readonly failed?: number;
  /** Copy only: messages sent to the queue but not deleted from the DLQ (they will be moved again). */
  readonly notDeleted?: number;
  readonly failureReason?: string;
  /** Move task: its handle, while it runs (`--no-wait`). */
  readonly taskHandle?: string;
  readonly durationMs: number;
}

export interface RedriveReport {
  readonly source: SourceInfo;
  readonly moved: number;
  readonly groups: readonly GroupRedrive[];
}

export interface RedriveDeps extends GroupQueuesDeps {
  /** Pause between two ListMessageMoveTasks calls. @default 1000 */
  readonly pollIntervalMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

interface Context {
  readonly located: LocatedQueues;
  readonly progress: Progress;
  readonly note: (line: string) => void;
  readonly pollIntervalMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
}

/** The error an SQS endpoint answers for an action it does not implement. */
export function isUnsupportedOperation(error: unknown): boolean {
  const name = String((error as { name?: unknown } | null)?.name ?? '');
  const code = String((error as { Code?: unknown } | null)?.Code ?? '');
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata
    ?.httpStatusCode;
  const message = error instanceof Error ? error.message : '';
  return (
    /(^|\.)(UnsupportedOperation|UnknownOperation(Exception)?|InvalidAction|NotImplemented)$/.test(
      name,
    ) ||
    /(^|\.)(UnsupportedOperation|UnknownOperation(Exception)?|InvalidAction|NotImplemented)$/.test(
      code,
    ) ||
    status === 501 ||
    /not (yet )?(supported|implemented)/i.test(message)
  );
}

class Unsupported extends Error {
  constructor(readonly original: unknown) {
    super(errorCode(original));
    this.name = 'Unsupported';
  }
}

async function listTasks(
  ctx: Context,
  dlqArn: string,
): Promise<readonly ListMessageMoveTasksResultEntry[]> {
  try {
    const { Results = [] } = await ctx.located.sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }),
    );
    return Results;
  } catch (error) {
    if (isUnsupportedOperation(error)) throw new Unsupported(error);
    throw sqsProblem(ctx.located, error, 'ListMessageMoveTasks');
  }
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

/** Moves with a message move task, or follows the one already running for this DLQ. */
async function redriveWithMoveTask(
  ctx: Context,
  group: GroupQueues,
  arns: { readonly queue: string; readonly dlq: string },
  toMove: number,
  wait: boolean,
): Promise<GroupRedrive> {
  const started = ctx.now();
  const base = {
    group: group.group,
    queueUrl: group.queueUrl,
    deadLetterQueueUrl: group.deadLetterQueueUrl,
    method: 'move-task' as const,
  };
  const running = (await listTasks(ctx, arns.dlq)).find((task) => task.Status === 'RUNNING');
  let handle: string | undefined;
  if (running !== undefined) {
    handle = running.TaskHandle;
    ctx.note(
      `${group.group}: a move task is already running for ${queueNameOf(group.deadLetterQueueUrl)}` +
        `${running.DestinationArn ? ` (to ${running.DestinationArn})` : ''}: following it`,
    );
  } else {
    try {
      ({ TaskHandle: handle } = await ctx.located.sqs.send(
        new StartMessageMoveTaskCommand({ SourceArn: arns.dlq, DestinationArn: arns.queue }),
      ));
    } catch (error) {
      if (isUnsupportedOperation(error)) throw new Unsupported(error);
      throw sqsProblem(ctx.located, error, 'StartMessageMoveTask');
    }
  }
  if (!wait) {
    return {
      ...base,
      status: 'running',
      toMove: Number(running?.ApproximateNumberOfMessagesToMove ?? toMove),
      moved: Number(running?.ApproximateNumberOfMessagesMoved ?? 0),
      ...(handle ? { taskHandle: handle } : {}),
      durationMs: ctx.now() - started,
    };
  }
  let missing = 0;
  for (;;) {
    await ctx.sleep(ctx.pollIntervalMs);
    const tasks = await listTasks(ctx, arns.dlq);
    // A task's handle is listed only while it runs; once it ends, ours is the latest one.
    const task = tasks.find((entry) => handle && entry.TaskHandle === handle) ?? tasks[0];
    if (task === undefined) {
      missing += 1;
      if (missing >= 5) {
        throw new CommandError(
          `${group.group}: the move task is not listed by ListMessageMoveTasks; see the DLQ ` +
            'in the SQS console',
        );
      }
      continue;
    }
    const moved = Number(task.ApproximateNumberOfMessagesMoved ?? 0);
    const total = Number(task.ApproximateNumberOfMessagesToMove ?? toMove) || toMove;
    const status = task.Status ?? 'RUNNING';
    ctx.progress.update(`redrive ${group.group}: ${moved} of ${total} moved (${status})`);
    if (!TERMINAL.has(status)) continue;
    ctx.progress.done();
    const result = {
      ...base,
      toMove: total,
      moved,
      durationMs: ctx.now() - started,
    };
    if (status === 'COMPLETED') return { ...result, status: 'completed' };
    if (status === 'CANCELLED') {
      return { ...result, status: 'cancelled', failureReason: 'the move task was cancelled' };
    }
    return {
      ...result,
      status: 'failed',
      failureReason: task.FailureReason ?? 'the move task failed (SQS gave no reason)',
    };
  }
}

/** Message attributes as SendMessage takes them (SQS has no list values; they are dropped). */
function sendableAttributes(
  attributes: Message['MessageAttributes'],
): Record<string, MessageAttributeValue> | undefined {
  if (attributes === undefined || Object.keys(attributes).length === 0) return undefined;
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      {
        DataType: value.DataType,
        ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { BinaryValue: value.BinaryValue } : {}),
      },
    ]),
  );
}

/** The SendMessage that puts a DLQ message back on its queue, body and attributes unchanged. */
export function copyRequest(message: Message, queueUrl: string): SendMessageRequest {
  const system = message.Attributes ?? {};
  const fifo = queueUrl.endsWith('.fifo');
  const attributes = sendableAttributes(message.MessageAttributes);
  return {
    QueueUrl: queueUrl,
    MessageBody: message.Body ?? '',
    ...(attributes ? { MessageAttributes: attributes } : {}),
    ...(system.AWSTraceHeader
      ? {
          MessageSystemAttributes: {
            AWSTraceHeader: { DataType: 'String', StringValue: system.AWSTraceHeader },
          },
        }
      : {}),
    // FIFO: the same group keeps the entity's order. A fresh deduplication id: the original may
    // be within SQS's 5-minute window, where SQS would accept the send and drop the message,
    // and we would then delete the only copy. The consumer dedupes on the event, not this id.
    ...(fifo
      ? { MessageGroupId: system.MessageGroupId ?? 'redrive', MessageDeduplicationId: randomUUID() }
      : {}),
  };
}

/** How long a received DLQ message stays hidden while it is copied. */
const COPY_VISIBILITY_SECONDS = 60;

/**
 * Moves by hand: receive from the DLQ, SendMessage to the queue, then DeleteMessage from the DLQ.
 * Stops after `toMove` messages (those that arrive meanwhile wait for the next redrive) or when
 * the DLQ is empty. A message that cannot be sent stays in the DLQ.
 */
async function redriveByCopy(
  ctx: Context,
  group: GroupQueues,
  toMove: number,
): Promise<GroupRedrive> {
  const { sqs } = ctx.located;
  const started = ctx.now();
  let received = 0;
  let moved = 0;
  let failed = 0;
  let notDeleted = 0;
  let firstError: string | undefined;
  let lastWasEmpty = false;
  const show = () =>
    ctx.progress.update(
      `redrive ${group.group} (copy): ${moved} of ${toMove} moved` +
        (failed > 0 ? `, ${failed} failed` : ''),
    );
  show();
  while (received < toMove) {
    let messages: Message[];
    try {
      ({ Messages: messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: group.deadLetterQueueUrl,
          MaxNumberOfMessages: Math.min(10, toMove - received),
          // Short polls, and one 1-second long poll to be sure the DLQ is empty: a short poll
          // samples only some of SQS's servers and can come back empty while messages remain.
          WaitTimeSeconds: lastWasEmpty ? 1 : 0,
          VisibilityTimeout: COPY_VISIBILITY_SECONDS,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['AWSTraceHeader', 'MessageGroupId'],
          // The older name of the same request field: some emulators read only this one.
          AttributeNames: ['All'],
        }),
      ));
    } catch (error) {
      throw sqsProblem(
        ctx.located,
        error,
        `ReceiveMessage ${queueNameOf(group.deadLetterQueueUrl)}`,
      );
    }
    if (messages.length === 0) {
      if (lastWasEmpty) break;
      lastWasEmpty = true;
      continue;
    }
    lastWasEmpty = false;
    received += messages.length;
    for (const message of messages) {
      try {
        await sqs.send(new SendMessageCommand(copyRequest(message, group.queueUrl)));
      } catch (error) {
        if (isConnectionError(error)) {
          throw sqsProblem(ctx.located, error, `SendMessage ${queueNameOf(group.queueUrl)}`);
        }
        failed += 1;
        firstError ??= `${errorCode(error)}: ${(error as Error).message}`;
        show();
        continue;
      }
      moved += 1;
      try {
        await sqs.send(
          new DeleteMessageCommand({
            QueueUrl: group.deadLetterQueueUrl,
            ReceiptHandle: message.ReceiptHandle,
          }),
        );
      } catch (error) {
        if (isConnectionError(error)) {
          throw sqsProblem(
            ctx.located,
            error,
            `DeleteMessage ${queueNameOf(group.deadLetterQueueUrl)}`,
          );
        }
        notDeleted += 1;
      }
      show();
    }
  }
  ctx.progress.done();
  return {
    group: group.group,
    queueUrl: group.queueUrl,
    deadLetterQueueUrl: group.deadLetterQueueUrl,
    method: 'copy',
    status: failed > 0 ? 'failed' : 'completed',
    toMove,
    moved,
    ...(failed > 0 || notDeleted > 0 ? { failed, notDeleted } : {}),
    ...(failed > 0
      ? {
          failureReason:
            `${failed} ${failed === 1 ? 'message' : 'messages'} could not be sent to ` +
            `${queueNameOf(group.queueUrl)} and ${failed === 1 ? 'stays' : 'stay'} in the DLQ ` +
            `(first error: ${firstError})`,
        }
      : {}),
    durationMs: ctx.now() - started,
  };
}

async function redriveGroup(
  ctx: Context,
  group: GroupQueues,
  method: RedriveMethod,
  wait: boolean,
): Promise<GroupRedrive> {
  const [dlq, queue] = await Promise.all([
    queueAttributes(ctx.located, group.deadLetterQueueUrl, [
      'QueueArn',
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
    ]),
    queueAttributes(ctx.located, group.queueUrl, ['QueueArn']),
  ]);
  const toMove = waitingCount(ctx.located, dlq);
  if (toMove === 0) {
    const inFlight = countOf(dlq, 'ApproximateNumberOfMessagesNotVisible');
    if (inFlight > 0) {
      ctx.note(
        `${group.group}: ${inFlight} DLQ ${inFlight === 1 ? 'message is' : 'messages are'} ` +
          'being read by someone else (in flight): run redrive again once they are visible',
      );
    }
    return {
      group: group.group,
      queueUrl: group.queueUrl,
      deadLetterQueueUrl: group.deadLetterQueueUrl,
      method: null,
      status: 'nothing-to-redrive',
      toMove: 0,
      moved: 0,
      durationMs: 0,
    };
  }
  if (method !== 'copy') {
    const arns = { queue: queue.QueueArn, dlq: dlq.QueueArn };
    if (!arns.queue || !arns.dlq) {
      throw new CommandError(`${group.group}: GetQueueAttributes returned no QueueArn`);
    }
    try {
      return await redriveWithMoveTask(
        ctx,
        group,
        { queue: arns.queue, dlq: arns.dlq },
        toMove,
        wait,
      );
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      ctx.progress.done();
      if (method === 'move-task') {
        throw new CommandError(
          `this SQS endpoint does not support message move tasks (${error.message}); ` +
            'use --method copy (or auto)',
          { cause: error.original },
        );
      }
      ctx.note(
        `${group.group}: this SQS endpoint has no message move tasks (${error.message}): ` +
          'copying instead (receive, send to the queue, then delete from the DLQ)',
      );
    }
  }
  return redriveByCopy(ctx, group, toMove);
}

function summaryLine(result: GroupRedrive): string {
  const dlq = queueNameOf(result.deadLetterQueueUrl);
  const queue = queueNameOf(result.queueUrl);
  const how = result.method === 'copy' ? 'copied' : 'move task';
  switch (result.status) {
    case 'nothing-to-redrive':
      return `${result.group}: nothing to redrive (${dlq} is empty)`;
    case 'running':
      return (
        `${result.group}: move task started for ${result.toMove} ` +
        `${result.toMove === 1 ? 'message' : 'messages'} from ${dlq} to ${queue}; ` +
        'follow it with `stream-events status`'
      );
    case 'completed':
      return (
        `${result.group}: moved ${result.moved} of ${result.toMove} ` +
        `${result.toMove === 1 ? 'message' : 'messages'} from ${dlq} back to ${queue} (${how}, ` +
        `${(result.durationMs / 1000).toFixed(1)} s)` +
        (result.notDeleted
          ? `; ${result.notDeleted} sent but not deleted from the DLQ: they will be moved again`
          : '')
      );
    case 'failed':
    case 'cancelled':
      return (
        `${result.group}: ${result.status} after moving ${result.moved} of ${result.toMove} ` +
        `(${how}): ${result.failureReason ?? 'no reason given'}`
      );
  }
}

export function createRedriveCommand(deps: RedriveDeps = {}): Command {
  return defineCommand({
    ...commandInfo('redrive'),
    help: HELP,
    async run(argv, io) {
      const json = wantsJson(argv);
      const values = parseOptions(
        argv,
        {
          ...QUEUE_SOURCE_OPTIONS,
          group: { type: 'string' },
          json: { type: 'boolean' },
          wait: { type: 'boolean', default: true },
          method: { type: 'string', default: 'auto' },
          help: { type: 'boolean', short: 'h' },
        },
        { allowNegative: true },
      );
      const method: RedriveMethod = oneOf('--method', values.method, REDRIVE_METHODS);
      const source = queueSourceFrom(values, io.env);
      const located = await locateGroupQueues(source, deps);
      const progress = progressOn(io.stderr);
      const ctx: Context = {
        located,
        progress,
        note: (line) => {
          progress.done();
          io.stderr.write(`${line}\n`);
        },
        pollIntervalMs: deps.pollIntervalMs ?? 1_000,
        sleep: deps.sleep ?? ((ms) => sleep(ms)),
        now: deps.now ?? Date.now,
      };
      try {
        const results: GroupRedrive[] = [];
        for (const group of selectGroups(located, values.group)) {
          const result = await redriveGroup(ctx, group, method, values.wait);
          results.push(result);
          if (!json) io.stdout.write(`${summaryLine(result)}\n`);
        }
        const report: RedriveReport = {
          source: located.source,
          moved: results.reduce((sum, result) => sum + result.moved, 0),
          groups: results,
        };
        if (json) writeJson(io, report);
        const failed = results.some(
          (result) => result.status === 'failed' || result.status === 'cancelled',
        );
        return failed ? EXIT_FAILURE : EXIT_OK;
      } finally {
        progress.done();
        located.close();
      }
    },
  });
}

export const redriveCommand = createRedriveCommand();
