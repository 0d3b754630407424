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
import { CredentialStore } from '../lambda/lib/domain/credentials.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../contract/limits.js';
import { createLogger } from '../lambda/lib/adapters/logger.js';
import { SQS_MAX_MESSAGE_BYTES } from '../contract/limits.js';
import { sqsEnqueuer } from '../lambda/lib/adapters/sqs-enqueuer.js';
import { DEFAULT_MAX_BODY_BYTES } from '../contract/limits.js';
import { createVerifierHandler } from '../lambda/verifier/handler.js';
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
  const verifier = createVerifierHandler({
    logger: createLogger('stream-events-verifier'),
    credentials: new CredentialStore({
      load: async () => JSON.stringify({ [BENCH_API_KEY]: BENCH_API_SECRET }),
    }),
    enqueue: sqsEnqueuer(sqs, {
      routes: [{ group: 'all', patterns: ['*'], queueUrl, fifo: false }],
      maxMessageBytes: SQS_MAX_MESSAGE_BYTES,
    }),
    limits: { maxBodyBytes: DEFAULT_MAX_BODY_BYTES, maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES },
  });
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
