/**
 * A stand-in for Stream's API, as a real HTTP server on 127.0.0.1: it checks every request as
 * Stream does (query `api_key`, `Stream-Auth-Type: jwt`, an HS256 JWT signed with the app's
 * secret, verified with jose), records it, and serves an app whose `event_hooks` look like
 * Stream's: `created_at` / `updated_at` as integer nanoseconds (beyond 2^53, so JSON.parse would
 * round them) and fields no SDK type has. PATCH rejects integer timestamps with a 400 Stream error
 * and replaces the whole array, as Stream does, storing a hook that takes every event (`[]` or
 * no `event_types`) with `"event_types": null`, as Stream's GET writes it. Hooks are stored as
 * JSON text, so what a test seeds is served byte for byte. The app also carries `use_hook_v2`
 * (true unless a test sets `useHookV2`) and the legacy single-target settings (`webhook_url`,
 * `sqs_url`, `sqs_key`, ..., `webhook_events`), which PATCH sets.
 */
import { writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { jwtVerify } from 'jose';

export const FAKE_API_KEY = 'fake-api-key';
export const FAKE_API_SECRET = 'fake-api-secret';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** What the fake answered. */
  readonly status: number;
}

export interface CheckAnswer {
  readonly status: 'ok' | 'error';
  readonly error?: string;
  readonly data?: Record<string, unknown>;
}

/** A Stream error body, as the API answers failures. */
export function streamError(code: number, message: string, statusCode: number): string {
  return JSON.stringify({
    code,
    message,
    StatusCode: statusCode,
    duration: '0.00ms',
    more_info: 'https://getstream.io/chat/docs/api_errors_response',
  });
}

/** Integer nanoseconds from `2024-05-01T12:34:56.123456789Z` (any number of fraction digits). */
export function rfc3339ToNanos(text: string): bigint | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(
    text,
  );
  if (match === null) return null;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return null;
  return BigInt(seconds) * 1_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'));
}

const BIG = '"__nanos__';

/** The top-level URL settings the fake stores. */
const SETTING_FIELDS = ['before_message_send_hook_url', 'custom_action_handler_url'] as const;

/**
 * The single-target settings of an app not yet on multiple event hooks, as GET always serves
 * them (AppResponseFields lists each as required), in Stream's order; PATCH sets them.
 */
const LEGACY_FIELDS = [
  'webhook_url',
  'sqs_url',
  'sqs_key',
  'sqs_secret',
  'sns_topic_arn',
  'sns_key',
  'sns_secret',
] as const;

/** JSON text of a hook, its bigint fields written as bare integers. */
function hookText(hook: Record<string, unknown>): string {
  return JSON.stringify(hook, (_key, value: unknown) =>
    typeof value === 'bigint' ? `__nanos__${value}` : value,
  ).replace(new RegExp(`${BIG}(-?\\d+)"`, 'g'), '$1');
}

export class FakeStreamApi {
  readonly requests: RecordedRequest[] = [];
  /** The app's hooks, each as the JSON text GET serves. */
  hooks: string[] = [];
  /**
   * Top-level app settings GET serves and PATCH sets (`before_message_send_hook_url`,
   * `custom_action_handler_url`); served only once set, so the default app text is unchanged.
   */
  readonly settings = new Map<string, string>();
  /** The legacy single-target settings (LEGACY_FIELDS), `""` when unset. */
  readonly legacy = new Map<string, string>();
  /** The legacy `webhook_events`: which events every legacy target gets; `[]` for all. */
  webhookEvents: string[] = [];
  /**
   * `use_hook_v2`: whether the app is on multiple event hooks. When false, Stream still stores a
   * PATCHed `event_hooks` but delivers to the legacy settings alone.
   */
  useHookV2 = true;
  /** Answers of check_sqs (by sqs_url) and check_sns (by sns_topic_arn); default ok. */
  readonly checks = new Map<string, CheckAnswer>();
  url = '';
  private nextId = 1;
  private readonly server: Server;

