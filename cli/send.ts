import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { DEV_API_KEY, DEV_API_SECRET } from '../dev/dev-api-key.js';
import { assertValidGroupName } from '../contract/names.js';
import { signedRequest } from '../lambda/lib/domain/stream-request-signer.js';
import {
  attemptTimeoutMs,
  decideRetry,
  isSuccess,
  STREAM_RETRY_POLICY,
  type AttemptOutcome,
  type RetryPolicy,
  type StopReason,
} from './retry-policy.js';
import type { Command, CommandIO } from './command.js';
import { EventNotFound, loadEvent, sampleEventTypes } from './sample-events.js';
import {
  DIRECT_FORMATS,
  isDirectFormat,
  sendToQueue,
  SqsSendError,
  type SqsSendDeps,
} from './send-sqs.js';
import { commandInfo } from './command-list.js';
import { networkDetail, SIGNED_POST_OPTIONS } from './signed-post.js';

export interface SendOptions {
  /** A sample event type (`message.new`) or the path of a JSON file. */
  readonly event: string;
  readonly url: string;
  readonly gzip: boolean;
  readonly apiKey: string;
  readonly secret: string;
}

export interface SendDeps {
  readonly fetch?: typeof fetch;
  readonly policy?: RetryPolicy;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly print?: (line: string) => void;
  readonly newWebhookId?: () => string;
  /** Where sample events are read from. @default events/ */
  readonly eventsDir?: string;
}

export interface AttemptReport {
  readonly attempt: number;
  readonly outcome: AttemptOutcome;
  readonly durationMs: number;
}

export interface SendResult {
  readonly ok: boolean;
  readonly webhookId: string;
  readonly eventType: string | null;
  readonly attempts: readonly AttemptReport[];
  readonly stopReason: StopReason;
}

interface Delivery {
  readonly url: string;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

export interface AttemptResult {
  readonly outcome: AttemptOutcome;
  /** The answer's body or the error, shortened, for the user. */
  readonly detail: string;
}

const DETAIL_CHARS = 200;

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > DETAIL_CHARS ? `${line.slice(0, DETAIL_CHARS)}…` : line;
}

async function attemptOnce(
  delivery: Delivery,
  attempt: number,
  timeoutMs: number,
  doFetch: typeof fetch,
): Promise<AttemptResult> {
  const signal = AbortSignal.timeout(Math.max(1, timeoutMs));
  try {
    const response = await doFetch(delivery.url, {
      method: 'POST',
      headers: { ...delivery.headers, 'X-Webhook-Attempt': String(attempt) },
      body: delivery.body,
      signal,
    });
    const text = await response.text();
    return { outcome: response.status, detail: isSuccess(response.status) ? '' : shorten(text) };
  } catch (error) {
    if (signal.aborted) return { outcome: 'timeout', detail: `no answer within ${timeoutMs} ms` };
    return { outcome: 'network', detail: networkDetail(error) };
  }
}

function describe(result: AttemptResult): string {
  if (result.outcome === 'timeout') return 'timeout';
  if (result.outcome === 'network') return 'network error';
  return `${result.outcome} ${STATUS_CODES[result.outcome] ?? ''}`.trim();
}

/**
 * Signs and POSTs one event as Stream does, retrying as Stream does: the same `X-Webhook-Id` on
 * every attempt, `X-Webhook-Attempt` counting from 1, the signature over the uncompressed bytes.
 */
