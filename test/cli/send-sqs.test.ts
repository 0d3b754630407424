/**
 * `npm run send -- --sqs <group>`: Stream's direct SQS delivery written into a dev queue, checked
 * on a real embedded SQS server, with Stream's SDK (`stream-chat`) reading the bodies back.
 */
import { createServer, type AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { parseSns, parseSqs } from 'stream-chat';
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
  type MockInstance,
} from 'vitest';
import { runSend } from '../../cli/send.js';
import {
  DIRECT_FORMATS,
  directQueueBody,
  sendToQueue,
  SqsSendError,
  type SqsSendOptions,
} from '../../cli/send-sqs.js';
import { createQueuePair, startLocalSqs, type LocalSqs } from '../../dev/local-sqs.js';
import { decodeQueueMessage } from '../../lambda/lib/domain/decode.js';

const EVENT = Buffer.from(JSON.stringify({ type: 'message.new', cid: 'messaging:general' }));
const FIXED_NOW = () => Date.parse('2026-11-23T09:00:00.000Z');
const MAX_INFLATED = 1024 * 1024;

let sqs: LocalSqs;
const queues: Record<string, string> = {};
let stderr: MockInstance;
const printed: string[] = [];
const deps = () => ({
  print: (line: string) => printed.push(line),
  sleep: async () => {},
  now: FIXED_NOW,
});

/** Takes every message now on `group`'s queue off it. */
async function drain(group: string): Promise<Message[]> {
  const taken: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queues[group],
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
      }),
    );
    if (Messages.length === 0) return taken;
    taken.push(...Messages);
  }
}

