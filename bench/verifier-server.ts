/**
 * The verifier alone behind the dev webhook server, for its memory under load: bundled like a
 * Lambda (bench/memory.ts builds it with lib/bundling.ts) and run by plain `node`, so its peak
 * RSS is the verifier's and the HTTP server's, not the bench's or tsx's. The SQS server lives in
 * the parent. Prints JSON lines: ready (with RSS before load), then on SIGTERM the peak RSS.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { startWebhookServer } from '../dev/webhook-server.js';
import { clientOptions } from '../lambda/lib/adapters/aws-clients/timeouts.js';
import { requiredString } from '../contract/env/parse.js';
import { VERIFIER_SERVICE } from '../contract/env/common.js';
import { CredentialStore } from '../lambda/lib/domain/api-key-secrets.js';
import { silentMetrics } from '../lambda/lib/domain/metrics.js';
import { DEFAULT_GROUP_NAME } from '../contract/names.js';
import {
  DEFAULT_MAX_INFLATED_BYTES,
  SQS_MAX_MESSAGE_BYTES,
  DEFAULT_MAX_BODY_BYTES,
} from '../contract/limits.js';
import { createLogger } from '../lambda/lib/adapters/logger.js';
import { composeVerifier } from '../lambda/verifier/compose.js';
import { BENCH_API_KEY, BENCH_API_SECRET } from './events.js';
import { VERIFIER_READY, VERIFIER_STOPPED } from './verifier-lines.js';

function memory() {
  return {
    rss_bytes: process.memoryUsage().rss,
    // resourceUsage reports kilobytes.
    max_rss_bytes: process.resourceUsage().maxRSS * 1024,
  };
}

function print(line: Record<string, unknown>, then?: () => void): void {
  process.stdout.write(`${JSON.stringify(line)}\n`, then);
}

async function main(): Promise<void> {
  const queueUrl = requiredString(process.env, 'QUEUE_URL');
  const sqs = new SQSClient({
    ...clientOptions,
    region: 'us-east-1',
    endpoint: requiredString(process.env, 'SQS_ENDPOINT'),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const verifier = composeVerifier(
    {
      routes: [{ group: DEFAULT_GROUP_NAME, patterns: ['*'], queueUrl, fifo: false }],
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
      maxQueueMessageBytes: SQS_MAX_MESSAGE_BYTES,
      maxEventAgeSeconds: null,
    },
    {
      sqs,
      credentials: new CredentialStore({
        load: async () => JSON.stringify({ [BENCH_API_KEY]: BENCH_API_SECRET }),
      }),
      largeEvents: null,
      metrics: silentMetrics,
      logger: createLogger(VERIFIER_SERVICE),
    },
  );
  const server = await startWebhookServer({
    host: '127.0.0.1',
    port: 0,
    verifier,
    logger: createLogger('stream-events-dev'),
    maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  });
  process.once('SIGTERM', () => {
    print({ msg: VERIFIER_STOPPED, ...memory() }, () => process.exit(0));
  });
  print({ msg: VERIFIER_READY, webhook_url: server.url, ...memory() });
}

await main();
