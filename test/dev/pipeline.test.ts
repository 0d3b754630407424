import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, type SendDeps, type SendOptions } from '../../cli/send.js';
import { startDevPipeline, type DevPipeline } from '../../dev/pipeline.js';
import { decodeQueueMessage } from '../../lambda/lib/domain/decode.js';
import type { HandlerContext } from '../../lambda/lib/domain/handlers.js';
import type { StreamEvent } from '../../lambda/lib/domain/stream-event.js';
import { eventually } from '../support/eventually.js';

const quiet: SendDeps = { print: () => {}, sleep: async () => {} };

type LogLine = Record<string, unknown>;

describe('npm run dev, spawned as a user runs it', () => {
  const secret = 'spawned-secret-value';
  const stdout: string[] = [];
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let ready: LogLine;

  const parsed = (): LogLine[] => stdout.map((line) => JSON.parse(line) as LogLine);
  const lineFor = (msg: string, webhookId: string): Promise<LogLine> =>
    eventually(`"${msg}" for ${webhookId}`, () =>
      parsed().find((line) => line.msg === msg && line.webhook_id === webhookId),
    );
  const sendTo = (overrides: Partial<SendOptions>, webhookId?: string) =>
    send(
      {
        event: 'message.new',
        url: String(ready.webhook_url),
        gzip: false,
        apiKey: 'dev-api-key',
        secret,
        ...overrides,
      },
      webhookId === undefined ? quiet : { ...quiet, newWebhookId: () => webhookId },
    );

  beforeAll(async () => {
    child = spawn(join('node_modules', '.bin', 'tsx'), ['dev/index.ts'], {
      env: { ...process.env, PORT: '0', SQS_PORT: '0', STREAM_API_SECRET: secret },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    createInterface({ input: child.stdout! }).on('line', (line) => stdout.push(line));
    child.stderr!.resume();
    ready = await eventually(
      'the ready line',
      () => parsed().find((line) => line.msg === 'dev pipeline ready'),
      { timeoutMs: 30_000 },
    );
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  });

  it('prints where to send and never echoes a secret from STREAM_API_SECRET', () => {
    expect(ready).toMatchObject({
      webhook_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/),
      sqs_endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      // cdk.json sets no `consumers`, so the stack's default table: one group `all` taking `*`.
      queues: {
        all: {
          queue_url: expect.stringMatching(/\/stream-events-all$/),
          dlq_url: expect.stringMatching(/\/stream-events-all-dlq$/),
          patterns: ['*'],
        },
      },
      dynamodb_endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      idempotency_table: 'stream-events-idempotency',
      api_key: 'dev-api-key',
      api_secret: '(from STREAM_API_SECRET)',
    });
    expect(stdout.join('\n')).not.toContain(secret);
  });

  it('lists the synchronous hooks on the same server', () => {
    const base = String(ready.webhook_url).replace(/\/webhook$/, '');
    expect(ready.hooks).toEqual({
      before_message_send_url: `${base}/hooks/before-message-send`,
      custom_commands_url: `${base}/hooks/custom-commands`,
      pending_messages_url: `${base}/hooks/pending-messages`,
    });
  });

  it('handles a signed event, plain and gzipped, in group "all"', async () => {
    const plain = await sendTo({});
    const zipped = await sendTo({ gzip: true });

    const plainLine = await lineFor('event handled', plain.webhookId);
    const zippedLine = await lineFor('event handled', zipped.webhookId);
    expect(plain.ok && zipped.ok).toBe(true);
    expect(plainLine).toMatchObject({ type: 'message.new', group: 'all', level: 'INFO' });
    expect(zippedLine).toMatchObject({ type: 'message.new', group: 'all', level: 'INFO' });
  });

  it('logs an event no handler takes as unhandled', async () => {
    const result = await sendTo({ event: 'user.updated' });

    const line = await lineFor('event unhandled', result.webhookId);
    expect(line).toMatchObject({ type: 'user.updated', group: 'all' });
  });

  it('runs a webhook retry (the same signed body) once and logs the second as a duplicate', async () => {
    // A retry carries the very bytes of the first attempt: a file is sent byte for byte, where a
    // sample gets a fresh created_at on every send.
    const webhookId = randomUUID();
    const dir = await mkdtemp(join(tmpdir(), 'stream-events-retry-'));
    const file = join(dir, 'reaction.json');
    const event = {
      type: 'reaction.new',
      cid: 'messaging:retry',
      reaction: { message_id: webhookId, type: 'like' },
      created_at: new Date().toISOString(),
    };
    await writeFile(file, JSON.stringify(event));
    const first = await sendTo({ event: file }, webhookId);
    await lineFor('event handled', webhookId);
    const retry = await sendTo({ event: file }, webhookId);
    await rm(dir, { recursive: true, force: true });

    const duplicate = await lineFor('event duplicate', webhookId);
    expect(first.ok && retry.ok).toBe(true);
    expect(duplicate).toMatchObject({ type: 'reaction.new', group: 'all' });
    expect(
      parsed().filter((line) => line.webhook_id === webhookId && line.msg === 'event handled'),
    ).toHaveLength(1);
  });

  it('handles a Stream-format message dropped into the listed queue by any SQS client', async () => {
    const queues = ready.queues as Record<string, { queue_url: string }>;
    const client = new SQSClient({
      region: 'us-east-1',
      endpoint: String(ready.sqs_endpoint),
      credentials: { accessKeyId: 'any', secretAccessKey: 'any' },
    });
    const event = { type: 'call.session_started', call_cid: 'default:dropped', created_at: 'x' };
    try {
      const { MessageId } = await client.send(
        new SendMessageCommand({
          QueueUrl: queues.all!.queue_url,
          MessageBody: Buffer.from(JSON.stringify(event)).toString('base64'),
        }),
      );

      const line = await eventually('the dropped message handled', () =>
        parsed().find((entry) => entry.msg === 'event handled' && entry.message_id === MessageId),
      );
      expect(line).toMatchObject({ type: 'call.session_started', group: 'all', webhook_id: null });
    } finally {
      client.destroy();
    }
  });

  it('answers 401 to a wrong secret and handles nothing of it', async () => {
    const forged = await sendTo({ event: 'reaction.new', secret: 'not-the-secret' });
    // A later good delivery has gone all the way through once the forged one could have.
    const later = await sendTo({ event: 'reaction.new' });
    await lineFor('event handled', later.webhookId);

    expect(forged.attempts.map((attempt) => attempt.outcome)).toEqual([401]);
    expect(parsed().filter((line) => line.webhook_id === forged.webhookId)).toEqual([]);
  });

  it('stops on SIGTERM with exit code 0, having printed only JSON lines', async () => {
    child.kill('SIGTERM');

    const code = await exited;
    expect(code).toBe(0);
    expect(stdout.at(-1)).toBe('{"msg":"dev pipeline stopped"}');
    for (const line of stdout) {
      expect(() => JSON.parse(line), line).not.toThrow();
      expect(JSON.parse(line), line).toBeTypeOf('object');
    }
  });
});

describe('startDevPipeline: a handler that throws', () => {
  const maxReceiveCount = 2;
  const calls: { type: string; webhookId: string | null }[] = [];
  let pipeline: DevPipeline;
  let sqs: SQSClient;

  beforeAll(async () => {
    pipeline = await startDevPipeline({
      port: 0,
      sqsPort: 0,
      visibilityTimeoutSeconds: 1,
      maxReceiveCount,
      // Both events are queued before the first receive, so they arrive in one batch.
      startPolling: false,
      groups: [
        {
          name: 'all',
          patterns: ['*'],
          handlers: {
            '*': (event: StreamEvent, context: HandlerContext) => {
              calls.push({ type: event.type, webhookId: context.webhookId });
              if (event.type === 'user.updated') throw new Error('handler failed on purpose');
            },
          },
        },
      ],
    });
    sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: pipeline.sqsEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    sqs?.destroy();
    await pipeline?.stop();
  });

  it('retries just its record and dead-letters it after maxReceiveCount receives', async () => {
    const options = {
      url: pipeline.webhookUrl,
      gzip: false,
      apiKey: 'dev-api-key',
      secret: 'dev-api-secret',
    };
    const good = await send({ ...options, event: 'message.new' }, quiet);
    const bad = await send({ ...options, event: 'user.updated' }, quiet);

    pipeline.startPolling();
    const dead = await eventually<Message>('the failed record in the DLQ', async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: pipeline.queues.all!.dlqUrl,
          MessageAttributeNames: ['All'],
          WaitTimeSeconds: 0,
        }),
      );
      return Messages?.[0];
    });
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: pipeline.queues.all!.queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );

    expect(good.ok && bad.ok).toBe(true);
    expect(decodeQueueMessage(dead.Body ?? '').event.type).toBe('user.updated');
    expect(dead.MessageAttributes?.webhook_id?.StringValue).toBe(bad.webhookId);
    expect(calls.filter((call) => call.webhookId === bad.webhookId)).toHaveLength(maxReceiveCount);
    expect(calls.filter((call) => call.webhookId === good.webhookId)).toEqual([
      { type: 'message.new', webhookId: good.webhookId },
    ]);
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });
});