function options(overrides: Partial<SqsSendOptions> = {}): SqsSendOptions {
  return {
    event: 'message.new',
    group: 'all',
    format: 'gzip',
    count: 1,
    intervalMs: 0,
    endpoint: sqs.endpoint,
    ...overrides,
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const errorText = (): string => stderr.mock.calls.map(([chunk]) => String(chunk)).join('');

beforeAll(async () => {
  sqs = await startLocalSqs({ port: 0, host: '127.0.0.1' });
  for (const [group, fifo] of [
    ['all', false],
    ['messages', false],
    ['ordered', true],
  ] as const) {
    const pair = await createQueuePair(sqs.client, {
      name: `stream-events-${group}`,
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 5,
      fifo,
    });
    queues[group] = pair.queueUrl;
  }
});

afterAll(async () => {
  await sqs.close();
});

afterEach(async () => {
  printed.length = 0;
  stderr?.mockRestore();
  await drain('all');
});

describe('directQueueBody', () => {
  const envelope = { messageId: 'f3c2a1b0-0000-4000-8000-000000000001', timestamp: new Date(0) };

  it('writes the JSON as it is for `json`', () => {
    expect(directQueueBody(EVENT, 'json', envelope)).toBe(EVENT.toString('utf8'));
  });

  it('writes base64 of the JSON for `base64`, as Stream with compression off (JS SDK)', () => {
    const body = directQueueBody(EVENT, 'base64', envelope);

    expect(Buffer.from(body, 'base64')).toEqual(EVENT);
    expect(parseSqs(body)).toEqual(JSON.parse(EVENT.toString('utf8')));
  });

  it('writes base64 of gzip(JSON) for `gzip`, Stream’s compressed format', () => {
    const body = directQueueBody(EVENT, 'gzip', envelope);

    expect(body).toMatch(/^H4sI/); // base64 of the gzip magic 1f 8b 08
    expect(gunzipSync(Buffer.from(body, 'base64'))).toEqual(EVENT);
    expect(parseSqs(body)).toEqual(JSON.parse(EVENT.toString('utf8')));
  });

  it('writes an SNS notification envelope around base64 gzip for `sns`', () => {
    const body = directQueueBody(EVENT, 'sns', envelope);

    expect(JSON.parse(body)).toMatchObject({
      Type: 'Notification',
      MessageId: envelope.messageId,
      TopicArn: expect.stringMatching(/^arn:aws:sns:/),
      Message: directQueueBody(EVENT, 'gzip', envelope),
      Timestamp: '1970-01-01T00:00:00.000Z',
    });
    expect(parseSns(body)).toEqual(JSON.parse(EVENT.toString('utf8')));
  });

  it.each(DIRECT_FORMATS)('%s decodes to the very same event bytes in the consumer', (format) => {
    const decoded = decodeQueueMessage(directQueueBody(EVENT, format, envelope), MAX_INFLATED);

    expect(decoded.bytes).toEqual(EVENT);
  });
});

describe('sendToQueue', () => {
  it('writes into the group’s queue, found by name, the body alone: no attributes', async () => {
    const result = await sendToQueue(options({ group: 'messages' }), deps());

    const [message, ...more] = await drain('messages');
    expect(more).toEqual([]);
    expect(result).toMatchObject({ ok: true, queueUrl: queues.messages, eventType: 'message.new' });
    expect(result.messageIds).toEqual([message?.MessageId]);
    expect(message?.MessageAttributes).toBeUndefined();
    expect(decodeQueueMessage(message?.Body ?? '', MAX_INFLATED).event.type).toBe('message.new');
  });

  it('prints one line: group, queue URL, format and MessageId', async () => {
    const result = await sendToQueue(options({ format: 'sns' }), deps());

    expect(printed).toEqual([
      expect.stringMatching(
        new RegExp(`^SendMessage group all ${queues.all} format sns: message\\.new from sample`),
      ),
    ]);
    expect(printed[0]).toContain(`MessageId ${result.messageIds[0]}`);
  });

  it('with count 3, writes the very same body three times, pausing between copies', async () => {
    const pauses: number[] = [];

    const result = await sendToQueue(options({ count: 3, intervalMs: 1500 }), {
      ...deps(),
      sleep: async (ms) => {
        pauses.push(ms);
      },
    });

    const messages = await drain('all');
    expect(messages).toHaveLength(3);
    expect(new Set(messages.map((message) => message.Body)).size).toBe(1);
    expect(new Set(result.messageIds).size).toBe(3);
    expect(pauses).toEqual([1500, 1500]);
    expect(printed.map((line) => line.match(/\(copy \d of 3\)$/)?.[0])).toEqual([
      '(copy 1 of 3)',
      '(copy 2 of 3)',
      '(copy 3 of 3)',
    ]);
  });

  it('names the groups there are when the group has no queue', async () => {
    const attempt = sendToQueue(options({ group: 'nope' }), deps());

    await expect(attempt).rejects.toThrow(SqsSendError);
    await expect(attempt).rejects.toThrow(
      /no queue stream-events-nope at .*; groups there: all, messages, ordered/,
    );
  });

  it('refuses a FIFO group queue: Stream writes no MessageGroupId', async () => {
    await expect(sendToQueue(options({ group: 'ordered' }), deps())).rejects.toThrow(
      /group "ordered" has a FIFO queue/,
    );
  });

  it('says to start `npm run dev` when nothing listens at the endpoint', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;

    await expect(sendToQueue(options({ endpoint }), deps())).rejects.toThrow(
      /cannot reach the dev SQS server at .* \(ECONNREFUSED\): is `npm run dev` running\?/,
    );
  });
});

describe('runSend --sqs', () => {
  const port = (): string => new URL(sqs.endpoint).port;

  const quietStderr = (): void => {
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  };

  it('defaults to group format gzip at http://127.0.0.1:$SQS_PORT', async () => {
    const code = await runSend(['--sqs', 'all', 'message.new'], { SQS_PORT: port() }, deps());

    const [message] = await drain('all');
    expect(code).toBe(0);
    expect(message?.Body).toMatch(/^H4sI/);
    expect(printed[0]).toContain('format gzip');
  });

  it('takes --format, --count and --sqs-endpoint', async () => {
    const code = await runSend(
      [
        'user.updated',
        '--sqs',
        'messages',
        '--format',
        'json',
        '--count',
        '2',
        '--sqs-endpoint',
        sqs.endpoint,
      ],
      {},
      deps(),
    );

    const messages = await drain('messages');
    expect(code).toBe(0);
    expect(messages.map((message) => JSON.parse(message.Body ?? '').type)).toEqual([
      'user.updated',
      'user.updated',
    ]);
  });

  it('writes a JSON file given by path byte for byte with --format json', async () => {
    const path = 'events/moderation.flagged.json';
    const { readFile } = await import('node:fs/promises');

    const code = await runSend(
      [path, '--sqs', 'all', '--format', 'json'],
      { SQS_PORT: port() },
      deps(),
    );

    const [message] = await drain('all');
    expect(code).toBe(0);
    expect(message?.Body).toBe(await readFile(path, 'utf8'));
  });

  it.each([
    [['--sqs', 'all', 'message.new', '--gzip'], /--gzip only apply to the webhook/],
    [['--sqs', 'all', 'message.new', '--secret', 's'], /--secret only apply to the webhook/],
    [['message.new', '--format', 'json'], /--format only apply with --sqs <group>/],
    [['message.new', '--count', '2'], /--count only apply with --sqs <group>/],
    [
      ['--sqs', 'all', 'message.new', '--format', 'xml'],
      /--format must be one of json, base64, gzip, sns/,
    ],
    [['--sqs', 'all', 'message.new', '--count', '0'], /--count must be an integer from 1/],
    [['--sqs', 'all', 'message.new', '--interval', 'soon'], /--interval must be an integer/],
    [['--sqs', 'All Events', 'message.new'], /--sqs: consumer group name "All Events"/],
    [
      ['--sqs', 'all', 'message.new', '--sqs-endpoint', 'nowhere'],
      /--sqs-endpoint nowhere is not a URL/,
    ],
  ])('exits 1 without writing for %j', async (argv, message) => {
    quietStderr();

    const code = await runSend(argv, { SQS_PORT: port() }, deps());

    expect(code).toBe(1);
    expect(errorText()).toMatch(message);
    expect(await drain('all')).toEqual([]);
  });

  it('exits 1 with the reason when the group has no queue', async () => {
    quietStderr();

    const code = await runSend(['--sqs', 'calls', 'message.new'], { SQS_PORT: port() }, deps());

    expect(code).toBe(1);
    expect(errorText()).toContain('send: no queue stream-events-calls');
  });

  it('documents both modes in --help', async () => {
    const code = await runSend(['--help'], {}, deps());

    const help = printed.join('\n');
    expect(code).toBe(0);
    for (const option of [
      '--url',
      '--gzip',
      '--sqs <group>',
      '--format',
      '--count',
      '--interval',
      '--sqs-endpoint',
    ]) {
      expect(help).toContain(option);
    }
    expect(help).toMatch(/json\s+the event JSON/);
    expect(help).toMatch(/sns\s+an SNS envelope/);
  });
});
