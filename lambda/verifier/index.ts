import { secretsManagerClient } from '../lib/aws-clients/secrets-manager.js';
import { sqsClient } from '../lib/aws-clients/sqs.js';
import { createLogger } from '../lib/logger.js';
import { secretsManagerCredentials } from '../lib/secrets-manager-source.js';
import { sqsEnqueuer } from '../lib/sqs-enqueuer.js';
import { loadVerifierConfig } from '../lib/verifier-config.js';
import { createVerifierHandler } from './handler.js';

const config = loadVerifierConfig();

export const handler = createVerifierHandler({
  logger: createLogger('stream-events-verifier'),
  credentials: secretsManagerCredentials(secretsManagerClient, config.secretId),
  enqueue: sqsEnqueuer(sqsClient, {
    routes: config.routes,
    maxMessageBytes: config.maxQueueMessageBytes,
  }),
  limits: { maxBodyBytes: config.maxBodyBytes, maxInflatedBytes: config.maxInflatedBytes },
});
