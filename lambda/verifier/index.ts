// The verifier's Lambda entry: its environment, the AWS adapters, the composition root.
import { secretsManagerClient } from '../lib/adapters/aws-clients/secrets-manager.js';
import { s3Client } from '../lib/adapters/aws-clients/s3.js';
import { sqsClient } from '../lib/adapters/aws-clients/sqs.js';
import { createLogger } from '../lib/adapters/logger.js';
import { powertoolsMetrics } from '../lib/adapters/metrics.js';
import { s3LargeEventStore } from '../lib/adapters/s3-large-event-store.js';
import { secretsManagerCredentials } from '../lib/adapters/secrets-manager-source.js';
import { loadVerifierConfig } from '../lib/config/verifier-config.js';
import { VERIFIER_SERVICE } from '../../contract/env/common.js';
import { composeVerifier } from './compose.js';

const config = loadVerifierConfig();

export const handler = composeVerifier(config, {
  sqs: sqsClient,
  credentials: secretsManagerCredentials(secretsManagerClient, config.secretId),
  largeEvents:
    config.largeEventBucket === null
      ? null
      : s3LargeEventStore({ bucket: config.largeEventBucket, client: s3Client }),
  metrics: powertoolsMetrics(VERIFIER_SERVICE),
  logger: createLogger(VERIFIER_SERVICE),
});
