import { SignJWT } from 'jose';

/** Stream's Chat REST API; override for an edge or regional base URL. */
export const DEFAULT_STREAM_BASE_URL = 'https://chat.stream-io-api.com';

export interface CommitOptions {
  readonly apiKey: string;
  /** The API secret: signs a server token, never sent itself. */
  readonly secret: string;
  /** @default https://chat.stream-io-api.com */
  readonly baseUrl?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
}

export class CommitFailed extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'CommitFailed';
  }
}

/** A server-side token: `{"server":true}`, HS256 with the API secret, as Stream's SDKs make it. */
export async function serverToken(secret: string): Promise<string> {
  return new SignJWT({ server: true })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

/**
 * Commits a pending message (`POST /messages/{id}/commit`), making it visible to the channel.
 * Resolves with Stream's answer; throws `CommitFailed` on a non-2xx status.
 */
export async function commitPendingMessage(
  messageId: string,
  options: CommitOptions,
): Promise<unknown> {
  const base = (options.baseUrl ?? DEFAULT_STREAM_BASE_URL).replace(/\/+$/, '');
  const url = `${base}/messages/${encodeURIComponent(messageId)}/commit?api_key=${encodeURIComponent(options.apiKey)}`;
  const response = await (options.fetch ?? fetch)(url, {
    method: 'POST',
    headers: {
      Authorization: await serverToken(options.secret),
      'Stream-Auth-Type': 'jwt',
      'Content-Type': 'application/json',
    },
    body: '{}',
    signal: options.signal,
  });
  const text = await response.text();
  if (!response.ok) {
    throw new CommitFailed(
      response.status,
      `commit of a pending message failed: ${response.status}`,
    );
  }
  return text === '' ? {} : (JSON.parse(text) as unknown);
}
