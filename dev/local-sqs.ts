import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import { SQS_MAX_MESSAGE_BYTES } from '../contract/limits.js';
import { startServerThread } from './server-thread.js';

export const LOCAL_REGION = 'us-east-1';

export interface LocalSqs {
  readonly endpoint: string;
  /** An SDK client pointed at the embedded server, shared by the verifier and the poller. */
  readonly client: SQSClient;
  close(): Promise<void>;
}

/**
 * Starts local-aws-sqs on its own thread (dev/local-sqs-worker.mjs), as SQS is its own service in
 * AWS: its work on every request then no longer shares the event loop with the webhook, the
 * verifier and the consumers. A port already in use rejects, as `listen` does.
 */
export async function startLocalSqs(options: { port: number; host: string }): Promise<LocalSqs> {
  const server = await startServerThread(
    new URL('./local-sqs-worker.mjs', import.meta.url),
    { port: options.port, host: options.host, region: LOCAL_REGION },
    'embedded SQS server',
  );
  const endpoint = `http://${options.host}:${server.port}`;
  const client = new SQSClient({
    region: LOCAL_REGION,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    client,
    close: () =>
      (closed ??= (async () => {
        client.destroy();
        await server.close();
      })()),
  };
}

export interface QueuePairOptions {
  /** The queue's name; the DLQ's is `<name>-dlq`. A FIFO pair gets `.fifo` after both. */
  readonly name: string;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  /** FIFO queue and DLQ (per-entity ordering). @default false */
  readonly fifo?: boolean;
}

export interface QueuePair {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
}

async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const attribute: QueueAttributeName = 'QueueArn';
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [attribute] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes returned no QueueArn for ${queueUrl}`);
  return arn;
}

async function createQueue(
  client: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  const { QueueUrl } = await client.send(
    new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
  );
  if (!QueueUrl) throw new Error(`CreateQueue returned no QueueUrl for ${name}`);
  return QueueUrl;
}

/** A group's queue and its DLQ, configured as lib/ configures them, through the real SQS API. */
export async function createQueuePair(
  client: SQSClient,
  options: QueuePairOptions,
): Promise<QueuePair> {
  const suffix = options.fifo ? '.fifo' : '';
  const common: Record<string, string> = {
    MaximumMessageSize: String(SQS_MAX_MESSAGE_BYTES),
    MessageRetentionPeriod: String(14 * 24 * 60 * 60),
    // As lib/event-queue.ts: the sender sets MessageDeduplicationId; throughput per message group.
    ...(options.fifo && {
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    }),
  };
  const dlqUrl = await createQueue(client, `${options.name}-dlq${suffix}`, common);
  const dlqArn = await queueArn(client, dlqUrl);
  const queueUrl = await createQueue(client, `${options.name}${suffix}`, {
    ...common,
    VisibilityTimeout: String(options.visibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: dlqArn,
      maxReceiveCount: options.maxReceiveCount,
    }),
  });
  return { queueUrl, queueArn: await queueArn(client, queueUrl), dlqUrl, dlqArn };
}