export async function send(options: SendOptions, deps: SendDeps = {}): Promise<SendResult> {
  const policy = deps.policy ?? STREAM_RETRY_POLICY;
  const now = deps.now ?? Date.now;
  const pause = deps.sleep ?? ((ms: number) => sleep(ms));
  const print = deps.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const doFetch = deps.fetch ?? fetch;

  const event = await loadEvent(options.event, { dir: deps.eventsDir, now: new Date(now()) });
  const webhookId = (deps.newWebhookId ?? randomUUID)();
  const { body, headers } = signedRequest(event.bytes, { ...options, webhookId });
  const delivery: Delivery = { url: options.url, body, headers };
  const size = options.gzip
    ? `${event.bytes.length} bytes, gzip ${body.length}`
    : `${event.bytes.length} bytes`;
  print(
    `POST ${options.url} ${event.type ?? '(no type)'} from ${event.source} (${size}) X-Webhook-Id ${webhookId}`,
  );

  const attempts: AttemptReport[] = [];
  const started = now();
  for (let attempt = 1; ; attempt += 1) {
    const attemptStarted = performance.now();
    const result = await attemptOnce(
      delivery,
      attempt,
      attemptTimeoutMs(now() - started, policy),
      doFetch,
    );
    const durationMs = Math.round(performance.now() - attemptStarted);
    attempts.push({ attempt, outcome: result.outcome, durationMs });
    const decision = decideRetry(result.outcome, attempt, now() - started, policy);
    const detail = result.detail ? ` ${result.detail}` : '';
    const next = decision.retry ? `, retrying in ${decision.delayMs} ms` : '';
    print(`attempt ${attempt}: ${describe(result)} (${durationMs} ms)${detail}${next}`);
    if (!decision.retry) {
      if (decision.reason !== 'succeeded')
        print(`gave up: ${decision.reason.replaceAll('_', ' ')}`);
      return {
        ok: decision.reason === 'succeeded',
        webhookId,
        eventType: event.type,
        attempts,
        stopReason: decision.reason,
      };
    }
    await pause(decision.delayMs);
  }
}

/** At most this many copies per run: a dedupe demo, not a load generator. */
const MAX_COUNT = 1_000;
const DEFAULT_INTERVAL_MS = 2_000;

const USAGE = `Usage: npm run send -- <event> [options]
       npm run send -- --sqs <group> <event> [--format json|base64|gzip|sns] [--count N]
       npm run send -- --hook <hook> [<payload>] [options]   (npm run send -- --hook --help)

Webhook mode (default): signs an event as Stream does and POSTs it to the webhook, retrying as
Stream does. Exits 0 when the webhook answered 2xx, 1 otherwise.

Direct SQS mode (--sqs): writes the event straight into a consumer group's dev queue
(stream-events-<group>, found by name with GetQueueUrl) the way Stream's direct SQS delivery
does: the body alone, no signature, no message attributes. Prints one line per message: the
group, the queue URL, the format and SQS's MessageId. Exits 0 when every copy was written.

  <event>              a sample event type (see below; created_at is set to now)
                       or the path of a JSON file (sent byte for byte)

Webhook options:
  --url <url>          the webhook (default http://127.0.0.1:$PORT/webhook, PORT 3000)
  --gzip               gzip the body and send Content-Encoding: gzip (signature stays over the JSON)
  --key <key>          X-Api-Key (default $STREAM_API_KEY or ${DEV_API_KEY})
  --secret <secret>    signing secret (default $STREAM_API_SECRET or ${DEV_API_SECRET})

Direct SQS options:
  --sqs <group>        the consumer group whose queue gets the event: \`all\` with the default
                       group table; npm run dev's ready line lists every group
  --format <format>    how the body is written (default gzip):
                         json    the event JSON (Stream compression off, Go/Python/PHP/Ruby SDKs)
                         base64  base64 of the JSON (compression off, JS/Java SDKs)
                         gzip    base64 of gzip(JSON): Stream's compressed format
                         sns     an SNS envelope {"Type":"Notification","Message":"<base64 gzip>",...}
                                 as SNS delivers to SQS without raw message delivery
  --count <n>          write the very same body n times (default 1, at most ${MAX_COUNT}): the
                       consumer runs the event once and logs the other copies as "event duplicate"
  --interval <ms>      pause between copies (default ${DEFAULT_INTERVAL_MS}), so each lands in a batch of
                       its own; copies in one batch run together, and a copy that finds the first
                       one's claim in progress is retried after VISIBILITY_TIMEOUT, then skipped
  --sqs-endpoint <url> the dev SQS server (default http://127.0.0.1:$SQS_PORT, SQS_PORT 9324)

Hook mode (--hook before-message-send|custom-commands|pending-pass|pending-deleted): calls one
of Stream's synchronous Chat hooks once, signed as the webhook is, and prints the answer;
\`npm run send -- --hook --help\` lists its options (--text, --command, --form-data, --timeout-ms).

  --help               this text`;

const WEBHOOK_ONLY = ['url', 'gzip', 'key', 'secret'] as const;
const SQS_ONLY = ['format', 'count', 'interval', 'sqs-endpoint'] as const;

type Env = Readonly<Record<string, string | undefined>>;

export type RunSendDeps = SendDeps &
  Omit<SqsSendDeps, keyof SendDeps> & {
    /** Where error messages go. @default process.stderr */
    readonly printError?: (text: string) => void;
  };

