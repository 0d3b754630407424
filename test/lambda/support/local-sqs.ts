import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';

const FAKE_CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'x' };

/** The embedded SQS-compatible server on a free loopback port, and a real client pointed at it. */
export interface LocalSqs {
  readonly endpoint: string;
  readonly client: SQSClient;
  /**
   * A new, empty queue sized like ours (1 MiB messages); one per test keeps them apart. Standard
   * unless `fifo`; named at random unless `name` is given (then `.fifo` is added for a FIFO queue).
   */
  readonly createQueue: (options?: {
    readonly name?: string;
    readonly fifo?: boolean;
  }) => Promise<string>;
  /** Every message on the queue now, message and system attributes included. */
  readonly receiveAll: (queueUrl: string) => Promise<Message[]>;
  readonly stop: () => Promise<void>;
}

export function sqsClientFor(endpoint: string): SQSClient {
  return new SQSClient({
    region: 'us-east-1',
    endpoint,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
  });
}

/**
 * Takes every visible message off a queue (hidden for the rest of the test), message and system
 * attributes included.
 */
export async function receiveAll(
  client: SQSClient,
  queueUrl: string | undefined,
): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        // MessageGroupId and MessageDeduplicationId of a FIFO queue's messages.
        AttributeNames: ['All'],
        WaitTimeSeconds: 0,
        VisibilityTimeout: 600,
      }),
    );
    if (Messages.length === 0) return messages;
    messages.push(...Messages);
  }
}

export async function startLocalSqs(): Promise<LocalSqs> {
  const server: Server = await createSqsServer({
    port: 0,
    hostname: '127.0.0.1',
    emulateQueueCreationLifecycle: false,
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = sqsClientFor(endpoint);

  return {
    endpoint,
    client,
    createQueue: async ({ name = `events-${randomUUID()}`, fifo = false } = {}) => {
      const { QueueUrl } = await client.send(
        new CreateQueueCommand({
          QueueName: fifo ? `${name}.fifo` : name,
          Attributes: {
            MaximumMessageSize: '1048576',
            ...(fifo ? { FifoQueue: 'true' } : {}),
          },
        }),
      );
      if (QueueUrl === undefined) throw new Error('CreateQueue returned no QueueUrl');
      return QueueUrl;
    },
    receiveAll: (queueUrl) => receiveAll(client, queueUrl),
    stop: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** A loopback port nothing listens on: bound, read, released. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
