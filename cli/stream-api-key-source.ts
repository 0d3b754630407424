/**
 * The Stream API key and secret the CLI signs its requests with: from STREAM_API_KEY /
 * STREAM_API_SECRET, or (`--from-secret`) from the stack's own Secrets Manager secret, whose value
 * is `{"<api key>": "<secret>" | ["<secret>", ...]}` (lambda/lib/domain/api-key-secrets.ts). The
 * secret is never printed: messages name the variables and the secret's ARN, never a value.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CredentialsInvalid, parseCredentials } from '../lambda/lib/domain/api-key-secrets.js';
import { CommandError, UsageError } from './command.js';

export interface StreamCredentials {
  readonly apiKey: string;
  readonly secret: string;
  /** For messages: `STREAM_API_KEY/STREAM_API_SECRET` or `secret <arn>`. */
  readonly source: string;
}

/** Reads a Secrets Manager secret's string by ARN; throws CommandError when it cannot. */
export type ReadSecret = (secretArn: string) => Promise<string>;

export const CREDENTIAL_OPTIONS = {
  'from-secret': { type: 'boolean' },
  'api-key': { type: 'string' },
} as const;

export const CREDENTIAL_OPTIONS_HELP = `Stream credentials (never printed):
  STREAM_API_KEY, STREAM_API_SECRET   the app's API key and secret, from the environment
  --from-secret          read them from the stack's secret instead (its SecretArn output)
  --api-key <key>        with --from-secret: the key to use when the secret holds several`;

const MISSING = (why: string): string =>
  `${why}: set STREAM_API_KEY and STREAM_API_SECRET to the app's API key and secret (Stream ` +
  "dashboard, app's API keys), or pass --from-secret to use the key and secret stored in the " +
  "stack's secret (its SecretArn output)";

function regionOfArn(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

/** GetSecretValue in the secret's own region, with the SDK's credential resolution. */
export const readSecretWithSdk: ReadSecret = async (secretArn) => {
  const region = regionOfArn(secretArn);
  const client = new SecretsManagerClient(region === undefined ? {} : { region });
  try {
    const answer = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (answer.SecretString === undefined) {
      throw new CommandError(`the secret ${secretArn} holds no string value`);
    }
    return answer.SecretString;
  } catch (error) {
    if (error instanceof CommandError) throw error;
    const name = String((error as { name?: unknown }).name ?? '');
    const message = error instanceof Error ? error.message : String(error);
    if (name === 'ResourceNotFoundException') {
      throw new CommandError(
        `the secret ${secretArn} has no value yet: put the app's key and secret in it ` +
          '(README, "Set the secret")',
      );
    }
    throw new CommandError(`could not read the secret ${secretArn}: ${message}`);
  } finally {
    client.destroy();
  }
};

export interface ResolveCredentialsOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fromSecret: boolean;
  readonly apiKey?: string;
  /** The stack's SecretArn output; called only with `fromSecret`. */
  readonly secretArn?: () => Promise<string>;
  readonly readSecret?: ReadSecret;
}

/** The credentials to sign with, or a CommandError that explains both ways to provide them. */
export async function resolveCredentials(
  options: ResolveCredentialsOptions,
): Promise<StreamCredentials> {
  if (!options.fromSecret) {
    if (options.apiKey !== undefined) {
      throw new UsageError(
        "--api-key picks a key of the stack's secret: use it with --from-secret (or set " +
          'STREAM_API_KEY)',
      );
    }
    const apiKey = options.env.STREAM_API_KEY ?? '';
    const secret = options.env.STREAM_API_SECRET ?? '';
    if (apiKey === '' && secret === '') throw new CommandError(MISSING('no Stream credentials'));
    if (apiKey === '')
      throw new CommandError(MISSING('STREAM_API_SECRET is set but not STREAM_API_KEY'));
    if (secret === '')
      throw new CommandError(MISSING('STREAM_API_KEY is set but not STREAM_API_SECRET'));
    return { apiKey, secret, source: 'STREAM_API_KEY/STREAM_API_SECRET' };
  }

  if (options.secretArn === undefined) {
    throw new CommandError(MISSING('--from-secret needs the stack outputs'));
  }
  const arn = await options.secretArn();
  const text = await (options.readSecret ?? readSecretWithSdk)(arn);
  let credentials;
  try {
    credentials = parseCredentials(text);
  } catch (error) {
    if (error instanceof CredentialsInvalid) {
      throw new CommandError(`the secret ${arn} is not usable: ${error.message}`);
    }
    throw error;
  }
  const keys = [...credentials.keys()];
  if (keys.length === 0) {
    throw new CommandError(
      `the secret ${arn} holds no API key yet ({}): put {"<api key>": "<api secret>"} in it ` +
        '(README, "Set the secret"), or set STREAM_API_KEY and STREAM_API_SECRET',
    );
  }
  let apiKey = options.apiKey;
  if (apiKey === undefined) {
    if (keys.length > 1) {
      // API keys are public (Stream sends them in query strings); listing them is safe.
      throw new CommandError(
        `the secret ${arn} holds several API keys (${keys.join(', ')}): pick one with --api-key`,
      );
    }
    apiKey = keys[0] as string;
  }
  const secrets = credentials.get(apiKey);
  if (secrets === undefined) {
    throw new CommandError(
      `the secret ${arn} has no API key "${apiKey}" (keys: ${keys.join(', ')})`,
    );
  }
  // The first secret: the newest (README, "rotate"). Between putting a new secret first and
  // rolling it in Stream, Stream still takes the old one, and its 401 says so.
  return { apiKey, secret: secrets[0] as string, source: `secret ${arn}` };
}
