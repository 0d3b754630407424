import { secretsManagerClient } from '../lib/adapters/aws-clients/secrets-manager.js';
import { s3Client } from '../lib/adapters/aws-clients/s3.js';
import { sqsClient } from '../lib/adapters/aws-clients/sqs.js';
import { createLogger } from '../lib/adapters/logger.js';
import { powertoolsMetrics } from '../lib/adapters/metrics.js';
import { s3LargeEventStore } from '../lib/adapters/s3-large-event-store.js';
import { secretsManagerCredentials } from '../lib/adapters/secrets-manager-source.js';
import { sqsEnqueuer } from '../lib/adapters/sqs-enqueuer.js';
import { loadVerifierConfig } from '../lib/config/verifier-config.js';
import { createVerifierHandler } from './handler.js';

const config = loadVerifierConfig();

export const handler = createVerifierHandler({
  logger: createLogger('stream-events-verifier'),
  metrics: powertoolsMetrics('stream-events-verifier'),
  credentials: secretsManagerCredentials(secretsManagerClient, config.secretId),
  enqueue: sqsEnqueuer(sqsClient, {
    routes: config.routes,
    maxMessageBytes: config.maxQueueMessageBytes,
    largeEvents:
      config.largeEventBucket === null
        ? null
        : s3LargeEventStore({ bucket: config.largeEventBucket, client: s3Client }),
  }),
  limits: { maxBodyBytes: config.maxBodyBytes, maxInflatedBytes: config.maxInflatedBytes },
  sourceAllowed: config.sourceAllowed,
  maxEventAgeSeconds: config.maxEventAgeSeconds,
});
