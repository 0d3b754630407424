// The synchronous hooks' Lambda: Secrets Manager for the signature, DynamoDB for the claims of
// pending-message callbacks.
import { hooks } from '../handlers/hooks.js';
import { dynamoDbClient } from '../lib/adapters/aws-clients/dynamodb.js';
import { secretsManagerClient } from '../lib/adapters/aws-clients/secrets-manager.js';
import { dynamoDbClaims } from '../lib/adapters/dynamodb-claims.js';
import { HOOK_CLAIMS_PREFIX, loadHooksConfig } from '../lib/config/hooks-config.js';
import { createLogger } from '../lib/adapters/logger.js';
import { secretsManagerCredentials } from '../lib/adapters/secrets-manager-source.js';
import { createHookHandler } from './handler.js';

const config = loadHooksConfig();
const logger = createLogger('stream-events-hooks');

export const handler = createHookHandler({
  logger,
  credentials: secretsManagerCredentials(secretsManagerClient, config.secretId),
  limits: { maxBodyBytes: config.maxBodyBytes, maxInflatedBytes: config.maxInflatedBytes },
  hooks,
  budgetMs: config.budgetMs,
  sourceAllowed: config.sourceAllowed,
  claims: dynamoDbClaims({
    group: HOOK_CLAIMS_PREFIX,
    tableName: config.idempotencyTable,
    client: dynamoDbClient,
    ttlSeconds: config.dedupeTtlSeconds,
    logger,
  }),
});
