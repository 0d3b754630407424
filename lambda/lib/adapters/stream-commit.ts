import { DEFAULT_STREAM_BASE_URL, serverToken, streamBaseUrl } from './stream-server-api.js';

// What a caller of commitPendingMessage may catch or pass; the token is this module's own business.
export { DEFAULT_STREAM_BASE_URL, InsecureStreamBaseUrl } from './stream-server-api.js';

export interface CommitOptions {
  readonly apiKey: string;
  /** The API secret: signs a server token, never sent itself. */
  readonly secret: string;
  /**
   * https only (http to loopback alone, for a local stand-in): the token would otherwise travel in
   * clear, so any other URL throws `InsecureStreamBaseUrl` before a request is made.
   * @default https://chat.stream-io-api.com
   */
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

/**
 * Commits a pending message (`POST /messages/{id}/commit`), making it visible to the channel.
 * Resolves with Stream's answer; throws `CommitFailed` on a non-2xx status.
 */
export async function commitPendingMessage(
  messageId: string,
  options: CommitOptions,
): Promise<unknown> {
  const base = streamBaseUrl(options.baseUrl ?? DEFAULT_STREAM_BASE_URL);
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
