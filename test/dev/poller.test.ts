import {
  SendMessageBatchCommand,
  type ReceiveMessageCommandInput,
  type ReceiveMessageCommandOutput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueuePair, startLocalSqs, type LocalSqs } from '../../dev/local-sqs.js';
import { startPoller } from '../../dev/poller.js';
import { createLogger } from '../../lambda/lib/adapters/logger.js';
import { depth, eventually, localSqsClient } from '../reliability/support.js';

const COUNT = 200;
const BATCH_SIZE = 10;
const WAIT_TIME_SECONDS = 1;

interface Receive {
  readonly waitTimeSeconds: number | undefined;
  readonly messages: number;
}

/** A client whose every ReceiveMessage is recorded: the wait it asked for, what it got. */
function recordingClient(endpoint: string, receives: Receive[]): SQSClient {
  const client = localSqsClient(endpoint);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === 'ReceiveMessageCommand') {
        const input = args.input as ReceiveMessageCommandInput;
        const output = result.output as ReceiveMessageCommandOutput;
        receives.push({
          waitTimeSeconds: input.WaitTimeSeconds,
          messages: output.Messages?.length ?? 0,
        });
      }
      return result;
    },
    { step: 'initialize' },
  );
  return client;
}

describe('the dev poller on a backlog', () => {
  const receives: Receive[] = [];
  const handled: SQSRecord[] = [];
  let sqs: LocalSqs;
  let client: SQSClient;

  beforeAll(async () => {
    sqs = await startLocalSqs({ port: 0, host: '127.0.0.1' });
    client = recordingClient(sqs.endpoint, receives);
  });

  afterAll(async () => {
    client?.destroy();
    await sqs?.close();
  });

  it('drains 200 queued messages with one long poll, then short receives while any come back', async () => {
    const queue = await createQueuePair(sqs.client, {
      name: 'poller-backlog',
      visibilityTimeoutSeconds: 30,
      maxReceiveCount: 5,
    });
    for (let sent = 0; sent < COUNT; sent += BATCH_SIZE) {
      await sqs.client.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.queueUrl,
          Entries: Array.from({ length: BATCH_SIZE }, (_, n) => ({
            Id: String(n),
            MessageBody: `message ${sent + n}`,
          })),
        }),
      );
    }

    const poller = startPoller({
      client,
      queueUrl: queue.queueUrl,
      queueArn: queue.queueArn,
      region: 'us-east-1',
      batchSize: BATCH_SIZE,
      waitTimeSeconds: WAIT_TIME_SECONDS,
      handler: async (event) => {
        handled.push(...event.Records);
        return { batchItemFailures: [] };
      },
      functionName: 'stream-events-consumer-test',
      functionTimeoutMs: 30_000,
      logger: createLogger('stream-events-dev'),
    });
    try {
      await eventually('every message handled and deleted', async () =>
        handled.length >= COUNT && (await depth(client, queue.queueUrl)) === 0 ? true : undefined,
      );
    } finally {
      await poller.stop();
    }
    const withMessages = receives.filter((receive) => receive.messages > 0);

    expect(new Set(handled.map((record) => record.body)).size).toBe(COUNT);
    expect(handled).toHaveLength(COUNT);
    // Full batches: 20 receives for 200 messages, only the first of them a long poll.
    expect(withMessages).toHaveLength(COUNT / BATCH_SIZE);
    expect(withMessages.filter((receive) => receive.waitTimeSeconds !== 0)).toHaveLength(1);
    // Each receive waits only if the one before it came back empty.
    receives.slice(1).forEach((receive, n) => {
      const previous = receives[n]!;
      expect(receive.waitTimeSeconds).toBe(previous.messages > 0 ? 0 : WAIT_TIME_SECONDS);
    });
  });
});
