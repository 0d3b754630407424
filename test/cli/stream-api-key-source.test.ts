import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandError, UsageError } from '../../cli/command.js';
import { readSecretWithSdk, resolveCredentials } from '../../cli/stream-api-key-source.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:StreamSecret-AbCdEf';
const fromSecret = (value: string, apiKey?: string) =>
  resolveCredentials({
    env: { STREAM_API_KEY: 'env-key', STREAM_API_SECRET: 'env-secret' },
    fromSecret: true,
    apiKey,
    secretArn: () => Promise.resolve(ARN),
    readSecret: () => Promise.resolve(value),
  });

describe('resolveCredentials from the environment', () => {
  it('reads STREAM_API_KEY and STREAM_API_SECRET', async () => {
    await expect(
      resolveCredentials({
        env: { STREAM_API_KEY: 'k', STREAM_API_SECRET: 's' },
        fromSecret: false,
      }),
    ).resolves.toEqual({ apiKey: 'k', secret: 's', source: 'STREAM_API_KEY/STREAM_API_SECRET' });
  });

  it.each([
    [{}, 'no Stream credentials'],
    [{ STREAM_API_KEY: 'k' }, 'STREAM_API_KEY is set but not STREAM_API_SECRET'],
    [{ STREAM_API_SECRET: 's3cr3t' }, 'STREAM_API_SECRET is set but not STREAM_API_KEY'],
  ])('explains both options when %j is all there is', async (env, why) => {
    const error = await resolveCredentials({ env, fromSecret: false }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CommandError);
    expect((error as Error).message).toContain(why);
    expect((error as Error).message).toContain('--from-secret');
    expect((error as Error).message).not.toContain('s3cr3t');
  });

  it('takes --api-key only with --from-secret', async () => {
    await expect(resolveCredentials({ env: {}, fromSecret: false, apiKey: 'k' })).rejects.toThrow(
      UsageError,
    );
  });
});

describe("resolveCredentials from the stack's secret", () => {
  it('takes the only key and its first (newest) secret', async () => {
    await expect(fromSecret('{"key-1":["new","old"]}')).resolves.toEqual({
      apiKey: 'key-1',
      secret: 'new',
      source: `secret ${ARN}`,
    });
    await expect(fromSecret('{"key-1":"only"}')).resolves.toMatchObject({ secret: 'only' });
  });

  it('needs --api-key when the secret holds several keys, and names them', async () => {
    await expect(fromSecret('{"key-1":"a","key-2":"b"}')).rejects.toThrow(
      'holds several API keys (key-1, key-2): pick one with --api-key',
    );
    await expect(fromSecret('{"key-1":"a","key-2":"b"}', 'key-2')).resolves.toMatchObject({
      apiKey: 'key-2',
      secret: 'b',
    });
    await expect(fromSecret('{"key-1":"a"}', 'key-9')).rejects.toThrow('has no API key "key-9"');
  });

  it('explains an empty or malformed secret without quoting it', async () => {
    await expect(fromSecret('{}')).rejects.toThrow('holds no API key yet');
    const error = (await fromSecret('not json s3cr3t').catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(CommandError);
    expect(error.message).toContain('is not usable: the secret is not JSON');
    expect(error.message).not.toContain('s3cr3t');
  });
});

describe('readSecretWithSdk', () => {
  const secrets = mockClient(SecretsManagerClient);
  afterEach(() => secrets.reset());

  it("reads the secret string in the ARN's region", async () => {
    secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: '{"k":"s"}' });

    await expect(readSecretWithSdk(ARN)).resolves.toBe('{"k":"s"}');
    expect(await secrets.call(0).thisValue.config.region()).toBe('eu-west-1');
  });

  it('turns AWS errors into CommandErrors', async () => {
    secrets.on(GetSecretValueCommand).rejects(
      Object.assign(new Error("Secrets Manager can't find the specified secret value"), {
        name: 'ResourceNotFoundException',
      }),
    );
    await expect(readSecretWithSdk(ARN)).rejects.toThrow('has no value yet');

    secrets
      .on(GetSecretValueCommand)
      .rejects(
        Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }),
      );
    await expect(readSecretWithSdk(ARN)).rejects.toThrow(
      `could not read the secret ${ARN}: User is not authorized`,
    );
  });
});
