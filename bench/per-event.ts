import { gzipSync } from 'node:zlib';
import { StreamChat } from 'stream-chat';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiGatewayEventFrom } from '../dev/api-gateway-event.js';
import { handlers } from '../lambda/handlers/index.js';
import { VERIFIER_SERVICE } from '../contract/env/common.js';
import { CredentialStore } from '../lambda/lib/domain/api-key-secrets.js';
import { silentMetrics } from '../lambda/lib/domain/metrics.js';
import { decodeQueueMessage } from '../lambda/lib/domain/decode.js';
import { DEFAULT_GROUP_NAME } from '../contract/names.js';
import { WEBHOOK_PATH } from '../contract/routes.js';
import {
  DEFAULT_MAX_INFLATED_BYTES,
  SQS_MAX_MESSAGE_BYTES,
  DEFAULT_MAX_BODY_BYTES,
} from '../contract/limits.js';
import { createRouter } from '../lambda/lib/domain/handlers.js';
import { createLogger } from '../lambda/lib/adapters/logger.js';
import { matchesAny } from '../lambda/lib/domain/routing-table.js';
import { composeVerifier } from '../lambda/verifier/compose.js';
import { cannedSqsClient } from './canned-aws.js';
import {
  BENCH_API_KEY,
  BENCH_API_SECRET,
  EVENT_SIZES,
  messageNewOfSize,
  signedBody,
} from './events.js';
import { timeCalls, type Timed, type TimingBudget } from './timing.js';

export interface PerEventRow {
  readonly bytes: number;
  readonly gzip: boolean;
  readonly ours: Timed;
  /** The verifier only: the same handler with a client whose `send` resolves at once (no SDK). */
  readonly oursWithoutSdk?: Timed;
  readonly baseline: Timed;
}

export interface PerEventResult {
  /** Our verifier handler, SQS answered in process, beside stream-chat's verifyAndParseWebhook. */
  readonly verifier: readonly PerEventRow[];
  /** Our consumer's decode + route per record, beside stream-chat's parseSqs. */
  readonly consumer: readonly PerEventRow[];
}

const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/stream-events-all';

function webhookEventOf(body: Buffer, headers: Readonly<Record<string, string>>) {
  return apiGatewayEventFrom(
    {
      method: 'POST',
      url: WEBHOOK_PATH,
      rawHeaders: Object.entries({ host: 'bench.local', ...headers }).flat(),
      httpVersion: '1.1',
      body,
      sourceIp: '34.225.10.29',
      receivedAt: new Date(),
    },
    { routeKey: `POST ${WEBHOOK_PATH}` },
  );
}

/**
 * Stands in for the SQS client where the SDK itself is left out: the command is built, as the
 * enqueuer builds it, and `send` resolves at once.
 */
const noSdkClient = { send: async () => ({}) } as unknown as SQSClient;

/** The verifier from its composition root, with fixed credentials and SQS in process. */
function benchVerifier(sqsClient: SQSClient = cannedSqsClient()) {
  return composeVerifier(
    {
      routes: [{ group: DEFAULT_GROUP_NAME, patterns: ['*'], queueUrl: QUEUE_URL, fifo: false }],
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
      maxQueueMessageBytes: SQS_MAX_MESSAGE_BYTES,
      maxEventAgeSeconds: null,
    },
    {
      sqs: sqsClient,
      credentials: new CredentialStore({
        load: async () => JSON.stringify({ [BENCH_API_KEY]: BENCH_API_SECRET }),
      }),
      largeEvents: null,
      metrics: silentMetrics,
      logger: createLogger(VERIFIER_SERVICE),
    },
  );
}

async function expectAccepted(
  verifier: ReturnType<typeof benchVerifier>,
  event: APIGatewayProxyEventV2,
): Promise<void> {
  const result = await verifier(event);
  // A bench that times refusals would report numbers for the wrong path.
  if (result.statusCode !== 200) {
    throw new Error(`the verifier answered ${result.statusCode}: ${result.body ?? ''}`);
  }
}

/** Every size, plain and gzip, each through ours and the baseline on the very same input. */
export async function measurePerEvent(budget: TimingBudget): Promise<PerEventResult> {
  const verifier = benchVerifier();
  const verifierWithoutSdk = benchVerifier(noSdkClient);
  const client = new StreamChat(BENCH_API_KEY, BENCH_API_SECRET);
  const route = createRouter(handlers);
  const patterns = ['*'];

  const verifierRows: PerEventRow[] = [];
  const consumerRows: PerEventRow[] = [];
  for (const bytes of EVENT_SIZES) {
    const json = messageNewOfSize(bytes);
    for (const gzip of [false, true]) {
      const signed = signedBody(json, gzip, `bench-${bytes}-${gzip}`);
      const event = webhookEventOf(signed.body, signed.headers);
      await expectAccepted(verifier, event);
      const signature = signed.headers['x-signature'] as string;
      verifierRows.push({
        bytes,
        gzip,
        ours: await timeCalls(() => verifier(event), budget),
        oursWithoutSdk: await timeCalls(() => verifierWithoutSdk(event), budget),
        baseline: await timeCalls(
          () => client.verifyAndParseWebhook(signed.body, signature),
          budget,
        ),
      });

      // Stream's SQS format, which our verifier writes too: base64 of the JSON or of its gzip.
      const queueBody = (gzip ? gzipSync(json) : json).toString('base64');
      consumerRows.push({
        bytes,
        gzip,
        ours: await timeCalls(() => {
          const { event: decoded } = decodeQueueMessage(queueBody, DEFAULT_MAX_INFLATED_BYTES);
          return matchesAny(patterns, decoded.type) ? route(decoded.type) : null;
        }, budget),
        baseline: await timeCalls(() => client.parseSqs(queueBody), budget),
      });
    }
  }
  return { verifier: verifierRows, consumer: consumerRows };
}
