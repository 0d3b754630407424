import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../cli/check.js';
import { STACK, stackOutputsWithout, writeOutputsFile } from '../support/fake-stream-api.js';
import { fakeIO } from '../support/fake-io.js';
import { useFakeStreamApi, type CommandRun } from '../support/use-fake-stream-api.js';

const stream = useFakeStreamApi({ tmpPrefix: 'check-test-' });
const { api } = stream;

function check(args: readonly string[], file?: string): Promise<CommandRun> {
  return stream.run(checkCommand, args, { file });
}

const QUEUE_ERROR = {
  status: 'error',
  error:
    'AccessDenied: User: arn:aws:iam::185583345998:root is not authorized to perform: sqs:SendMessage',
  data: { queue: 'chat' },
} as const;

describe('check --path sqs', () => {
  it("asks Stream to test every group's queue with resource auth and prints ok", async () => {
    const { code, out } = await check(['--path', 'sqs']);

    expect(code).toBe(0);
    expect(api.requests.map((request) => [request.path, JSON.parse(request.body)])).toEqual([
      ['/api/v2/check_sqs', { sqs_url: STACK.queueUrl }],
      ['/api/v2/check_sqs', { sqs_url: STACK.chatQueueUrl }],
    ]);
    const lines = out.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      `check_sqs all ${STACK.queueUrl}: ok`,
      `check_sqs chat ${STACK.chatQueueUrl}: ok`,
    ]);
    // One line on what the check proves and what it does not.
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(
      'note: ok proves that Stream could write a test message there just now; not with which ' +
        "credentials (Stream documents no auth type for the check, so not that the stack's " +
        "queue or topic policy let it in), nor that the app's hooks point there, are enabled " +
        'or take these events (see stream-events hooks)',
    );
  });

  it("prints Stream's error and exits 1 when a check fails", async () => {
    api.checks.set(STACK.chatQueueUrl, QUEUE_ERROR);

    const { code, out, err } = await check(['--path', 'sqs', '--group', 'chat']);

    expect(code).toBe(1);
    expect(out).toContain(`check_sqs chat ${STACK.chatQueueUrl}: error: ${QUEUE_ERROR.error}`);
    expect(out).toContain('data: {"queue":"chat"}');
    expect(err).toContain('Stream could not write to 1 of 1 target(s)');
  });

  it('points at the switched-off path when a queue Stream cannot write to fails', async () => {
    const outputs = stackOutputsWithout('EventHooksSqsChat');
    const file = await writeOutputsFile(stream.dir(), outputs);
    api.checks.set(STACK.chatQueueUrl, QUEUE_ERROR);

    const { code, out } = await check(['--path', 'sqs', '--group', 'chat'], file);

    expect(code).toBe(1);
    expect(out).toContain("note: the stack's sqs path is off");
  });

  it('prints {path, ok, results} with --json', async () => {
    api.checks.set(STACK.chatQueueUrl, QUEUE_ERROR);

    const { code, out } = await check(['--path', 'sqs', '--json']);

    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({
      path: 'sqs',
      ok: false,
      results: [
        { group: 'all', target: STACK.queueUrl, status: 'ok' },
        { group: 'chat', target: STACK.chatQueueUrl, ...QUEUE_ERROR },
      ],
    });
  });

  it('names the groups when --group matches none', async () => {
    const { code, err } = await check(['--path', 'sqs', '--group', 'video']);

    expect(code).toBe(1);
    expect(err).toContain('no consumer group "video" (groups: all, chat)');
  });
});

describe('check --path sns', () => {
  it("asks Stream to test the stack's topic", async () => {
    const { code, out } = await check(['--path', 'sns', '--json']);

    expect(code).toBe(0);
    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({ sns_topic_arn: STACK.topicArn });
    expect(api.requests[0]?.path).toBe('/api/v2/check_sns');
    expect(JSON.parse(out)).toEqual({
      path: 'sns',
      ok: true,
      results: [{ target: STACK.topicArn, status: 'ok' }],
    });
  });

  it('explains a stack without a topic: exit 1', async () => {
    const outputs = stackOutputsWithout('TopicArn');
    const file = await writeOutputsFile(stream.dir(), outputs);

    const { code, err } = await check(['--path', 'sns'], file);

    expect(code).toBe(1);
    expect(err).toContain('has no output TopicArn: the sns path is not deployed');
  });
});

describe('check arguments', () => {
  it.each([
    [[], '--path is required: sqs or sns'],
    [['--path', 'webhook'], '--path must be one of sqs, sns, got "webhook"'],
    [['--path', 'sns', '--group', 'chat'], '--group applies to --path sqs only'],
  ])('rejects %j with exit 2', async (args, message) => {
    const { code, err } = await check(args);

    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(api.requests).toHaveLength(0);
  });

  it('prints its help', async () => {
    const io = fakeIO();

    expect(await checkCommand.run(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: stream-events check --path sqs|sns');
  });
});
