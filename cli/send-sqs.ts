import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import {
  GetQueueUrlCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { QUEUE_NAME_PREFIX, queueNameOf } from '../dev/queue-names.js';
import { loadEvent } from './sample-events.js';

/**
 * How Stream (or SNS) writes an event into a queue, by the app's settings:
 * - `json`: the event JSON as it is (compression off; what Stream's Go/Python/PHP/Ruby SDKs read)
 * - `base64`: base64 of the JSON (compression off; what its JS/Java SDKs read)
 * - `gzip`: base64 of gzip(JSON), compression on
 * - `sns`: the SNS envelope an SQS queue subscribed to Stream's topic receives without raw message
 *   delivery, its `Message` base64 of gzip(JSON)
 */
export const DIRECT_FORMATS = ['json', 'base64', 'gzip', 'sns'] as const;
export type DirectFormat = (typeof DIRECT_FORMATS)[number];

export function isDirectFormat(value: string): value is DirectFormat {
  return (DIRECT_FORMATS as readonly string[]).includes(value);
}

/** The topic named in `sns` envelopes; local, so no real account. */
export const LOCAL_TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:stream-events';

const base64Gzip = (bytes: Buffer): string => gzipSync(bytes).toString('base64');

/**
 * The SQS message body for `eventBytes` in `format`. The `sns` envelope has SNS's fields in SNS's
 * order; it is not signed (nothing on the queue path checks SNS signatures: the queue policy is
 * the authentication), so its Signature says so instead of imitating one.
 */
export function directQueueBody(
  eventBytes: Buffer,
  format: DirectFormat,
  envelope: { readonly messageId: string; readonly timestamp: Date } = {
    messageId: randomUUID(),
    timestamp: new Date(),
  },
): string {
  switch (format) {
    case 'json':
      return eventBytes.toString('utf8');
    case 'base64':
      return eventBytes.toString('base64');
    case 'gzip':
      return base64Gzip(eventBytes);
    case 'sns':
      return JSON.stringify({
        Type: 'Notification',
        MessageId: envelope.messageId,
        TopicArn: LOCAL_TOPIC_ARN,
        Message: base64Gzip(eventBytes),
        Timestamp: envelope.timestamp.toISOString(),
        SignatureVersion: '1',
        Signature: 'not-signed-local-npm-run-send',
        SigningCertURL: 'https://sns.us-east-1.amazonaws.com/local.pem',
        UnsubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${LOCAL_TOPIC_ARN}:local`,
      });
  }
}

export interface SqsSendOptions {
  /** A sample event type (`message.new`) or the path of a JSON file. */
  readonly event: string;
  /** The consumer group whose dev queue (`stream-events-<group>`) gets the event. */
  readonly group: string;
  readonly format: DirectFormat;
  /** How many times to write the very same body. */
  readonly count: number;
  /** Pause between two copies, so each lands in a batch of its own. */
  readonly intervalMs: number;
  /** The dev SQS server, e.g. `http://127.0.0.1:9324`. */
  readonly endpoint: string;
}

export interface SqsSendDeps {
  /** An SQS client for `endpoint`; the caller keeps ownership. @default a new one, destroyed after */
  readonly client?: SQSClient;
  readonly print?: (line: string) => void;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly eventsDir?: string;
}

export interface SqsSendResult {
  readonly ok: boolean;
  readonly queueUrl: string | null;
  readonly eventType: string | null;
  /** SQS's MessageId of each copy written, in order. */
  readonly messageIds: readonly string[];
}

/** Why the event could not be written; printed as one line. */
export class SqsSendError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SqsSendError';
  }
}

function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : String(error);
}

/** True when the SDK never got an answer (refused, reset, DNS): no SQS server there. */
function isConnectionError(error: unknown): boolean {
  return /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|EAI_AGAIN|TimeoutError)$/.test(
    errorCode(error),
  );
}

async function queueUrlOf(client: SQSClient, name: string): Promise<string | null> {
  try {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
    return QueueUrl ?? null;
  } catch (error) {
    if (error instanceof QueueDoesNotExist) return null;
    // local-aws-sqs answers with the query-protocol code, which older SDK mappings name so.
    if ((error as { name?: unknown }).name === 'AWS.SimpleQueueService.NonExistentQueue') {
      return null;
    }
    throw error;
  }
}

