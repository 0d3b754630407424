/**
 * Fault: the consumer dies in the middle of a batch. In Lambda a crash or a timeout fails the
 * invocation without a batch response, so SQS hands every record of the batch out again after
 * the visibility timeout, and the next invocation runs in a fresh environment. Here the first
 * "container" completes the effects of its first K records and never settles on the others; a
 * wrapper fails the invocation at the function timeout as Lambda does (dev/poller.ts then deletes
 * nothing) and replaces the container. The claims must make each effect happen exactly once:
 * the K completed ones come back as duplicates, the in-progress ones are taken over once their
 * claim expires with the dead invocation (lambda/lib/adapters/dynamodb-claims.ts).
 */
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevPipeline, type DevPipeline } from '../../dev/pipeline.js';
import { startPoller, type Poller } from '../../dev/poller.js';
import { DEFAULT_DEDUPE_TTL_SECONDS } from '../../contract/defaults.js';
import { composeConsumer } from '../../lambda/consumer/compose.js';
import type { ConsumerHandler } from '../../lambda/consumer/handler.js';
import { silentMetrics } from '../../lambda/lib/domain/metrics.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../../contract/limits.js';
import { createLogger } from '../../lambda/lib/adapters/logger.js';
import { dynamoDbClientFor } from '../lambda/support/local-dynamodb.js';
import { captureLogs, type LogCapture } from '../lambda/support/log-capture.js';
import { deliver, depth, eventually, jsonLines, localSqsClient, messageNew } from './support.js';

const COUNT = 10;
const COMPLETED_BEFORE_DEATH = 4;
const VISIBILITY_SECONDS = 2;
/** Below the visibility timeout, as the stack requires of a consumer function. */
const FUNCTION_TIMEOUT_MS = 1_500;

describe('a consumer that dies mid-batch', () => {
  const effects = new Map<string, number>();
  const completedBeforeDeath: string[] = [];
  const ids = Array.from({ length: COUNT }, (_, n) => `dies-${n}-${Date.now()}`);
  let pipeline: DevPipeline;
  let sqs: SQSClient;
  let poller: Poller | undefined;
  let logs: LogCapture;
  let timedOut = 0;

  /** One Lambda execution environment: its own consumer, claims and batch processor. */
  function container(doomed: boolean): ConsumerHandler {
    let started = 0;
    return composeConsumer(
      {
        group: 'all',
        patterns: ['*'],
        ordering: 'none',
        idempotencyTable: pipeline.idempotencyTable,
        dedupeTtlSeconds: DEFAULT_DEDUPE_TTL_SECONDS,
        maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
      },
      {
        '*': async (_event, { webhookId }) => {
          started += 1;
          // The process is gone from here on: this effect never happens in this container.
          if (doomed && started > COMPLETED_BEFORE_DEATH) await new Promise<never>(() => {});
          effects.set(webhookId ?? '', (effects.get(webhookId ?? '') ?? 0) + 1);
          if (doomed) completedBeforeDeath.push(webhookId ?? '');
        },
      },
      {
        dynamoDb: dynamoDbClientFor(pipeline.dynamoDbEndpoint),
        largeEvents: null,
        metrics: silentMetrics,
        logger: createLogger('stream-events-consumer'),
      },
    );
  }

  beforeAll(async () => {
    logs = captureLogs();
    // The pipeline gives the webhook, the queue and the claims table; its own poller stays off.
    pipeline = await startDevPipeline({
      port: 0,
      sqsPort: 0,
      visibilityTimeoutSeconds: VISIBILITY_SECONDS,
      maxReceiveCount: 5,
      startPolling: false,
      hookRuntime: false,
      groups: [{ name: 'all', patterns: ['*'], handlers: {} }],
    });
    sqs = localSqsClient(pipeline.sqsEndpoint);
  });

  afterAll(async () => {
    await poller?.stop();
    sqs?.destroy();
    await pipeline?.stop();
    logs?.restore();
  });

  it('redelivers the whole batch and still runs each effect exactly once', async () => {
    const queues = pipeline.queues.all!;
    const delivered = await Promise.all(
      ids.map((id) => deliver(pipeline.webhookUrl, messageNew(id), id)),
    );
    let current = container(true);
    // What Lambda does around the handler: a deadline, and a new environment after a timeout.
    const lambda: ConsumerHandler = async (event, context) => {
      const budgetMs = context.getRemainingTimeInMillis();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut += 1;
          current = container(false);
          reject(new Error(`Task timed out after ${budgetMs} ms`));
        }, budgetMs);
      });
      try {
        return await Promise.race([current(event, context), deadline]);
      } finally {
        clearTimeout(timer);
      }
    };
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queues.queueUrl, AttributeNames: ['QueueArn'] }),
    );
    poller = startPoller({
      client: sqs,
      queueUrl: queues.queueUrl,
      queueArn: Attributes!.QueueArn!,
      region: 'us-east-1',
      batchSize: COUNT,
      waitTimeSeconds: 0,
      handler: lambda,
      functionName: 'stream-events-consumer-all',
      functionTimeoutMs: FUNCTION_TIMEOUT_MS,
      logger: createLogger('stream-events-dev'),
    });

    await eventually('every effect, and an empty queue', async () =>
      ids.every((id) => effects.has(id)) && (await depth(sqs, queues.queueUrl)) === 0
        ? true
        : undefined,
    );
    const lines = jsonLines(logs);

    expect(delivered.every((result) => result.ok)).toBe(true);
    expect(timedOut).toBe(1);
    expect(lines.filter((line) => line.msg === 'batch failed')).toEqual([
      expect.objectContaining({ records: COUNT }),
    ]);
    expect(completedBeforeDeath).toHaveLength(COMPLETED_BEFORE_DEATH);
    expect(Object.fromEntries(effects)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
    expect(
      lines
        .filter((line) => line.msg === 'event duplicate')
        .map((line) => line.webhook_id)
        .sort(),
    ).toEqual([...completedBeforeDeath].sort());
    expect(await depth(sqs, queues.dlqUrl)).toBe(0);
  });
});
