import { createConsumerHandler } from '../lambda/consumer/handler.js';
import { handlers as exampleHandlers } from '../lambda/handlers/index.js';
import { CredentialStore } from '../lambda/lib/credentials.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../lambda/lib/gzip.js';
import type { HandlerMap } from '../lambda/lib/handlers.js';
import { createLogger } from '../lambda/lib/logger.js';
import { SQS_MAX_MESSAGE_BYTES } from '../lambda/lib/queue-message.js';
import { sqsEnqueuer } from '../lambda/lib/sqs-enqueuer.js';
import { createVerifierHandler } from '../lambda/verifier/handler.js';
import { DEV_API_KEY, DEV_API_SECRET } from './dev-credentials.js';
import { createQueuePair, LOCAL_REGION, startLocalSqs, type LocalSqs } from './local-sqs.js';
import { MAX_BATCH_SIZE, startPoller, type Poller } from './poller.js';
import { startWebhookServer, type WebhookServer } from './webhook-server.js';

export const GROUP = 'all';
export const QUEUE_NAME = `stream-events-${GROUP}`;
/** What Lambda accepts in an invocation payload, and so what the HTTP API can hand the verifier. */
export const MAX_BODY_BYTES = 6_000_000;

export interface DevPipelineOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** The webhook's port; 0 picks a free one. @default 3000 */
  readonly port?: number;
  /** The embedded SQS server's port; 0 picks a free one. @default 9324 */
  readonly sqsPort?: number;
  /** @default 'dev-api-key' */
  readonly apiKey?: string;
  /** @default 'dev-api-secret' */
  readonly apiSecret?: string;
  /** Records per consumer invocation, 1-10. @default 10 */
  readonly batchSize?: number;
  /** @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /**
   * ReceiveMessage's long-poll wait, cut to less than the visibility timeout (local-aws-sqs
   * answers a long poll only when it ends, and hands out a message again if its visibility
   * timeout ran out meanwhile). @default 1
   */
  readonly waitTimeSeconds?: number;
  /** The consumer's handlers. @default the examples in lambda/handlers */
  readonly handlers?: HandlerMap;
  /** Start polling at once; when false, call `startPolling()`. @default true */
  readonly startPolling?: boolean;
}

export interface DevQueue {
  readonly queueUrl: string;
  readonly dlqUrl: string;
}

export interface DevPipeline {
  readonly webhookUrl: string;
  readonly sqsEndpoint: string;
  readonly queues: { readonly all: DevQueue };
  /** Starts the consumer's poller if it is not running yet. */
  startPolling(): void;
  /** Stops the webhook, then the poller (letting a batch in hand finish), then the SQS server. */
  stop(): Promise<void>;
}

function check(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/**
 * The whole pipeline on this machine: the embedded SQS server with the group's queue and DLQ,
 * the verifier behind a local `POST /webhook`, and the consumer fed the way Lambda feeds it.
 * The verifier and consumer are the very code that runs in Lambda.
 */
export async function startDevPipeline(options: DevPipelineOptions = {}): Promise<DevPipeline> {
  const host = options.host ?? '127.0.0.1';
  const port = check('port', options.port ?? 3000, 0, 65_535);
  const sqsPort = check('sqsPort', options.sqsPort ?? 9324, 0, 65_535);
  const batchSize = check('batchSize', options.batchSize ?? 10, 1, MAX_BATCH_SIZE);
  const visibility = check(
    'visibilityTimeoutSeconds',
    options.visibilityTimeoutSeconds ?? 30,
    1,
    43_200,
  );
  const maxReceiveCount = check('maxReceiveCount', options.maxReceiveCount ?? 5, 1, 1_000);
  const waitTimeSeconds = Math.min(
    check('waitTimeSeconds', options.waitTimeSeconds ?? 1, 0, 20),
    visibility - 1,
  );
  const apiKey = options.apiKey ?? DEV_API_KEY;
  const apiSecret = options.apiSecret ?? DEV_API_SECRET;

  const sqs: LocalSqs = await startLocalSqs({ port: sqsPort, host });
  let webhook: WebhookServer | undefined;
  let poller: Poller | undefined;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await webhook?.close();
      await poller?.stop();
      await sqs.close();
    })());

  try {
    const queue = await createQueuePair(sqs.client, {
      name: QUEUE_NAME,
      visibilityTimeoutSeconds: visibility,
      maxReceiveCount,
    });
    const verifier = createVerifierHandler({
      logger: createLogger('stream-events-verifier'),
      credentials: new CredentialStore({
        load: async () => JSON.stringify({ [apiKey]: apiSecret }),
      }),
      enqueue: sqsEnqueuer(sqs.client, {
        routes: [{ group: GROUP, patterns: ['*'], queueUrl: queue.queueUrl, fifo: false }],
        maxMessageBytes: SQS_MAX_MESSAGE_BYTES,
      }),
      limits: { maxBodyBytes: MAX_BODY_BYTES, maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES },
    });
    const consumer = createConsumerHandler({
      group: GROUP,
      patterns: ['*'],
      handlers: options.handlers ?? exampleHandlers,
      claims: null, // no dedupe locally yet: no idempotency table here
      ordering: 'none',
      logger: createLogger('stream-events-consumer'),
      maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
    });
    const startPolling = (): void => {
      poller ??= startPoller({
        client: sqs.client,
        queueUrl: queue.queueUrl,
        queueArn: queue.queueArn,
        region: LOCAL_REGION,
        batchSize,
        waitTimeSeconds,
        handler: consumer,
        functionName: `stream-events-consumer-${GROUP}`,
        functionTimeoutMs: visibility * 1000,
        logger: createLogger('stream-events-dev'),
      });
    };
    webhook = await startWebhookServer({
      host,
      port,
      verifier,
      logger: createLogger('stream-events-dev'),
      maxBodyBytes: MAX_BODY_BYTES,
    });
    if (options.startPolling ?? true) startPolling();
    return {
      webhookUrl: webhook.url,
      sqsEndpoint: sqs.endpoint,
      queues: { all: { queueUrl: queue.queueUrl, dlqUrl: queue.dlqUrl } },
      startPolling,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