/** The groups that have a dev queue: `stream-events-<group>`, DLQs left out. */
async function devGroups(client: SQSClient): Promise<string[]> {
  const prefix = QUEUE_NAME_PREFIX;
  const { QueueUrls = [] } = await client.send(new ListQueuesCommand({ QueueNamePrefix: prefix }));
  return QueueUrls.map((url) => url.slice(url.lastIndexOf('/') + 1 + prefix.length))
    .map((name) => name.replace(/\.fifo$/, ''))
    .filter((name) => name !== '' && !name.endsWith('-dlq'))
    .sort();
}

/**
 * The group's queue URL, by name, as any SQS client finds it. A FIFO queue (per-entity ordering)
 * is refused: Stream writes no MessageGroupId, so it cannot deliver to one directly either.
 */
async function resolveQueue(client: SQSClient, group: string, endpoint: string): Promise<string> {
  const name = queueNameOf(group);
  try {
    const url = await queueUrlOf(client, name);
    if (url !== null) return url;
    if ((await queueUrlOf(client, `${name}.fifo`)) !== null) {
      throw new SqsSendError(
        `group "${group}" has a FIFO queue (ordering per-entity): Stream cannot write to it ` +
          'directly (it sets no MessageGroupId); send through the webhook instead (leave out --sqs)',
      );
    }
    const groups = await devGroups(client);
    throw new SqsSendError(
      `no queue ${name} at ${endpoint}; ` +
        (groups.length > 0
          ? `groups there: ${groups.join(', ')}`
          : 'no group queues there (is it the dev pipeline?)'),
    );
  } catch (error) {
    if (isConnectionError(error)) {
      throw new SqsSendError(
        `cannot reach the dev SQS server at ${endpoint} (${errorCode(error)}): is \`npm run dev\` ` +
          'running? Point --sqs-endpoint (or SQS_PORT) at its sqs_endpoint',
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Writes one event straight into a group's dev queue the way Stream's direct SQS delivery (or an
 * SNS subscription) does: the body alone, no signature, no message attributes. `count` copies of
 * the same body carry the same event bytes, so the consumer's content-hash claim runs the event
 * once and counts the other copies as duplicates.
 */
export async function sendToQueue(
  options: SqsSendOptions,
  deps: SqsSendDeps = {},
): Promise<SqsSendResult> {
  const print = deps.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = deps.now ?? Date.now;
  const pause = deps.sleep ?? ((ms: number) => sleep(ms));
  const event = await loadEvent(options.event, { dir: deps.eventsDir, now: new Date(now()) });
  const body = directQueueBody(event.bytes, options.format, {
    messageId: randomUUID(),
    timestamp: new Date(now()),
  });
  const client =
    deps.client ??
    new SQSClient({
      region: 'us-east-1',
      endpoint: options.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 2,
    });
  const messageIds: string[] = [];
  let queueUrl: string | null = null;
  try {
    queueUrl = await resolveQueue(client, options.group, options.endpoint);
    const what = `${event.type ?? '(no type)'} from ${event.source}`;
    const size = `${event.bytes.length} bytes, body ${Buffer.byteLength(body)}`;
    for (let copy = 1; copy <= options.count; copy += 1) {
      if (copy > 1 && options.intervalMs > 0) await pause(options.intervalMs);
      const { MessageId } = await client.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }),
      );
      messageIds.push(MessageId ?? '');
      const of = options.count > 1 ? ` (copy ${copy} of ${options.count})` : '';
      print(
        `SendMessage group ${options.group} ${queueUrl} format ${options.format}: ${what} ` +
          `(${size}) MessageId ${MessageId ?? '(none)'}${of}`,
      );
    }
    return { ok: true, queueUrl, eventType: event.type, messageIds };
  } catch (error) {
    if (error instanceof SqsSendError) throw error;
    if (isConnectionError(error)) {
      throw new SqsSendError(
        `lost the dev SQS server at ${options.endpoint} (${errorCode(error)})`,
        { cause: error },
      );
    }
    throw new SqsSendError(
      `SendMessage to ${queueUrl ?? options.group} failed: ${errorCode(error)}: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    if (deps.client === undefined) client.destroy();
  }
}
