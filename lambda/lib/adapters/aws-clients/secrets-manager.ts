import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clientOptions } from './timeouts.js';

/** One per container. Kept apart from the other clients so a bundle holds only what it calls. */
export const secretsManagerClient = new SecretsManagerClient(clientOptions);
