import { createServer } from 'node:http';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import { createRequestHandler } from 'local-aws-sqs';
import { SQS_MAX_MESSAGE_BYTES } from '../lambda/lib/queue-message.js';
import { close, listen } from './listen.js';

export const LOCAL_REGION = 'us-east-1';

export interface LocalSqs {
  readonly endpoint: string;
  /** An SDK client pointed at the embedded server, shared by the verifier and the poller. */
  readonly client: SQSClient;
  close(): Promise<void>;
}

/**
 * Starts local-aws-sqs in this process. Its own `createSqsServer` cannot report a port already in
 * use (the error is thrown from an event nobody listens to and ends the process), so we build the
 * same server from its request handler and listen ourselves.
 */
export async function startLocalSqs(options: { port: number; host: string }): Promise<LocalSqs> {
  const { service, requestHandler } = createRequestHandler({
    port: options.port,
    hostname: options.host,
    region: LOCAL_REGION,
    // Queue names are fixed and the server lives as long as the process: no 60 s re-create wait.
    emulateQueueCreationLifecycle: false,
  });
  const server = createServer((req, res) => void requestHandler(req, res));
  const port = await listen(server, options.port, options.host);
  // Queue URLs are built from this, as createSqsServer does once it knows the bound port.
  service.PORT = port;
  const endpoint = `http://${options.host}:${port}`;
  const client = new SQSClient({
    region: LOCAL_REGION,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      await close(server);
    },
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
