// The synchronous hooks' Lambda: Secrets Manager for the signature, nothing else from AWS.
import { hooks } from '../handlers/hooks.js';
import { secretsManagerClient } from '../lib/aws-clients/secrets-manager.js';
import { loadHooksConfig } from '../lib/hooks-config.js';
import { createLogger } from '../lib/logger.js';
import { secretsManagerCredentials } from '../lib/secrets-manager-source.js';
import { createHookHandler } from './handler.js';

const config = loadHooksConfig();

export const handler = createHookHandler({
  logger: createLogger('stream-events-hooks'),
  credentials: secretsManagerCredentials(secretsManagerClient, config.secretId),
  limits: { maxBodyBytes: config.maxBodyBytes, maxInflatedBytes: config.maxInflatedBytes },
  hooks,
  budgetMs: config.budgetMs,
  sourceAllowed: config.sourceAllowed,
});
