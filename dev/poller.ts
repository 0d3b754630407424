import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ConsumerHandler } from '../lambda/consumer/handler.js';
import type { Logger } from '../lambda/lib/adapters/logger.js';
import { recordsToDelete, sqsEventFrom } from './event-source-mapping.js';
import { lambdaContext } from './lambda-context.js';

/** ReceiveMessage returns at most 10 messages, and so does one local batch. */
export const MAX_BATCH_SIZE = 10;
const DELETE_BATCH_SIZE = 10;

export interface PollerOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  /** 1-10. */
  readonly batchSize: number;
  /**
   * The long poll after an empty receive; a receive that returned messages is followed at once by
   * a short one. 0 for short polls only.
   */
  readonly waitTimeSeconds: number;
  readonly handler: ConsumerHandler;
  readonly functionName: string;
  /** What the local "function" may run; Lambda's must not exceed the queue's visibility timeout. */
  readonly functionTimeoutMs: number;
  readonly logger: Logger;
  /** Pause after an empty short poll, and after a failed receive. @default 200 */
  readonly idleDelayMs?: number;
}

export interface Poller {
  /** Stops receiving, lets the batch in hand finish, and resolves once the loop has ended. */
  stop(): Promise<void>;
}

/**
 * Lambda's SQS event source mapping, locally: receive a batch, invoke the consumer with an
 * SQSEvent, delete the records it did not report as failed. Failed records are left alone to
 * become visible again after the visibility timeout; the queue's redrive policy moves them to the
 * DLQ after maxReceiveCount receives.
 */
export function startPoller(options: PollerOptions): Poller {
  const controller = new AbortController();
  const idleDelayMs = options.idleDelayMs ?? 200;
  const source = { queueArn: options.queueArn, region: options.region };

  const pause = async (ms: number): Promise<void> => {
    try {
      await sleep(ms, undefined, { signal: controller.signal });
    } catch {
      // Aborted: the loop sees it and ends.
    }
  };

  const receive = async (waitTimeSeconds: number): Promise<Message[] | null> => {
    try {
      const output = await options.client.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: options.batchSize,
          WaitTimeSeconds: waitTimeSeconds,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
          // local-aws-sqs reads only this older name for the system attributes.
          AttributeNames: ['All'],
        }),
        { abortSignal: controller.signal },
      );
      return output.Messages ?? [];
    } catch (error) {
      if (controller.signal.aborted) return null;
      options.logger.error('receive failed', { error: error as Error });
      await pause(idleDelayMs);
      return [];
    }
  };

  const invoke = async (event: SQSEvent): Promise<SQSBatchResponse | null> => {
    try {
      return await options.handler(
        event,
        lambdaContext(options.functionName, options.functionTimeoutMs),
      );
    } catch (error) {
      // A failed invocation: Lambda deletes nothing and every record comes back.
      options.logger.error('batch failed', {
        error: error as Error,
        records: event.Records.length,
      });
      return null;
    }
  };

  const remove = async (event: SQSEvent, response: SQSBatchResponse): Promise<void> => {
    const done = recordsToDelete(event, response);
    for (let i = 0; i < done.length; i += DELETE_BATCH_SIZE) {
      const chunk = done.slice(i, i + DELETE_BATCH_SIZE);
      try {
        const output = await options.client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: chunk.map((record, index) => ({
              Id: String(index),
              ReceiptHandle: record.receiptHandle,
            })),
          }),
        );
        for (const failure of output.Failed ?? []) {
          const record = chunk[Number(failure.Id)];
          options.logger.error('delete failed', {
            message_id: record?.messageId,
            code: failure.Code,
          });
        }
      } catch (error) {
        options.logger.error('delete failed', { error: error as Error, records: chunk.length });
      }
    }
  };

  const loop = async (): Promise<void> => {
    // local-aws-sqs holds a long poll for its whole wait unless it fills the batch, where Lambda's
    // event source mapping gets messages as soon as there are some: so long-poll only when the
    // queue looked empty, and go straight back for more while it is not.
    let waitTimeSeconds = options.waitTimeSeconds;
    while (!controller.signal.aborted) {
      const messages = await receive(waitTimeSeconds);
      if (messages === null) return;
      if (messages.length === 0) {
        if (options.waitTimeSeconds === 0) await pause(idleDelayMs);
        waitTimeSeconds = options.waitTimeSeconds;
        continue;
      }
      waitTimeSeconds = 0;
      const event = sqsEventFrom(messages, source);
      const response = await invoke(event);
      if (response !== null) await remove(event, response);
    }
  };

  const running = loop();
  return {
    stop: async () => {
      controller.abort();
      await running;
    },
  };
}