  constructor(
    readonly apiKey: string = FAKE_API_KEY,
    private readonly secret: string = FAKE_API_SECRET,
  ) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        void this.answer(req.method ?? 'GET', req.url ?? '/', req.headers, body).then(
          ({ status, text }) => {
            const url = new URL(req.url ?? '/', 'http://fake');
            this.requests.push({
              method: req.method ?? 'GET',
              path: url.pathname,
              query: url.searchParams,
              headers: req.headers,
              body,
              status,
            });
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(text);
          },
        );
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Sets the app's hooks (JSON texts) and forgets the requests so far. */
  reset(hooks: readonly string[], settings: Readonly<Record<string, string>> = {}): void {
    this.hooks = [...hooks];
    this.requests.length = 0;
    this.checks.clear();
    this.settings.clear();
    for (const [key, value] of Object.entries(settings)) this.settings.set(key, value);
    for (const key of LEGACY_FIELDS) this.legacy.set(key, '');
    this.webhookEvents = [];
    this.useHookV2 = true;
  }

  /** Every PATCH request, accepted or not. */
  patches(): RecordedRequest[] {
    return this.requests.filter((request) => request.method === 'PATCH');
  }

  /** The app as GET serves it. */
  appText(): string {
    return (
      `{"app":{"name":"fake-app","organization":"fake-org",` +
      [...this.legacy, ...this.settings]
        .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)},`)
        .join('') +
      `"webhook_events":${JSON.stringify(this.webhookEvents)},` +
      `"some_app_future_field":{"x":1},` +
      `"event_hooks":[${this.hooks.join(',')}],"use_hook_v2":${this.useHookV2}},` +
      `"duration":"1.23ms"}`
    );
  }

  private async answer(
    method: string,
    rawUrl: string,
    headers: IncomingHttpHeaders,
    body: string,
  ): Promise<{ status: number; text: string }> {
    const url = new URL(rawUrl, 'http://fake');
    const key = url.searchParams.get('api_key');
    if (key === null) return { status: 401, text: streamError(4, 'api_key is required', 401) };
    if (key !== this.apiKey) {
      return { status: 401, text: streamError(2, `api_key not found: "${key}"`, 401) };
    }
    if (headers['stream-auth-type'] !== 'jwt') {
      return {
        status: 401,
        text: streamError(5, 'Stream-Auth-Type header must be jwt for server-side auth', 401),
      };
    }
    const token = headers.authorization ?? '';
    try {
      const { payload } = await jwtVerify(token, new TextEncoder().encode(this.secret), {
        algorithms: ['HS256'],
      });
      if (payload.server !== true) throw new Error('not a server token');
    } catch {
      return {
        status: 401,
        text: streamError(
          5,
          `JWTAuth error: signature is not valid. Make sure the token is created using the secret for API key "${this.apiKey}"`,
          401,
        ),
      };
    }

    const route = `${method} ${url.pathname}`;
    if (route === 'GET /api/v2/app') return { status: 200, text: this.appText() };
    if (route === 'PATCH /api/v2/app') return this.patchApp(body);
    if (route === 'POST /api/v2/check_sqs' || route === 'POST /api/v2/check_sns') {
      const request = JSON.parse(body) as Record<string, unknown>;
      const target = String(request.sqs_url ?? request.sns_topic_arn ?? '');
      const answer = this.checks.get(target) ?? { status: 'ok' };
      return { status: 200, text: JSON.stringify({ ...answer, duration: '12.00ms' }) };
    }
    return { status: 404, text: streamError(16, `no route ${route}`, 404) };
  }

  private patchApp(body: string): { status: number; text: string } {
    let request: { event_hooks?: unknown } & Record<string, unknown>;
    try {
      request = JSON.parse(body) as { event_hooks?: unknown } & Record<string, unknown>;
    } catch {
      return { status: 400, text: streamError(4, 'invalid JSON body', 400) };
    }
    for (const key of [...SETTING_FIELDS, ...LEGACY_FIELDS]) {
      const value = request[key];
      if (value !== undefined && typeof value !== 'string') {
        return { status: 400, text: streamError(4, `${key} must be a string`, 400) };
      }
    }
    const events = request.webhook_events;
    if (
      events !== undefined &&
      (!Array.isArray(events) || !events.every((type) => typeof type === 'string'))
    ) {
      return { status: 400, text: streamError(4, 'webhook_events must be a list of strings', 400) };
    }
    for (const key of SETTING_FIELDS) {
      const value = request[key];
      if (typeof value === 'string') this.settings.set(key, value);
    }
    for (const key of LEGACY_FIELDS) {
      const value = request[key];
      if (typeof value === 'string') this.legacy.set(key, value);
    }
    if (events !== undefined) this.webhookEvents = events as string[];
    if (request.event_hooks === undefined) return { status: 201, text: '{"duration":"1ms"}' };
    if (!Array.isArray(request.event_hooks)) {
      return { status: 400, text: streamError(4, 'event_hooks must be an array', 400) };
    }
    const now = BigInt(Date.now()) * 1_000_000n;
    const stored: string[] = [];
    for (const hook of request.event_hooks as Record<string, unknown>[]) {
      const next: Record<string, unknown> = { ...hook };
      for (const field of ['created_at', 'updated_at']) {
        const value = hook[field];
        if (typeof value === 'number') {
          // What Stream answers when a hook comes back with GET's integer timestamps.
          return {
            status: 400,
            text: streamError(
              4,
              `UpdateApp failed with error: "json: cannot unmarshal number into Go struct field EventHook.event_hooks.${field} of type time.Time"`,
              400,
            ),
          };
        }
        next[field] = value === undefined ? now : (rfc3339ToNanos(String(value)) ?? now);
      }
      // Stream writes a hook that takes every event back as `"event_types": null`.
      if (!Array.isArray(next.event_types) || next.event_types.length === 0) {
        next.event_types = null;
      }
      next.id ??= `hook-${this.nextId++}`;
      stored.push(hookText(next));
    }
    this.hooks = stored;
    return { status: 201, text: '{"duration":"2.00ms"}' };
  }
}

/** The deployed stack a test pretends to have: its outputs, as `cdk deploy --outputs-file` writes. */
export const STACK = {
  name: 'StreamEvents',
  region: 'eu-west-1',
  webhookUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/webhook',
  beforeMessageSendUrl:
    'https://abc123.execute-api.eu-west-1.amazonaws.com/hooks/before-message-send',
  customCommandsUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/hooks/custom-commands',
  pendingMessagesUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/hooks/pending-messages',
  secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:StreamSecret-AbCdEf',
  queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/StreamEvents-Events-A1',
  chatQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/StreamEvents-Eventschat-B2',
  topicArn: 'arn:aws:sns:eu-west-1:123456789012:StreamEvents-TopicStream-C3',
  /** The webhook's types, split over EventHooksWebhook and EventHooksWebhookPart2. */
  webhookTypes: ['message.new', 'message.updated', 'reaction.new'],
  chatTypes: ['message.new', 'message.updated'],
} as const;

/** The fixture's outputs plus those of the synchronous hooks (syncHooks enabled). */
export function stackOutputsWithSyncHooks(): Record<string, string> {
  return {
    ...stackOutputs(),
    BeforeMessageSendUrl: STACK.beforeMessageSendUrl,
    CustomCommandsUrl: STACK.customCommandsUrl,
    PendingMessagesUrl: STACK.pendingMessagesUrl,
  };
}

/** The fixture's outputs, less the named ones (a stack without some path or resource). */
export function stackOutputsWithout(...keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(stackOutputs()).filter(([key]) => !keys.includes(key)));
}

export function stackOutputs(): Record<string, string> {
  const arn = (url: string): string =>
    `arn:aws:sqs:eu-west-1:123456789012:${url.slice(url.lastIndexOf('/') + 1)}`;
  const webhook = (types: readonly string[]) => [
    { hook_type: 'webhook', enabled: true, webhook_url: STACK.webhookUrl, event_types: types },
  ];
  const sqs = (url: string, types: readonly string[]) => [
    {
      hook_type: 'sqs',
      enabled: true,
      sqs_queue_url: url,
      sqs_region: STACK.region,
      sqs_auth_type: 'resource',
      event_types: types,
    },
  ];
  return {
    WebhookUrl: STACK.webhookUrl,
    SecretArn: STACK.secretArn,
    QueueUrl: STACK.queueUrl,
    QueueArn: arn(STACK.queueUrl),
    DeadLetterQueueUrl: `${STACK.queueUrl}-dlq`,
    ChatQueueUrl: STACK.chatQueueUrl,
    ChatQueueArn: arn(STACK.chatQueueUrl),
    ChatDeadLetterQueueUrl: `${STACK.chatQueueUrl}-dlq`,
    TopicArn: STACK.topicArn,
    EventHooksWebhook: JSON.stringify(webhook(STACK.webhookTypes.slice(0, 2))),
    EventHooksWebhookPart2: JSON.stringify(webhook(STACK.webhookTypes.slice(2))),
    EventHooksSns: JSON.stringify([
      {
        hook_type: 'sns',
        enabled: true,
        sns_topic_arn: STACK.topicArn,
        sns_region: STACK.region,
        sns_auth_type: 'resource',
        event_types: STACK.webhookTypes,
      },
    ]),
    EventHooksSqs: JSON.stringify(sqs(STACK.queueUrl, [])),
    EventHooksSqsChat: JSON.stringify(sqs(STACK.chatQueueUrl, STACK.chatTypes)),
  };
}

/** Writes an outputs file (`{"<stack>": outputs}`) into `dir` and returns its path. */
export async function writeOutputsFile(
  dir: string,
  outputs: Record<string, string> = stackOutputs(),
  stackName: string = STACK.name,
): Promise<string> {
  const path = join(dir, `outputs-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify({ [stackName]: outputs }, null, 2));
  return path;
}

