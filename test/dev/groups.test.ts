/**
 * The dev pipeline with several consumer groups, in process: the verifier's fan-out by the group
 * table, each group's consumer filtering by its patterns, and the claims (dynalite) deduping
 * Stream's direct SQS deliveries written by `send --sqs`, whatever their format.
 */
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, type SendDeps } from '../../cli/send.js';
import { DIRECT_FORMATS, sendToQueue, SqsSendError } from '../../cli/send-sqs.js';
import type { DevGroup } from '../../dev/groups.js';
import { startDevPipeline, type DevPipeline } from '../../dev/pipeline.js';
import type { HandlerContext } from '../../lambda/lib/domain/handlers.js';
import type { StreamEvent } from '../../lambda/lib/domain/stream-event.js';
import { captureLogs, type LogCapture } from '../lambda/support/log-capture.js';
import { eventually } from '../support/eventually.js';

const quiet: SendDeps = { print: () => {}, sleep: async () => {} };
/** One fixed clock for `send`, so every write of a sample carries the very same bytes. */
const FIXED_NOW = () => Date.parse('2026-11-23T09:00:00.000Z');

interface Call {
  readonly group: string;
  readonly type: string;
  readonly webhookId: string | null;
  readonly messageId: string;
}

type LogLine = Record<string, unknown>;

/** A group whose one `*` handler records each run. */
function recordingGroup(name: string, patterns: string[], calls: Call[]): DevGroup {
  return {
    name,
    patterns,
    handlers: {
      '*': (event: StreamEvent, context: HandlerContext) => {
        calls.push({
          group: name,
          type: event.type,
          webhookId: context.webhookId,
          messageId: context.messageId,
        });
      },
    },
  };
}

