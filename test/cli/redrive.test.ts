/**
 * `stream-events redrive` against a real embedded SQS server (local-aws-sqs, which implements
 * StartMessageMoveTask and ListMessageMoveTasks), and against the same server with those two
 * actions answered as an emulator without them answers, to exercise the receive/send/delete copy.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SQSClient } from '@aws-sdk/client-sqs';
import {
  GetQueueAttributesCommand,
  SendMessageCommand,
  type Message,
  type MessageAttributeValue,
} from '@aws-sdk/client-sqs';
import { createRequestHandler } from 'local-aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSqsClient } from '../../cli/group-queues.js';
import { copyRequest, createRedriveCommand, type RedriveReport } from '../../cli/redrive.js';
import { createQueuePair, type QueuePair } from '../../dev/local-sqs.js';
import { receiveAll } from '../lambda/support/local-sqs.js';
import { recordingIO } from '../support/fake-io.js';

interface TestSqs {
  readonly endpoint: string;
  readonly client: SQSClient;
  readonly pairs: Record<string, QueuePair>;
  close(): Promise<void>;
}

/**
 * The embedded SQS server with a pair of queues per group, as the dev pipeline creates them.
 * `withoutMoveTasks` answers StartMessageMoveTask and ListMessageMoveTasks with the error
 * local-aws-sqs itself gives for an action it lacks (as older emulators do for these two).
 */
async function startSqs(
  groups: readonly { name: string; fifo?: boolean }[],
  options: { withoutMoveTasks?: boolean } = {},
): Promise<TestSqs> {
  const { service, requestHandler } = createRequestHandler({
    port: 0,
    hostname: '127.0.0.1',
    region: 'us-east-1',
    emulateQueueCreationLifecycle: false,
  });
  const server: Server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (options.withoutMoveTasks && /\.(Start|List)MessageMoveTasks?$/.test(target)) {
      req.resume();
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-query-error': 'AWS.SimpleQueueService.UnsupportedOperation;Sender',
      });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.sqs#UnsupportedOperation',
          message: `Action ${target.split('.')[1]} is currently not supported.`,
        }),
      );
      return;
    }
    void requestHandler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  service.PORT = port;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localSqsClient(endpoint);
  const pairs: Record<string, QueuePair> = {};
  for (const group of groups) {
    pairs[group.name] = await createQueuePair(client, {
      name: `stream-events-${group.name}`,
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 5,
      fifo: group.fifo,
    });
  }
  return {
    endpoint,
    client,
    pairs,
    close: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Attributes as the verifier writes them, plus a binary one. */
function attributesOf(n: number): Record<string, MessageAttributeValue> {
  return {
    webhook_id: { DataType: 'String', StringValue: `webhook-${n}` },
    webhook_attempt: { DataType: 'Number', StringValue: String(n) },
    event_type: { DataType: 'String', StringValue: 'message.new' },
    blob: { DataType: 'Binary', BinaryValue: Uint8Array.from([n, 0, 255]) },
  };
}

async function fillDlq(
  sqs: TestSqs,
  group: string,
  count: number,
  extra: { MessageGroupId?: string } = {},
): Promise<string[]> {
  const bodies: string[] = [];
  for (let n = 1; n <= count; n += 1) {
    const body = Buffer.from(JSON.stringify({ type: 'message.new', n, group })).toString('base64');
    await sqs.client.send(
      new SendMessageCommand({
        QueueUrl: sqs.pairs[group]?.dlqUrl,
        MessageBody: body,
        MessageAttributes: attributesOf(n),
        ...(extra.MessageGroupId
          ? { MessageGroupId: extra.MessageGroupId, MessageDeduplicationId: `d-${group}-${n}` }
          : {}),
      }),
    );
    bodies.push(body);
  }
  return bodies;
}

async function depth(client: SQSClient, queueUrl: string | undefined) {
  const { Attributes = {} } = await client.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const inFlight = Number(Attributes.ApproximateNumberOfMessagesNotVisible);
  // local-aws-sqs counts in-flight messages in ApproximateNumberOfMessages too; SQS does not.
  return { visible: Number(Attributes.ApproximateNumberOfMessages) - inFlight, inFlight };
}

/** Each message's body with its attributes as plain values, sorted by body. */
function contents(messages: readonly Message[]) {
  return messages
    .map((message) => ({
      body: message.Body,
      attributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
          name,
          {
            DataType: value.DataType,
            ...(value.StringValue !== undefined ? { StringValue: value.StringValue } : {}),
            ...(value.BinaryValue !== undefined
              ? { BinaryValue: [...Buffer.from(value.BinaryValue)] }
              : {}),
          },
        ]),
      ),
    }))
    .sort((a, b) => String(a.body).localeCompare(String(b.body)));
}