function integerOption(
  raw: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number | string {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    return `--${name} must be an integer from ${min} to ${max}, got "${raw}"`;
  }
  return value;
}

function isUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** `npm run send -- ...`: parses the arguments, sends, and returns the exit code. */
export async function runSend(
  argv: readonly string[],
  env: Env = process.env,
  deps: RunSendDeps = {},
): Promise<number> {
  const print = deps.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const printError = deps.printError ?? ((text: string) => process.stderr.write(text));
  const fail = (message: string): number => {
    printError(`send: ${message}\n`);
    return 1;
  };
  if (argv.some((arg) => arg === '--hook' || arg.startsWith('--hook='))) {
    // Loaded on demand: the webhook and SQS paths do not pay for it.
    const { runSendSyncHook } = await import('./send-sync-hook.js');
    return runSendSyncHook(argv, env, { ...deps, print, printError });
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        ...SIGNED_POST_OPTIONS,
        sqs: { type: 'string' },
        format: { type: 'string' },
        count: { type: 'string' },
        interval: { type: 'string' },
        'sqs-endpoint': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    const samples = await sampleEventTypes(deps.eventsDir);
    print(`${USAGE}\n\nSample events: ${samples.join(', ')}`);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] === undefined) {
    return fail(`expected one event, got ${positionals.length}\n\n${USAGE}`);
  }
  const event = positionals[0];
  if (values.sqs !== undefined) return runSendToQueue(event, values, env, deps, fail);

  const misplaced = SQS_ONLY.filter((name) => values[name] !== undefined);
  if (misplaced.length > 0) {
    return fail(`--${misplaced.join(', --')} only apply with --sqs <group>`);
  }
  const options: SendOptions = {
    event,
    url: values.url ?? `http://127.0.0.1:${env.PORT || '3000'}/webhook`,
    gzip: values.gzip ?? false,
    apiKey: values.key ?? (env.STREAM_API_KEY || DEV_API_KEY),
    secret: values.secret ?? (env.STREAM_API_SECRET || DEV_API_SECRET),
  };
  if (!isUrl(options.url)) return fail(`--url ${options.url} is not a URL`);
  try {
    const result = await send(options, { ...deps, print });
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof EventNotFound) return fail(error.message);
    throw error;
  }
}

async function runSendToQueue(
  event: string,
  values: Readonly<Record<string, string | boolean | undefined>>,
  env: Env,
  deps: RunSendDeps,
  fail: (message: string) => number,
): Promise<number> {
  const misplaced = WEBHOOK_ONLY.filter((name) => values[name] !== undefined);
  if (misplaced.length > 0) {
    return fail(
      `--${misplaced.join(', --')} only apply to the webhook: a direct SQS delivery is not ` +
        'signed (use --format for the body)',
    );
  }
  const group = String(values.sqs);
  try {
    assertValidGroupName(group);
  } catch (error) {
    return fail(`--sqs: ${(error as Error).message}`);
  }
  const format = (values.format as string | undefined) ?? 'gzip';
  if (!isDirectFormat(format)) {
    return fail(`--format must be one of ${DIRECT_FORMATS.join(', ')}, got "${format}"`);
  }
  const count = integerOption(values.count as string | undefined, 'count', 1, 1, MAX_COUNT);
  if (typeof count === 'string') return fail(count);
  const intervalMs = integerOption(
    values.interval as string | undefined,
    'interval',
    DEFAULT_INTERVAL_MS,
    0,
    60_000,
  );
  if (typeof intervalMs === 'string') return fail(intervalMs);
  const endpoint =
    (values['sqs-endpoint'] as string | undefined) ?? `http://127.0.0.1:${env.SQS_PORT || '9324'}`;
  if (!isUrl(endpoint)) return fail(`--sqs-endpoint ${endpoint} is not a URL`);

  try {
    const result = await sendToQueue({ event, group, format, count, intervalMs, endpoint }, deps);
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof EventNotFound || error instanceof SqsSendError) return fail(error.message);
    throw error;
  }
}

/**
 * `send` as a command of the `stream-events` CLI (and `npm run send`): the same options, output
 * and exit codes as `runSend`, with the command's streams and environment.
 */
export const sendCommand: Command = {
  ...commandInfo('send'),
  help: USAGE,
  run: (argv: readonly string[], io: CommandIO) =>
    runSend(argv, io.env, {
      print: (line) => io.stdout.write(`${line}\n`),
      printError: (text) => io.stderr.write(text),
    }),
};
