import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CredentialStore } from '../domain/api-key-secrets.js';

/** The verifier's credentials, read from one Secrets Manager secret and cached per container. */
export function secretsManagerCredentials(
  client: SecretsManagerClient,
  secretId: string,
): CredentialStore {
  return new CredentialStore({
    load: async () => {
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      return SecretString ?? '{}';
    },
  });
}
