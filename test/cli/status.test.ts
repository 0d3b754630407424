/**
 * `stream-events status` against a real embedded SQS server (the dev pipeline's queues), with
 * CloudWatch unreachable or faked, and against a deployed stack's outputs (file or DescribeStacks).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStatusCommand, formatAge, type StatusReport } from '../../cli/status.js';
import {
  createQueuePair,
  startLocalSqs,
  type LocalSqs,
  type QueuePair,
} from '../../dev/local-sqs.js';
import { recordingIO } from '../support/fake-io.js';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

let sqs: LocalSqs;
const pairs: Record<string, QueuePair> = {};
let repoRoot: string;
let unreachableCloudWatch: CloudWatchClient;

async function send(queueUrl: string | undefined, count: number): Promise<void> {
  for (let n = 0; n < count; n += 1) {
    await sqs.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `m${n}` }));
  }
}

beforeAll(async () => {
  sqs = await startLocalSqs({ port: 0, host: '127.0.0.1' });
  for (const group of ['all', 'chat-messages']) {
    pairs[group] = await createQueuePair(sqs.client, {
      name: `stream-events-${group}`,
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 5,
    });
  }
  // all: 3 waiting, then 1 of them taken by a consumer (in flight); 2 in its DLQ.
  await send(pairs.all?.queueUrl, 3);
  await sqs.client.send(
    new ReceiveMessageCommand({
      QueueUrl: pairs.all?.queueUrl,
      MaxNumberOfMessages: 1,
      VisibilityTimeout: 600,
    }),
  );
  await send(pairs.all?.dlqUrl, 2);
  // chat-messages: 1 waiting, nothing dead.
  await send(pairs['chat-messages']?.queueUrl, 1);

  repoRoot = await mkdtemp(join(tmpdir(), 'status-test-'));
  await writeFile(
    join(repoRoot, 'cdk.json'),
    JSON.stringify({
      context: {
        stackName: 'MyEvents',
        consumers: [
          { name: 'all', events: ['*'] },
          { name: 'chat-messages', events: ['message.*'] },
        ],
      },
    }),
  );
  unreachableCloudWatch = new CloudWatchClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${await closedPort()}`,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
});

afterAll(async () => {
  unreachableCloudWatch.destroy();
  await sqs.close();
  await rm(repoRoot, { recursive: true, force: true });
});

describe('status of the dev pipeline (--local)', () => {
  it('prints each group’s depths as a table, and warns about a non-empty DLQ', async () => {
    const { io, stdout, stderr } = recordingIO();

    const code = await createStatusCommand().run(['--sqs-endpoint', sqs.endpoint], io);

    expect(code).toBe(0);
    expect(stdout()).toBe(
      [
        `dev SQS server ${sqs.endpoint}`,
        '',
        'GROUP          QUEUED  IN FLIGHT  OLDEST  DLQ  DLQ OLDEST',
        'all                 2          1     n/a    2         n/a',
        'chat-messages       1          0     n/a    0         n/a',
        '',
        'warning: group "all": 2 messages in its dead-letter queue stream-events-all-dlq: fix the ' +
          `cause, then \`stream-events redrive --group all --sqs-endpoint ${sqs.endpoint}\``,
        '',
      ].join('\n'),
    );
    expect(stderr()).toBe(''); // no CloudWatch locally is expected, not worth a note
  });

  it('shows ages as n/a, with a note, and still exits 0 when CloudWatch cannot be reached', async () => {
    const { io, stdout, stderr } = recordingIO();

    const code = await createStatusCommand({ cloudWatch: unreachableCloudWatch }).run(
      ['--sqs-endpoint', sqs.endpoint, '--group', 'all'],
      io,
    );

    expect(code).toBe(0);
    expect(stdout()).toMatch(/^all +2 +1 +n\/a +2 +n\/a$/m);
    expect(stderr()).toMatch(
      /^note: ages are n\/a: CloudWatch GetMetricData failed \(ECONNREFUSED/,
    );
  });

  it('writes one JSON document with --json, warnings included', async () => {
    const { io, stdout } = recordingIO();

    const code = await createStatusCommand({ cloudWatch: unreachableCloudWatch }).run(
      ['--json', '--sqs-endpoint', sqs.endpoint],
      io,
    );

    expect(code).toBe(0);
    const report = JSON.parse(stdout()) as StatusReport;
    expect(report).toEqual({
      source: { kind: 'local', endpoint: sqs.endpoint },
      groups: [
        {
          group: 'all',
          queue: {
            url: pairs.all?.queueUrl,
            visible: 2,
            inFlight: 1,
            delayed: 0,
            oldestMessageAgeSeconds: null,
          },
          deadLetterQueue: {
            url: pairs.all?.dlqUrl,
            visible: 2,
            inFlight: 0,
            oldestMessageAgeSeconds: null,
          },
        },
        {
          group: 'chat-messages',
          queue: {
            url: pairs['chat-messages']?.queueUrl,
            visible: 1,
            inFlight: 0,
            delayed: 0,
            oldestMessageAgeSeconds: null,
          },
          deadLetterQueue: {
            url: pairs['chat-messages']?.dlqUrl,
            visible: 0,
            inFlight: 0,
            oldestMessageAgeSeconds: null,
          },
        },
      ],
      warnings: [expect.stringMatching(/^group "all": 2 messages in its dead-letter queue/)],
      cloudWatch: { available: false, reason: expect.stringContaining('ECONNREFUSED') },
    });
  });

  it('reads the ages from CloudWatch’s ApproximateAgeOfOldestMessage, per queue name', async () => {
    const cloudWatch = new CloudWatchClient({ region: 'us-east-1', credentials: TEST_CREDENTIALS });
    const mock = mockClient(cloudWatch);
    mock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'q0', Values: [125, 60] }, // newest first
        { Id: 'q1', Values: [90_000] },
      ],
    });
    const { io, stdout } = recordingIO();

    await createStatusCommand({ cloudWatch, now: () => Date.parse('2026-11-23T10:00:00Z') }).run(
      ['--group', 'all', '--sqs-endpoint', sqs.endpoint],
      io,
    );

    expect(stdout()).toMatch(/^all +2 +1 +2 min +2 +1 d 1 h$/m);
    const input = mock.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      StartTime: new Date('2026-11-23T09:55:00Z'),
      EndTime: new Date('2026-11-23T10:00:00Z'),
      MetricDataQueries: [
        {
          Id: 'q0',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/SQS',
              MetricName: 'ApproximateAgeOfOldestMessage',
              Dimensions: [{ Name: 'QueueName', Value: 'stream-events-all' }],
            },
            Stat: 'Maximum',
          },
        },
        { Id: 'q1', MetricStat: { Metric: { Dimensions: [{ Value: 'stream-events-all-dlq' }] } } },
      ],
    });
  });

  it('fails with exit 1 and the list of groups for an unknown group', async () => {
    const { io, stderr } = recordingIO();

    const code = await createStatusCommand().run(
      ['--group', 'nope', '--sqs-endpoint', sqs.endpoint],
      io,
    );

    expect(code).toBe(1);
    expect(stderr()).toBe(
      `stream-events status: no consumer group "nope" in dev SQS server ${sqs.endpoint}; ` +
        'groups: all, chat-messages\n',
    );
  });

  it('says the dev pipeline is not running when nothing answers', async () => {
    const { io, stdout } = recordingIO();

    const code = await createStatusCommand().run(
      ['--json', '--sqs-endpoint', `http://127.0.0.1:${await closedPort()}`],
      io,
    );

    expect(code).toBe(1);
    expect(JSON.parse(stdout())).toEqual({
      error: expect.stringMatching(/^cannot reach the dev SQS server .*ECONNREFUSED.*npm run dev/),
    });
  });
});

describe('status of a deployed stack', () => {
  /** Outputs as the stack writes them, pointing at the embedded server's queues. */
  const outputs = () => ({
    WebhookUrl: 'https://example.execute-api.us-east-1.amazonaws.com/webhook',
    QueueUrl: pairs.all?.queueUrl,
    QueueArn: pairs.all?.queueArn,
    DeadLetterQueueUrl: pairs.all?.dlqUrl,
    ChatMessagesQueueUrl: pairs['chat-messages']?.queueUrl,
    ChatMessagesQueueArn: pairs['chat-messages']?.queueArn,
    ChatMessagesDeadLetterQueueUrl: pairs['chat-messages']?.dlqUrl,
  });

  it('finds each group’s queues in a `cdk deploy --outputs-file` file', async () => {
    const file = join(repoRoot, 'outputs.json');
    await writeFile(file, JSON.stringify({ MyEvents: outputs() }));
    const { io, stdout } = recordingIO();

    const code = await createStatusCommand({
      sqs: sqs.client,
      cloudWatch: unreachableCloudWatch,
      repoRoot,
    }).run(['--outputs-file', file, '--json'], io);

    expect(code).toBe(0);
    const report = JSON.parse(stdout()) as StatusReport;
    expect(report.source).toEqual({
      kind: 'stack',
      stack: 'MyEvents',
      origin: file,
      outputsFile: file,
    });
    expect(
      report.groups.map((group) => [group.group, group.queue.url, group.deadLetterQueue.url]),
    ).toEqual([
      ['all', pairs.all?.queueUrl, pairs.all?.dlqUrl],
      ['chat-messages', pairs['chat-messages']?.queueUrl, pairs['chat-messages']?.dlqUrl],
    ]);
  });

  it('reads the outputs with DescribeStacks, the stack named by cdk.json', async () => {
    const mock = mockClient(CloudFormationClient); // every client, the one stack-outputs.ts makes too
    mock.on(DescribeStacksCommand, { StackName: 'MyEvents' }).resolves({
      Stacks: [
        {
          StackName: 'MyEvents',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: Object.entries(outputs()).map(([OutputKey, OutputValue]) => ({
            OutputKey,
            OutputValue,
          })),
        },
      ],
    });
    const { io, stdout } = recordingIO();

    try {
      const code = await createStatusCommand({
        sqs: sqs.client,
        cloudWatch: unreachableCloudWatch,
        repoRoot,
      }).run(['--group', 'chat-messages', '--region', 'us-east-1'], io);

      expect(code).toBe(0);
    } finally {
      mock.restore();
    }
    expect(mock.commandCalls(DescribeStacksCommand)).toHaveLength(1);
    expect(stdout()).toMatch(/^stack MyEvents \(CloudFormation us-east-1, UPDATE_COMPLETE\)\n/);
    expect(stdout()).toMatch(/^chat-messages +1 +0 +n\/a +0 +n\/a$/m);
  });

  it('says so when the stack does not exist', async () => {
    const mock = mockClient(CloudFormationClient);
    mock
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError' }),
      );
    const { io, stderr } = recordingIO();

    try {
      const code = await createStatusCommand({ repoRoot }).run(
        ['--stack', 'Nope', '--region', 'eu-west-1'],
        io,
      );

      expect(code).toBe(1);
    } finally {
      mock.restore();
    }
    expect(stderr()).toMatch(
      /^stream-events status: stack "Nope" not found in eu-west-1: deploy it with `npx cdk deploy`/,
    );
  });
});

describe('usage', () => {
  it('refuses a stack and the dev pipeline at once (exit 2)', async () => {
    const { io, stderr } = recordingIO();

    const code = await createStatusCommand().run(['--local', '--stack', 'X'], io);

    expect(code).toBe(2);
    expect(stderr()).toContain('See: stream-events status --help');
  });

  it('formats ages for people', () => {
    expect([null, 0, 59.6, 125, 3_700, 90_000].map(formatAge)).toEqual([
      'n/a',
      '0 s',
      '1 min',
      '2 min',
      '1 h 1 min',
      '1 d 1 h',
    ]);
  });
});
