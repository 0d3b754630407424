import { randomUUID } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STREAM_RETRY_POLICY, type RetryPolicy } from '../../cli/retry-policy.js';
import { DEV_API_KEY, DEV_API_SECRET } from '../../dev/dev-api-key.js';
import { deliverLikeStream, type DeliveryResult } from '../../scripts/soak/deliver.js';
import type { LogCapture } from '../lambda/support/log-capture.js';
export { eventually } from '../support/eventually.js';

export { queueDepth as depth } from '../../scripts/soak/queue-depth.js';

/** Stream's retry policy with its pauses cut short, so a test sees all three attempts quickly. */
export const FAST_STREAM_RETRIES: RetryPolicy = { ...STREAM_RETRY_POLICY, backoffMs: () => 20 };

/** A message.new with its own ids, as Stream posts it. */
export function messageNew(label: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      type: 'message.new',
      cid: 'messaging:reliability',
      message: { id: `${label}-${randomUUID()}`, text: label },
      user: { id: 'reliability-user' },
      created_at: new Date().toISOString(),
    }),
  );
}

/** POSTs `json` to the dev webhook signed with the dev credentials, retried as Stream retries. */
export function deliver(
  url: string,
  json: Buffer,
  webhookId: string = randomUUID(),
  policy: RetryPolicy = FAST_STREAM_RETRIES,
): Promise<DeliveryResult> {
  return deliverLikeStream(
    { url, json, webhookId, gzip: false, apiKey: DEV_API_KEY, secret: DEV_API_SECRET },
    policy,
  );
}

export function localSqsClient(endpoint: string): SQSClient {
  return new SQSClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * The captured JSON log lines. Node's own warnings (the AWS SDK's Node-version notice, printed
 * once per process to stderr) are not JSON and not ours, so they are skipped, not failed on.
 */
export function jsonLines(logs: LogCapture): Record<string, unknown>[] {
  return logs
    .text()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
