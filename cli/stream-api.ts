/**
 * A tiny client for the few Stream server-side endpoints the CLI needs. Requests are made as
 * Stream's server SDKs make them: query `api_key`, header `Authorization: <JWT>` (HS256 over
 * `{"server": true}` with the API secret), `Stream-Auth-Type: jwt`, JSON bodies. Answers are parsed
 * losslessly (stream-api-json.ts) so the app's hooks go back exactly as they came; we do not use
 * the SDKs' models, which drop hook fields they do not know.
 */
import {
  DEFAULT_STREAM_BASE_URL,
  InsecureStreamBaseUrl,
  serverToken,
  streamBaseUrl,
} from '../lambda/lib/adapters/stream-server-api.js';
import { CommandError, UsageError } from './command.js';
import {
  isJsonObject,
  parseJson,
  stringifyJson,
  type Json,
  type JsonObject,
} from './stream-api-json.js';
import type { StreamCredentials } from './stream-api-key-source.js';

export const REQUEST_TIMEOUT_MS = 10_000;

export const BASE_URL_OPTIONS = {
  'base-url': { type: 'string' },
} as const;

export const BASE_URL_HELP = `  --base-url <url>       Stream's API (default $STREAM_BASE_URL or ${DEFAULT_STREAM_BASE_URL});
                         https only, or http to localhost / 127.0.0.0/8 / [::1]`;

/**
 * `--base-url`, else STREAM_BASE_URL, else Stream's; a UsageError, before anything is sent, when
 * it is not https (or http to loopback).
 */
export function baseUrlFrom(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return checkedBaseUrl(option ?? (env.STREAM_BASE_URL || DEFAULT_STREAM_BASE_URL));
}

function checkedBaseUrl(value: string): string {
  try {
    return streamBaseUrl(value);
  } catch (error) {
    if (error instanceof InsecureStreamBaseUrl) throw new UsageError(`--base-url ${error.message}`);
    throw error;
  }
}

/** Body of `check_sqs`: the queue; with resource auth (the queue policy) no key and secret. */
export interface CheckSqsRequest {
  readonly sqs_url: string;
  readonly sqs_key?: string;
  readonly sqs_secret?: string;
}

/** Body of `check_sns`: the topic; with resource auth (the topic policy) no key and secret. */
export interface CheckSnsRequest {
  readonly sns_topic_arn: string;
  readonly sns_key?: string;
  readonly sns_secret?: string;
}

/** Stream's answer to check_sqs / check_sns: `status` is `ok` or `error`. */
export interface CheckResult {
  readonly status: string;
  readonly error?: string;
  readonly data?: Json;
  readonly raw: JsonObject;
}

export interface StreamApiOptions {
  readonly credentials: Pick<StreamCredentials, 'apiKey' | 'secret'>;
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export class StreamApi {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly secret: string;
  private readonly timeoutMs: number;
  private readonly doFetch: typeof fetch;
  private token?: Promise<string>;

  constructor(options: StreamApiOptions) {
    this.baseUrl = checkedBaseUrl(options.baseUrl ?? DEFAULT_STREAM_BASE_URL);
    this.apiKey = options.credentials.apiKey;
    this.secret = options.credentials.secret;
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    this.doFetch = options.fetch ?? fetch;
  }

  /** `GET /api/v2/app`: the whole answer as Stream sent it, unknown fields included. */
  async getApp(): Promise<JsonObject> {
    return this.request('GET', '/api/v2/app');
  }

  /** `PATCH /api/v2/app` with exactly `{"event_hooks": hooks}`: Stream replaces the whole array. */
  async updateEventHooks(hooks: readonly Json[]): Promise<JsonObject> {
    return this.request('PATCH', '/api/v2/app', { event_hooks: hooks });
  }

  /** `PATCH /api/v2/app` with exactly these top-level settings (e.g. `before_message_send_hook_url`). */
  async updateAppSettings(settings: JsonObject): Promise<JsonObject> {
    return this.request('PATCH', '/api/v2/app', { ...settings });
  }

  /** `POST /api/v2/check_sqs`: Stream sends a test message to the queue and reports. */
  async checkSqs(body: CheckSqsRequest): Promise<CheckResult> {
    return checkResult(await this.request('POST', '/api/v2/check_sqs', { ...body }));
  }

  /** `POST /api/v2/check_sns`: Stream publishes a test message to the topic and reports. */
  async checkSns(body: CheckSnsRequest): Promise<CheckResult> {
    return checkResult(await this.request('POST', '/api/v2/check_sns', { ...body }));
  }

  private async request(method: string, path: string, body?: JsonObject): Promise<JsonObject> {
    this.token ??= serverToken(this.secret);
    const url = new URL(`${this.baseUrl}${path}`);
    url.searchParams.set('api_key', this.apiKey);
    // Messages name the endpoint, never the query (it carries the key) or a header.
    const where = `${method} ${this.baseUrl}${path}`;
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.doFetch(url, {
        method,
        headers: {
          Authorization: await this.token,
          'Stream-Auth-Type': 'jwt',
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: body === undefined ? undefined : stringifyJson(body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) {
        throw new CommandError(
          `${where}: no answer from Stream within ${this.timeoutMs / 1000} s`,
          { cause: error },
        );
      }
      throw new CommandError(`${where}: could not reach Stream (${networkReason(error)})`, {
        cause: error,
      });
    }

    let parsed: Json | undefined;
    try {
      parsed = parseJson(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      if (isJsonObject(parsed) && typeof parsed.message === 'string') {
        const code = typeof parsed.code === 'number' ? `, code ${parsed.code}` : '';
        throw new CommandError(`Stream: ${parsed.message} (HTTP ${response.status}${code})`);
      }
      throw new CommandError(
        `${where}: HTTP ${response.status} ${response.statusText}${text ? `: ${shorten(text)}` : ''}`,
      );
    }
    if (!isJsonObject(parsed)) {
      throw new CommandError(`${where}: the answer is not a JSON object: ${shorten(text)}`);
    }
    return parsed;
  }
}

function checkResult(raw: JsonObject): CheckResult {
  if (typeof raw.status !== 'string') {
    throw new CommandError(`Stream's check answer has no status: ${shorten(stringifyJson(raw))}`);
  }
  return {
    status: raw.status,
    ...(typeof raw.error === 'string' && raw.error !== '' ? { error: raw.error } : {}),
    ...(raw.data !== undefined && raw.data !== null ? { data: raw.data } : {}),
    raw,
  };
}

/** The app's settings in a `GET /api/v2/app` answer (`{"app": {...}}`). */
export function appSettingsOf(answer: JsonObject): JsonObject {
  const app = answer.app;
  if (!isJsonObject(app)) {
    throw new CommandError("Stream's GET /api/v2/app answer has no app object");
  }
  return app;
}

/** The `event_hooks` of a `GET /api/v2/app` answer (`{"app": {"event_hooks": [...]}}`). */
export function eventHooksOf(answer: JsonObject): Json[] {
  const hooks = appSettingsOf(answer).event_hooks;
  if (hooks === undefined || hooks === null) return [];
  if (!Array.isArray(hooks)) {
    throw new CommandError("Stream's app settings hold event_hooks that are not a list");
  }
  return [...(hooks as readonly Json[])];
}
