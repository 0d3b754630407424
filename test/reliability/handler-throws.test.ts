/**
 * Fault: a handler that throws for 1 event of 10. Only that record is retried; it is received
 * maxReceiveCount times, lands in the DLQ, and the 9 others run once. Once the handler is fixed,
 * `stream-events redrive` (the command's own code) brings it back and it is handled once.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../cli/command.js';
import { createRedriveCommand, type RedriveReport } from '../../cli/redrive.js';
import { startDevPipeline, type DevPipeline } from '../../dev/pipeline.js';
import { captureLogs, type LogCapture } from '../lambda/support/log-capture.js';
import { deliver, depth, eventually, jsonLines, localSqsClient, messageNew } from './support.js';

const MAX_RECEIVE_COUNT = 3;

describe('a handler that throws for 1 record of 10', () => {
  const runs = new Map<string, { failed: number; succeeded: number }>();
  const ids = Array.from({ length: 10 }, (_, n) => `throws-${n}-${Date.now()}`);
  const badId = ids[6]!;
  let broken = true;
  let pipeline: DevPipeline;
  let sqs: SQSClient;
  let logs: LogCapture;

  beforeAll(async () => {
    logs = captureLogs();
    pipeline = await startDevPipeline({
      port: 0,
      sqsPort: 0,
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      waitTimeSeconds: 0,
      startPolling: false,
      hookRuntime: false,
      groups: [
        {
          name: 'all',
          patterns: ['*'],
          handlers: {
            '*': (_event, { webhookId }) => {
              const entry = runs.get(webhookId ?? '') ?? { failed: 0, succeeded: 0 };
              runs.set(webhookId ?? '', entry);
              if (webhookId === badId && broken) {
                entry.failed += 1;
                throw new Error('handler bug on purpose');
              }
              entry.succeeded += 1;
            },
          },
        },
      ],
    });
    sqs = localSqsClient(pipeline.sqsEndpoint);
  });

  afterAll(async () => {
    sqs?.destroy();
    await pipeline?.stop();
    logs?.restore();
  });

  it('retries only that record, dead-letters it after maxReceiveCount, and redrive brings it back once', async () => {
    const queues = pipeline.queues.all!;
    // Queued before the first receive, so the ten share batches and the bad one fails beside
    // records that succeed.
    const delivered = await Promise.all(
      ids.map((id) => deliver(pipeline.webhookUrl, messageNew(id), id)),
    );
    pipeline.startPolling();
    await eventually('the failing record in the DLQ', async () =>
      (await depth(sqs, queues.dlqUrl)) === 1 && (await depth(sqs, queues.queueUrl)) === 0
        ? true
        : undefined,
    );
    const beforeRedrive = structuredClone(Object.fromEntries(runs));

    broken = false;
    const out: string[] = [];
    const io: CommandIO = {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: () => true },
      env: {},
      interactive: false,
      confirm: async () => false,
    };
    const code = await createRedriveCommand({ pollIntervalMs: 100 }).run(
      ['--group', 'all', '--sqs-endpoint', pipeline.sqsEndpoint, '--json'],
      io,
    );
    await eventually('the redriven record handled', () =>
      runs.get(badId)?.succeeded === 1 ? true : undefined,
    );
    await eventually('both queues empty', async () =>
      (await depth(sqs, queues.queueUrl)) + (await depth(sqs, queues.dlqUrl)) === 0
        ? true
        : undefined,
    );

    expect(delivered.every((result) => result.ok)).toBe(true);
    expect(beforeRedrive[badId]).toEqual({ failed: MAX_RECEIVE_COUNT, succeeded: 0 });
    for (const id of ids.filter((id) => id !== badId)) {
      expect(beforeRedrive[id], id).toEqual({ failed: 0, succeeded: 1 });
      expect(runs.get(id), id).toEqual({ failed: 0, succeeded: 1 });
    }
    expect(code).toBe(0);
    const report = JSON.parse(out.join('')) as RedriveReport;
    expect(report.groups).toEqual([
      expect.objectContaining({ group: 'all', method: 'move-task', status: 'completed', moved: 1 }),
    ]);
    expect(runs.get(badId)).toEqual({ failed: MAX_RECEIVE_COUNT, succeeded: 1 });
    const handled = jsonLines(logs).filter(
      (line) => line.msg === 'event handled' && line.webhook_id === badId,
    );
    expect(handled).toHaveLength(1);
  });
});