function expected(bodies: readonly string[]) {
  return contents(
    bodies.map((body, index) => ({ Body: body, MessageAttributes: attributesOf(index + 1) })),
  );
}

const redrive = createRedriveCommand({ pollIntervalMs: 100 });

describe('redrive with SQS message move tasks', () => {
  let sqs: TestSqs;

  beforeAll(async () => {
    sqs = await startSqs([{ name: 'all' }, { name: 'chat' }]);
  });

  afterAll(async () => {
    await sqs.close();
  });

  it('moves every DLQ message back to its queue with body and attributes intact', async () => {
    const bodies = await fillDlq(sqs, 'all', 3);
    const { io, stdout, stderr } = recordingIO();

    const code = await redrive.run(['--group', 'all', '--sqs-endpoint', sqs.endpoint], io);

    expect(code).toBe(0);
    expect(await depth(sqs.client, sqs.pairs.all?.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    expect(contents(await receiveAll(sqs.client, sqs.pairs.all?.queueUrl))).toEqual(
      expected(bodies),
    );
    expect(stderr()).toContain('redrive all: 3 of 3 moved (COMPLETED)\n');
    expect(stdout()).toMatch(
      /^all: moved 3 of 3 messages from stream-events-all-dlq back to stream-events-all \(move task, [\d.]+ s\)\n$/,
    );
  });

  it('prints a line per progress change on a non-terminal stderr, and a summary on stdout', async () => {
    await fillDlq(sqs, 'all', 2);
    const { io, stderr } = recordingIO();

    await redrive.run(['--group', 'all', '--sqs-endpoint', sqs.endpoint], io);

    const lines = stderr().trimEnd().split('\n');
    expect(lines.at(-1)).toBe('redrive all: 2 of 2 moved (COMPLETED)');
    expect(new Set(lines).size).toBe(lines.length); // an unchanged state is not repeated
    expect(stderr()).not.toContain('\r');
    await receiveAll(sqs.client, sqs.pairs.all?.queueUrl);
  });

  it('redrives every group by default and reports each in --json', async () => {
    await fillDlq(sqs, 'all', 2);
    const { io, stdout } = recordingIO();

    const code = await redrive.run(['--json', '--sqs-endpoint', sqs.endpoint], io);

    expect(code).toBe(0);
    const report = JSON.parse(stdout()) as RedriveReport;
    expect(report).toEqual({
      source: { kind: 'local', endpoint: sqs.endpoint },
      moved: 2,
      groups: [
        {
          group: 'all',
          queueUrl: sqs.pairs.all?.queueUrl,
          deadLetterQueueUrl: sqs.pairs.all?.dlqUrl,
          method: 'move-task',
          status: 'completed',
          toMove: 2,
          moved: 2,
          durationMs: expect.any(Number),
        },
        {
          group: 'chat',
          queueUrl: sqs.pairs.chat?.queueUrl,
          deadLetterQueueUrl: sqs.pairs.chat?.dlqUrl,
          method: null,
          status: 'nothing-to-redrive',
          toMove: 0,
          moved: 0,
          durationMs: 0,
        },
      ],
    });
    expect(await receiveAll(sqs.client, sqs.pairs.all?.queueUrl)).toHaveLength(2);
  });

  it('says "nothing to redrive" and exits 0 when the DLQ is empty', async () => {
    const { io, stdout } = recordingIO();

    const code = await redrive.run(['--group', 'chat', '--sqs-endpoint', sqs.endpoint], io);

    expect(code).toBe(0);
    expect(stdout()).toBe('chat: nothing to redrive (stream-events-chat-dlq is empty)\n');
  });

  it('with --no-wait starts the task and returns at once', async () => {
    await fillDlq(sqs, 'chat', 1);
    const { io, stdout } = recordingIO();

    const code = await redrive.run(
      ['--group', 'chat', '--no-wait', '--json', '--sqs-endpoint', sqs.endpoint],
      io,
    );

    expect(code).toBe(0);
    const [group] = (JSON.parse(stdout()) as RedriveReport).groups;
    expect(group).toMatchObject({ status: 'running', method: 'move-task', toMove: 1, moved: 0 });
    expect(group?.taskHandle).toEqual(expect.any(String));
    // The task goes on without us; the emulator moves once a second.
    await expect
      .poll(async () => (await depth(sqs.client, sqs.pairs.chat?.queueUrl)).visible, {
        timeout: 5_000,
        interval: 200,
      })
      .toBe(1);
    await receiveAll(sqs.client, sqs.pairs.chat?.queueUrl);
  });

  it('fails with exit 1 and the list of groups for an unknown group', async () => {
    const { io, stdout, stderr } = recordingIO();

    const code = await redrive.run(['--group', 'nope', '--sqs-endpoint', sqs.endpoint], io);

    expect(code).toBe(1);
    expect(stdout()).toBe('');
    expect(stderr()).toBe(
      `stream-events redrive: no consumer group "nope" in dev SQS server ${sqs.endpoint}; ` +
        'groups: all, chat\n',
    );
  });

  it('copies by hand with --method copy, sending before deleting', async () => {
    const bodies = await fillDlq(sqs, 'all', 3);
    const calls: string[] = [];
    const client = localSqsClient(sqs.endpoint);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize' },
    );
    const { io, stdout, stderr } = recordingIO();

    const code = await createRedriveCommand({ sqs: client }).run(
      ['--group', 'all', '--method', 'copy', '--sqs-endpoint', sqs.endpoint],
      io,
    );
    client.destroy();

    expect(code).toBe(0);
    expect(contents(await receiveAll(sqs.client, sqs.pairs.all?.queueUrl))).toEqual(
      expected(bodies),
    );
    expect(await depth(sqs.client, sqs.pairs.all?.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    const moves = calls.filter((call) => /^(Send|Delete)MessageCommand$/.test(call));
    expect(moves).toEqual(Array(3).fill(['SendMessageCommand', 'DeleteMessageCommand']).flat());
    expect(calls).not.toContain('StartMessageMoveTaskCommand');
    expect(stderr()).toContain('redrive all (copy): 3 of 3 moved');
    expect(stdout()).toMatch(/^all: moved 3 of 3 messages .* \(copied, [\d.]+ s\)\n$/);
  });
});

describe('redrive where the SQS endpoint has no message move tasks', () => {
  let sqs: TestSqs;

  beforeAll(async () => {
    sqs = await startSqs([{ name: 'all' }, { name: 'ordered', fifo: true }], {
      withoutMoveTasks: true,
    });
  });

  afterAll(async () => {
    await sqs.close();
  });

  it('falls back to receive, send, delete: bodies and attributes intact, DLQ empty', async () => {
    const bodies = await fillDlq(sqs, 'all', 12); // more than one ReceiveMessage batch
    const { io, stdout, stderr } = recordingIO();

    const code = await redrive.run(
      ['--group', 'all', '--json', '--sqs-endpoint', sqs.endpoint],
      io,
    );

    expect(code).toBe(0);
    expect(contents(await receiveAll(sqs.client, sqs.pairs.all?.queueUrl))).toEqual(
      expected(bodies),
    );
    expect(await depth(sqs.client, sqs.pairs.all?.dlqUrl)).toEqual({ visible: 0, inFlight: 0 });
    expect(stderr()).toContain(
      'all: this SQS endpoint has no message move tasks (UnsupportedOperation): copying instead',
    );
    expect(stderr()).toContain('redrive all (copy): 12 of 12 moved\n');
    expect((JSON.parse(stdout()) as RedriveReport).groups[0]).toMatchObject({
      group: 'all',
      method: 'copy',
      status: 'completed',
      toMove: 12,
      moved: 12,
    });
  });

  it('keeps a FIFO message group when copying', async () => {
    const bodies = await fillDlq(sqs, 'ordered', 2, { MessageGroupId: 'messaging:general' });
    const { io } = recordingIO();

    const code = await redrive.run(['--group', 'ordered', '--sqs-endpoint', sqs.endpoint], io);

    expect(code).toBe(0);
    const moved = await receiveAll(sqs.client, sqs.pairs.ordered?.queueUrl);
    expect(moved.map((message) => message.Body)).toEqual(bodies); // in order
    expect(moved.map((message) => message.Attributes?.MessageGroupId)).toEqual([
      'messaging:general',
      'messaging:general',
    ]);
  });

  it('leaves a message it cannot send in the DLQ and exits 1', async () => {
    await fillDlq(sqs, 'all', 2);
    const client = localSqsClient(sqs.endpoint);
    let sends = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'SendMessageCommand' && ++sends === 1) {
          throw Object.assign(new Error('queue is over its limit'), { name: 'OverLimit' });
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const { io, stdout } = recordingIO();

    const code = await createRedriveCommand({ sqs: client }).run(
      ['--group', 'all', '--sqs-endpoint', sqs.endpoint],
      io,
    );
    client.destroy();

    expect(code).toBe(1);
    expect(await receiveAll(sqs.client, sqs.pairs.all?.queueUrl)).toHaveLength(1);
    // Received, not sent, not deleted: hidden for the copy's visibility timeout, then back.
    expect(await depth(sqs.client, sqs.pairs.all?.dlqUrl)).toEqual({ visible: 0, inFlight: 1 });
    expect(stdout()).toBe(
      'all: failed after moving 1 of 2 (copied): 1 message could not be sent to ' +
        'stream-events-all and stays in the DLQ (first error: OverLimit: queue is over its limit)\n',
    );
  });

  it('with --method move-task refuses to copy and exits 1', async () => {
    await fillDlq(sqs, 'ordered', 1, { MessageGroupId: 'g' });
    const { io, stderr } = recordingIO();

    const code = await redrive.run(
      ['--group', 'ordered', '--method', 'move-task', '--sqs-endpoint', sqs.endpoint],
      io,
    );

    expect(code).toBe(1);
    expect(stderr()).toContain(
      'this SQS endpoint does not support message move tasks (UnsupportedOperation); use --method copy',
    );
    expect((await depth(sqs.client, sqs.pairs.ordered?.dlqUrl)).visible).toBe(1);
  });
});

describe('copyRequest', () => {
  it('gives a FIFO copy the same group and a fresh deduplication id', () => {
    const message: Message = {
      Body: 'e30=',
      Attributes: { MessageGroupId: 'chat:1', MessageDeduplicationId: 'webhook-1' },
      MessageAttributes: {
        list: { DataType: 'String', StringValue: 'x', StringListValues: ['a'] },
      },
    };

    const request = copyRequest(message, 'http://sqs/q.fifo');

    expect(request).toMatchObject({ MessageBody: 'e30=', MessageGroupId: 'chat:1' });
    expect(request.MessageDeduplicationId).not.toBe('webhook-1');
    expect(request.MessageAttributes).toEqual({ list: { DataType: 'String', StringValue: 'x' } });
  });

  it('keeps the X-Ray trace header of a standard message', () => {
    const request = copyRequest(
      { Body: 'b', Attributes: { AWSTraceHeader: 'Root=1-abc' } },
      'http://sqs/q',
    );

    expect(request).toEqual({
      QueueUrl: 'http://sqs/q',
      MessageBody: 'b',
      MessageSystemAttributes: {
        AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-abc' },
      },
    });
  });
});
