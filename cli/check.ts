/**
 * `stream-events check --path sqs|sns`: asks Stream to write a test message to the stack's queue
 * (`check_sqs`) or topic (`check_sns`) and prints what Stream reports. The request names only the
 * queue URL or topic ARN, no AWS key, as the hooks `configure` registers do. Stream's schema gives
 * the check no auth type, though, so an ok shows that the write worked, not that it went through
 * the stack's resource policy: the output says so (PROVES).
 */
import {
  CommandError,
  EXIT_FAILURE,
  EXIT_OK,
  defineCommand,
  parseOptions,
  UsageError,
  type Command,
  type CommandIO,
  oneOf,
} from './command.js';
import { groupNames } from '../contract/names.js';
import { STACK_OUTPUT } from '../contract/stack-outputs.js';
import { groupQueue, groupQueues, requireOutput, stackEventHooks } from './stack-outputs.js';
import type { CheckResult } from './stream-api.js';
import {
  COMMON_HELP,
  COMMON_OPTIONS,
  connect,
  writeLosslessJson,
  type StreamCommandDeps,
} from './stream-api-context.js';
import { stringifyJson, type Json, type JsonObject } from './stream-api-json.js';
import { commandInfo } from './command-list.js';

const CHECK_PATHS = ['sqs', 'sns'] as const;
type CheckPath = (typeof CHECK_PATHS)[number];

const OPTIONS = {
  ...COMMON_OPTIONS,
  path: { type: 'string' },
  group: { type: 'string' },
} as const;

const HELP = `Usage: stream-events check --path sqs|sns [options]

Asks Stream to send a test message to the stack's SQS queue(s) (check_sqs) or SNS topic
(check_sns), naming only the queue URL or topic ARN (no AWS keys), and prints Stream's verdict:
ok, or the error Stream met. Exits 1 when a check fails. An ok proves that Stream could write
there just now, not with which credentials (Stream documents no auth type for the check, so not
that the stack's queue or topic policy let it in), nor that the app's hooks point there, are
enabled or take the right events: \`stream-events hooks\` shows those.

  --path <path>          sqs (each consumer group's queue, QueueUrl / <Group>QueueUrl outputs)
                         or sns (the TopicArn output)
  --group <group>        with --path sqs: only this consumer group's queue

${COMMON_HELP}

--json prints {"path", "ok", "results": [{"group"?, "target", "status", "error"?, "data"?}]}.`;

/** What an ok does and does not prove, in one line under the results. */
const PROVES =
  'note: ok proves that Stream could write a test message there just now; not with which ' +
  "credentials (Stream documents no auth type for the check, so not that the stack's queue or " +
  "topic policy let it in), nor that the app's hooks point there, are enabled or take these " +
  'events (see stream-events hooks)';

interface Target {
  readonly group?: string;
  readonly target: string;
  /** The stack did not open this target to Stream (its path is switched off). */
  readonly closed: boolean;
}

export function createCheckCommand(deps: StreamCommandDeps = {}): Command {
  return defineCommand({
    ...commandInfo('check'),
    help: HELP,
    run: (argv, io) => check(argv, io, deps),
  });
}

async function check(
  argv: readonly string[],
  io: CommandIO,
  deps: StreamCommandDeps,
): Promise<number> {
  const values = parseOptions(argv, OPTIONS);
  const checkPath: CheckPath = oneOf('--path', values.path, CHECK_PATHS);
  if (checkPath === 'sns' && values.group !== undefined) {
    throw new UsageError('--group applies to --path sqs only: every group shares the topic');
  }

  const { stack, api } = await connect(values, io, deps, 'required');
  if (stack === undefined) throw new CommandError('the stack outputs are needed');
  const hooks = stackEventHooks(stack);
  let targets: Target[];
  if (checkPath === 'sns') {
    const arn = requireOutput(
      stack,
      STACK_OUTPUT.topicArn,
      'the sns path is not deployed (paths.sns: true)',
    );
    targets = [{ target: arn, closed: hooks.sns === undefined }];
  } else {
    const queues =
      values.group === undefined
        ? groupQueues(stack)
        : [{ group: values.group, queueUrl: groupQueue(stack, values.group) }];
    if (queues.length === 0) {
      throw new CommandError(`stack "${stack.stackName}" (${stack.origin}) has no QueueUrl output`);
    }
    targets = queues.map(({ group, queueUrl }) => ({
      group,
      target: queueUrl,
      closed: !hooks.sqs.has(groupNames(group).outputPrefix),
    }));
  }

  const results: { target: Target; result: CheckResult }[] = [];
  for (const target of targets) {
    const result =
      checkPath === 'sqs'
        ? await api.checkSqs({ sqs_url: target.target })
        : await api.checkSns({ sns_topic_arn: target.target });
    results.push({ target, result });
  }
  const ok = results.every(({ result }) => result.status === 'ok');

  if (values.json) {
    writeLosslessJson(io, {
      path: checkPath,
      ok,
      results: results.map(({ target, result }): JsonObject => ({
        ...(target.group === undefined ? {} : { group: target.group }),
        target: target.target,
        status: result.status,
        ...(result.error === undefined ? {} : { error: result.error }),
        ...(result.data === undefined ? {} : { data: result.data as Json }),
      })),
    });
    return ok ? EXIT_OK : EXIT_FAILURE;
  }
  for (const { target, result } of results) {
    const label = `check_${checkPath}${target.group === undefined ? '' : ` ${target.group}`} ${target.target}`;
    const verdict =
      result.status === 'ok' ? 'ok' : `${result.status}: ${result.error ?? '(no error text)'}`;
    io.stdout.write(`${label}: ${verdict}\n`);
    if (result.data !== undefined) io.stdout.write(`  data: ${stringifyJson(result.data)}\n`);
    if (result.status !== 'ok' && target.closed) {
      io.stdout.write(
        `  note: the stack's ${checkPath} path is off (no EventHooks${checkPath === 'sqs' ? 'Sqs' : 'Sns'} ` +
          "output), so its policy does not let Stream's account write; deploy with paths." +
          `${checkPath}: true\n`,
      );
    }
  }
  io.stdout.write(`${PROVES}\n`);
  if (!ok) {
    io.stderr.write(
      `stream-events check: Stream could not write to ${results.filter(({ result }) => result.status !== 'ok').length} of ${results.length} target(s)\n`,
    );
  }
  return ok ? EXIT_OK : EXIT_FAILURE;
}

export const checkCommand: Command = createCheckCommand();
