/**
 * What the Lambda bundles use instead of `@aws-sdk/credential-provider-node` (lib/bundling.ts
 * aliases that package here). The SDK's default chain carries SSO, INI files, credential
 * processes, web identity, container and instance metadata, with the STS, SSO and sign-in clients
 * they call: a third of each bundle, none of it reachable in Lambda, which hands the function its
 * role's credentials in environment variables (the first link of the default chain, so the same
 * credentials). Fields as `fromEnv` of `@aws-sdk/credential-provider-env` reads them.
 *
 * Only bundles see this module: `npm run dev`, the tests and the CLI import the SDK clients
 * unbundled and keep the full default chain (the dev servers are given static credentials).
 * Running a bundle where credentials come another way (a container credentials endpoint,
 * instance metadata) means dropping the alias from lib/bundling.ts.
 */

export interface EnvCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
  readonly credentialScope?: string;
  readonly accountId?: string;
}

/** Thrown when a bundle runs where the environment holds no credentials (not in Lambda). */
export class EnvCredentialsMissing extends Error {
  constructor() {
    super(
      'AWS credentials not found: this Lambda bundle reads only AWS_ACCESS_KEY_ID and ' +
        'AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), which Lambda sets for the function role',
    );
    this.name = 'EnvCredentialsMissing';
  }
}

/** The process environment's credentials, read on each call (the SDK client caches them). */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): EnvCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new EnvCredentialsMissing();
  const sessionToken = env.AWS_SESSION_TOKEN;
  const expiry = env.AWS_CREDENTIAL_EXPIRATION;
  const credentialScope = env.AWS_CREDENTIAL_SCOPE;
  const accountId = env.AWS_ACCOUNT_ID;
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    ...(expiry ? { expiration: new Date(expiry) } : {}),
    ...(credentialScope ? { credentialScope } : {}),
    ...(accountId ? { accountId } : {}),
  };
}

/**
 * The name and shape the SDK clients' runtime config imports from
 * `@aws-sdk/credential-provider-node`: called once per client with its config, it returns the
 * provider the client calls (and memoizes) when it signs a request.
 */
export function defaultProvider(): () => Promise<EnvCredentials> {
  return () => Promise.resolve().then(() => credentialsFromEnv());
}
