/**
 * The verifier's view of the Secrets Manager secret: each Stream API key with its active secrets
 * (more than one while a secret is being rotated). Stored as JSON,
 * `{"<api key>": "<secret>"}` or `{"<api key>": ["<new secret>", "<old secret>"]}`.
 */
export type Credentials = ReadonlyMap<string, readonly string[]>;

export class CredentialsInvalid extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsInvalid';
  }
}

/** Parses the secret string; the messages never quote the value, only its shape. */
export function parseCredentials(secretString: string): Credentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    throw new CredentialsInvalid('the secret is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CredentialsInvalid('the secret must be a JSON object of API key to secret(s)');
  }
  const credentials = new Map<string, readonly string[]>();
  for (const [apiKey, value] of Object.entries(parsed)) {
    const secrets = typeof value === 'string' ? [value] : value;
    if (
      apiKey === '' ||
      !Array.isArray(secrets) ||
      secrets.length === 0 ||
      !secrets.every((s): s is string => typeof s === 'string' && s !== '')
    ) {
      throw new CredentialsInvalid(
        'each API key must map to a non-empty secret string or array of secret strings',
      );
    }
    credentials.set(apiKey, secrets);
  }
  return credentials;
}

export interface CredentialStoreOptions {
  /** Reads the secret string; called once per container, then on refreshes as limited below. */
  readonly load: () => Promise<string>;
  /** The least time between a successful load and a reload triggered by a mismatch. @default 60_000 */
  readonly refreshMs?: number;
  /** The least time between a failed load and the next read. @default 1_000 */
  readonly retryMs?: number;
  readonly now?: () => number;
}

/**
 * Caches the credentials for the life of the container. A signature or key that does not match
 * may mean the secret was rotated, so `refresh()` reloads it, but at most once per `refreshMs`
 * after a successful load: forged requests must not turn into a Secrets Manager call each.
 * A failed load does not start that wait (the rotated secret is still unread); the next read
 * waits only `retryMs`, and until it happens `refresh()` rejects with the failure, so the caller
 * answers "secret unavailable" (which Stream retries) rather than "signature mismatch" (which
 * it does not).
 */
export class CredentialStore {
  private cached?: Promise<Credentials>;
  private loading?: Promise<Credentials>;
  private lastLoadAt = Number.NEGATIVE_INFINITY;
  private lastFailure?: { readonly at: number; readonly error: unknown };
  private readonly refreshMs: number;
  private readonly retryMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CredentialStoreOptions) {
    this.refreshMs = options.refreshMs ?? 60_000;
    this.retryMs = options.retryMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  current(): Promise<Credentials> {
    return this.cached ?? this.reload();
  }

  /**
   * Reloads when the last load is old enough and returns the fresh credentials; returns null when
   * a successful load is too recent (the caller keeps its answer); rejects with the last failure
   * while a failed load is too recent to read again. Concurrent calls share one reload.
   */
  async refresh(): Promise<Credentials | null> {
    if (this.loading !== undefined) return this.loading;
    const now = this.now();
    if (this.lastFailure !== undefined) {
      if (now - this.lastFailure.at < this.retryMs) throw this.lastFailure.error;
    } else if (now - this.lastLoadAt < this.refreshMs) {
      return null;
    }
    return this.reload();
  }

  private reload(): Promise<Credentials> {
    const startedAt = this.now();
    const previous = this.cached;
    const loading = this.options.load().then(parseCredentials);
    this.cached = loading;
    this.loading = loading;
    loading.then(
      () => {
        this.loading = undefined;
        this.lastLoadAt = startedAt;
        this.lastFailure = undefined;
      },
      (error: unknown) => {
        this.loading = undefined;
        // A failed load must not stick: requests go on with what we had before.
        this.cached = previous;
        this.lastFailure = { at: this.now(), error };
      },
    );
    return loading;
  }
}
