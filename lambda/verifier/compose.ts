import type { SQSClient } from '@aws-sdk/client-sqs';
import { sqsEnqueuer } from '../lib/adapters/sqs-enqueuer.js';
import type { VerifierConfig } from '../lib/config/verifier-config.js';
import type { CredentialSource } from '../lib/domain/delivery.js';
import type { LargeEventStore } from '../lib/domain/large-event-store.js';
import type { Logger } from '../lib/domain/logger.js';
import type { MetricsSink } from '../lib/domain/metrics.js';
import { createVerifierHandler, type VerifierHandler } from './handler.js';

/**
 * The verifier's settings: its environment as the reader checks it, less the names of the
 * resources (secret, bucket) that only the Lambda entry turns into adapters.
 */
export type VerifierSettings = Omit<VerifierConfig, 'secretId' | 'largeEventBucket'>;

/** What differs between the Lambda and `npm run dev`, bench and the tests. */
export interface VerifierAdapters {
  /** Sends to the groups' queues (SQS, or the embedded server in dev). */
  readonly sqs: SQSClient;
  /** The Stream API keys and secrets (Secrets Manager, or fixed ones in dev). */
  readonly credentials: CredentialSource;
  /** Where an event too large for a queue message is stored; null refuses it with 413. */
  readonly largeEvents: LargeEventStore | null;
  readonly metrics: MetricsSink;
  readonly logger: Logger;
}

/**
 * The verifier's one composition root: settings and adapters in, the handler out. Its Lambda
 * entry, `npm run dev`, bench and the tests all build the verifier here, so none of them can
 * wire a setting differently from the deployed function.
 */
export function composeVerifier(
  settings: VerifierSettings,
  adapters: VerifierAdapters,
): VerifierHandler {
  return createVerifierHandler({
    logger: adapters.logger,
    metrics: adapters.metrics,
    credentials: adapters.credentials,
    enqueue: sqsEnqueuer(adapters.sqs, {
      routes: settings.routes,
      maxMessageBytes: settings.maxQueueMessageBytes,
      largeEvents: adapters.largeEvents,
    }),
    limits: { maxBodyBytes: settings.maxBodyBytes, maxInflatedBytes: settings.maxInflatedBytes },
    sourceAllowed: settings.sourceAllowed,
    maxEventAgeSeconds: settings.maxEventAgeSeconds,
  });
}
