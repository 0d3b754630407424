import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  EnvCredentialsMissing,
  credentialsFromEnv,
  defaultProvider,
} from '../../../../../lambda/lib/adapters/aws-clients/aws-env-credential-provider.js';

describe('credentialsFromEnv', () => {
  it('reads what Lambda sets for the function role', () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: 'token',
    };

    expect(credentialsFromEnv(env)).toEqual({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('reads the optional fields as the SDK does', () => {
    const env = {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
      AWS_CREDENTIAL_SCOPE: 'us-east-1',
      AWS_ACCOUNT_ID: '123456789012',
    };

    expect(credentialsFromEnv(env)).toEqual({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
      expiration: new Date('2030-01-01T00:00:00Z'),
      credentialScope: 'us-east-1',
      accountId: '123456789012',
    });
  });

  it.each([
    [{ AWS_SECRET_ACCESS_KEY: 'secret' }],
    [{ AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE' }],
    [{ AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: 'secret' }],
  ])('fails with a message naming the variables when one is missing: %j', (env) => {
    expect(() => credentialsFromEnv(env)).toThrow(EnvCredentialsMissing);
    expect(() => credentialsFromEnv(env)).toThrow(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  });
});

describe('defaultProvider, in place of the SDK default chain', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("is what an SDK client signs with: the environment's credentials", async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');
    const client = new SQSClient({
      region: 'us-east-1',
      credentialDefaultProvider: defaultProvider,
    });

    const credentials = await client.config.credentials();

    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
    client.destroy();
  });

  it('rejects (so the SDK call fails, and is retried or answered 503) when the environment has none', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');

    await expect(defaultProvider()()).rejects.toThrow(EnvCredentialsMissing);
  });
});