describe('startDevPipeline with two consumer groups', () => {
  const calls: Call[] = [];
  let pipeline: DevPipeline;
  let logs: LogCapture;
  let sqs: SQSClient;

  /** The JSON lines the pipeline logged (other output, e.g. Node warnings, is skipped). */
  const logLines = (): LogLine[] =>
    logs
      .text()
      .split('\n')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as LogLine];
        } catch {
          return [];
        }
      });
  const lineFor = (msg: string, messageId: string): Promise<LogLine> =>
    eventually(`"${msg}" for message ${messageId}`, () =>
      logLines().find((line) => line.msg === msg && line.message_id === messageId),
    );
  const webhook = (event: string) =>
    send(
      {
        event,
        url: pipeline.webhookUrl,
        gzip: false,
        apiKey: 'dev-api-key',
        secret: 'dev-api-secret',
      },
      quiet,
    );
  const direct = (group: string, event: string, format: (typeof DIRECT_FORMATS)[number]) =>
    sendToQueue(
      { event, group, format, count: 1, intervalMs: 0, endpoint: pipeline.sqsEndpoint },
      { client: sqs, print: () => {}, now: FIXED_NOW },
    );
  /** Both queues are empty and nothing is in flight: every earlier write has been consumed. */
  const drained = () =>
    eventually('both queues drained', async () => {
      for (const queue of Object.values(pipeline.queues)) {
        const { Attributes } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queue.queueUrl,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
            ],
          }),
        );
        if (
          Attributes?.ApproximateNumberOfMessages !== '0' ||
          Attributes?.ApproximateNumberOfMessagesNotVisible !== '0'
        ) {
          return undefined;
        }
      }
      return true;
    });

  beforeAll(async () => {
    logs = captureLogs();
    pipeline = await startDevPipeline({
      port: 0,
      sqsPort: 0,
      waitTimeSeconds: 0,
      groups: [
        recordingGroup('messages', ['message.*'], calls),
        recordingGroup('rest', ['*'], calls),
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
    logs?.restore();
  });

  it('creates a queue and DLQ per group, named after it, with its patterns', () => {
    expect(pipeline.queues).toEqual({
      messages: {
        queueUrl: expect.stringMatching(/\/stream-events-messages$/),
        dlqUrl: expect.stringMatching(/\/stream-events-messages-dlq$/),
        patterns: ['message.*'],
      },
      rest: {
        queueUrl: expect.stringMatching(/\/stream-events-rest$/),
        dlqUrl: expect.stringMatching(/\/stream-events-rest-dlq$/),
        patterns: ['*'],
      },
    });
    expect(pipeline.dynamoDbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('fans a webhook message.new out to both groups, each handling it once', async () => {
    const result = await webhook('message.new');

    await eventually('both groups to handle it', () => {
      const groups = calls.filter((call) => call.webhookId === result.webhookId);
      return groups.length >= 2 ? groups : undefined;
    });
    await drained();
    const handled = logLines().filter(
      (line) => line.msg === 'event handled' && line.webhook_id === result.webhookId,
    );
    expect(result.ok).toBe(true);
    expect(
      calls
        .filter((call) => call.webhookId === result.webhookId)
        .map((call) => call.group)
        .sort(),
    ).toEqual(['messages', 'rest']);
    expect(handled.map((line) => line.group).sort()).toEqual(['messages', 'rest']);
  });

  it('sends call.session_started only to the group whose patterns take it', async () => {
    const result = await webhook('call.session_started');

    await eventually('rest to handle it', () =>
      calls.find((call) => call.webhookId === result.webhookId),
    );
    await drained();
    expect(result.ok).toBe(true);
    expect(calls.filter((call) => call.webhookId === result.webhookId)).toEqual([
      expect.objectContaining({ group: 'rest', type: 'call.session_started' }),
    ]);
    expect(logLines().filter((line) => line.webhook_id === result.webhookId)).toEqual([
      expect.objectContaining({ msg: 'event handled', group: 'rest' }),
    ]);
  });

  it('handles one event written in every direct format once, the other copies as duplicates', async () => {
    const outcomes: { format: string; msg: unknown }[] = [];

    // One copy at a time, each once the previous one's outcome is logged: copies in one batch
    // would run together, and one finding another's claim in progress waits out a visibility
    // timeout (the consumer's rule, tested in test/lambda/consumer/dedupe.test.ts).
    for (const format of DIRECT_FORMATS) {
      const { messageIds } = await direct('rest', 'reaction.new', format);
      const line = await eventually(`the outcome of the ${format} copy`, () =>
        logLines().find(
          (entry) =>
            entry.message_id === messageIds[0] &&
            (entry.msg === 'event handled' || entry.msg === 'event duplicate'),
        ),
      );
      outcomes.push({ format, msg: line.msg });
    }

    expect(outcomes).toEqual([
      { format: 'json', msg: 'event handled' },
      { format: 'base64', msg: 'event duplicate' },
      { format: 'gzip', msg: 'event duplicate' },
      { format: 'sns', msg: 'event duplicate' },
    ]);
    expect(
      calls.filter((call) => call.group === 'rest' && call.type === 'reaction.new'),
    ).toHaveLength(1);
  });

  it('drops, as filtered, an event written into a group queue its patterns do not take', async () => {
    const { messageIds } = await direct('messages', 'call.session_ended', 'gzip');
    const messageId = messageIds[0] ?? '';

    const line = await lineFor('event filtered', messageId);
    await drained();
    expect(line).toMatchObject({ group: 'messages', type: 'call.session_ended', webhook_id: null });
    expect(calls.filter((call) => call.messageId === messageId)).toEqual([]);
  });

  it('takes a raw-JSON Stream message written by a plain SQS client', async () => {
    const body = JSON.stringify({ type: 'message.deleted', cid: 'messaging:general' });

    const { MessageId } = await sqs.send(
      new SendMessageCommand({ QueueUrl: pipeline.queues.messages!.queueUrl, MessageBody: body }),
    );

    const line = await lineFor('event handled', MessageId ?? '');
    expect(line).toMatchObject({ group: 'messages', type: 'message.deleted', webhook_id: null });
  });
});

describe('startDevPipeline with per-entity ordering', () => {
  const calls: Call[] = [];
  let pipeline: DevPipeline;
  let logs: LogCapture;

  beforeAll(async () => {
    logs = captureLogs();
    pipeline = await startDevPipeline({
      port: 0,
      sqsPort: 0,
      waitTimeSeconds: 0,
      ordering: 'per-entity',
      groups: [recordingGroup('all', ['*'], calls)],
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
    logs?.restore();
  });

  it('uses FIFO queues and handles webhook events in order per channel', async () => {
    const first = await send(
      {
        event: 'message.new',
        url: pipeline.webhookUrl,
        gzip: false,
        apiKey: 'dev-api-key',
        secret: 'dev-api-secret',
      },
      quiet,
    );
    const second = await send(
      {
        event: 'reaction.new',
        url: pipeline.webhookUrl,
        gzip: false,
        apiKey: 'dev-api-key',
        secret: 'dev-api-secret',
      },
      quiet,
    );

    await eventually('both handled', () => (calls.length >= 2 ? calls : undefined));
    expect(pipeline.queues.all).toMatchObject({
      queueUrl: expect.stringMatching(/\/stream-events-all\.fifo$/),
      dlqUrl: expect.stringMatching(/\/stream-events-all-dlq\.fifo$/),
    });
    expect(calls.map((call) => call.webhookId)).toEqual([first.webhookId, second.webhookId]);
  });

  it('refuses `send --sqs` into a FIFO queue, as Stream cannot write to one', async () => {
    const attempt = sendToQueue(
      {
        event: 'message.new',
        group: 'all',
        format: 'gzip',
        count: 1,
        intervalMs: 0,
        endpoint: pipeline.sqsEndpoint,
      },
      { print: () => {} },
    );

    await expect(attempt).rejects.toThrow(SqsSendError);
    await expect(attempt).rejects.toThrow(/FIFO queue/);
  });
});