/**
 * Hooks of other integrations, as GET returns them: integer-nanosecond timestamps, fields no SDK
 * type has, a number JSON.parse would round and a decimal it would rewrite. `patched` is each one
 * as PATCH must carry it: the same text with only the timestamps converted to RFC 3339.
 */
export const FOREIGN_HOOKS = [
  {
    get: '{"id":"foreign-1","hook_type":"webhook","enabled":true,"webhook_url":"https://other.example.com/hook?a=1&b=2","event_types":["message.new"],"timeout_ms":5000,"some_future_field":{"nested":[1,2.50,12345678901234567890],"flag":null,"on":true},"created_at":1714566896123456789,"updated_at":1700000000000000001}',
    patched:
      '{"id":"foreign-1","hook_type":"webhook","enabled":true,"webhook_url":"https://other.example.com/hook?a=1&b=2","event_types":["message.new"],"timeout_ms":5000,"some_future_field":{"nested":[1,2.50,12345678901234567890],"flag":null,"on":true},"created_at":"2024-05-01T12:34:56.123456789Z","updated_at":"2023-11-14T22:13:20.000000001Z"}',
  },
  {
    get: '{"hook_type":"sqs","id":"foreign-2","enabled":false,"sqs_queue_url":"https://sqs.us-east-1.amazonaws.com/999999999999/theirs","sqs_region":"us-east-1","sqs_auth_type":"role","sqs_role_arn":"arn:aws:iam::999999999999:role/stream","event_types":[],"product":"chat","created_at":1714566896000000000,"updated_at":1714566896000000000}',
    patched:
      '{"hook_type":"sqs","id":"foreign-2","enabled":false,"sqs_queue_url":"https://sqs.us-east-1.amazonaws.com/999999999999/theirs","sqs_region":"us-east-1","sqs_auth_type":"role","sqs_role_arn":"arn:aws:iam::999999999999:role/stream","event_types":[],"product":"chat","created_at":"2024-05-01T12:34:56.000000000Z","updated_at":"2024-05-01T12:34:56.000000000Z"}',
  },
  {
    // Our webhook URL, but another hook type: not ours.
    get: `{"id":"foreign-3","hook_type":"pending_message","enabled":true,"webhook_url":"${STACK.webhookUrl}","timeout_ms":2000,"callback":{"mode":"CALLBACK_MODE_REST"},"event_types":[],"created_at":1714566896000000000,"updated_at":1714566896000000000}`,
    patched: `{"id":"foreign-3","hook_type":"pending_message","enabled":true,"webhook_url":"${STACK.webhookUrl}","timeout_ms":2000,"callback":{"mode":"CALLBACK_MODE_REST"},"event_types":[],"created_at":"2024-05-01T12:34:56.000000000Z","updated_at":"2024-05-01T12:34:56.000000000Z"}`,
  },
] as const;
