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
  /** Reads the secret string; called once per container and at most once per `refreshMs` after. */
  readonly load: () => Promise<string>;
  /** The least time between two reloads triggered by a mismatch. @default 60_000 */
  readonly refreshMs?: number;
  readonly now?: () => number;
}

/**
 * Caches the credentials for the life of the container. A signature or key that does not match
 * may mean the secret was rotated, so `refresh()` reloads it, but at most once per `refreshMs`:
 * forged requests must not turn into a Secrets Manager call each.
 */
export class CredentialStore {
  private cached?: Promise<Credentials>;
  private lastLoadAt = Number.NEGATIVE_INFINITY;
  private readonly refreshMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CredentialStoreOptions) {
    this.refreshMs = options.refreshMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  current(): Promise<Credentials> {
    return this.cached ?? this.reload();
  }

  /** Reloads when the last load is old enough; otherwise returns null and the caller keeps its answer. */
  async refresh(): Promise<Credentials | null> {
    if (this.now() - this.lastLoadAt < this.refreshMs) return null;
    return this.reload();
  }

  private reload(): Promise<Credentials> {
    this.lastLoadAt = this.now();
    const previous = this.cached;
    const loading = this.options.load().then(parseCredentials);
    this.cached = loading;
    // A failed load must not stick: the next request tries again, with what it had before.
    loading.catch(() => {
      if (this.cached === loading) this.cached = previous;
    });
    return loading;
  }
}
