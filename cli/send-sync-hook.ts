/**
 * `npm run send -- --hook <hook> [sample or file]`: calls one of Stream's synchronous hooks as
 * Stream does (signed as the webhook is, one attempt, 1.5 s) and prints the answer.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { STATUS_CODES } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEV_API_KEY, DEV_API_SECRET } from '../dev/dev-api-key.js';
import { EventNotFound, isPath } from './sample-events.js';
import { signedRequest } from '../lambda/lib/domain/stream-request-signer.js';
import { networkDetail, SIGNED_POST_OPTIONS } from './signed-post.js';
import { PENDING_MESSAGE_CALLBACKS, SYNC_HOOK_PATHS } from '../contract/routes.js';

/** The sample hook payloads shipped in events/sync-hooks/. */
export const SAMPLE_SYNC_HOOKS_DIR = fileURLToPath(
  new URL('../events/sync-hooks/', import.meta.url),
);

/** Stream waits this long for a synchronous hook by default (configurable 1-5000 ms). */
export const STREAM_SYNC_HOOK_TIMEOUT_MS = 1_500;
const MAX_TIMEOUT_MS = 60_000;

export const SYNC_HOOK_KINDS = [
  'before-message-send',
  'custom-commands',
  'pending-pass',
  'pending-deleted',
] as const;
export type SyncHookKind = (typeof SYNC_HOOK_KINDS)[number];

export function isSyncHookKind(value: string): value is SyncHookKind {
  return (SYNC_HOOK_KINDS as readonly string[]).includes(value);
}

const [PASS_CALLBACK, DELETED_CALLBACK] = PENDING_MESSAGE_CALLBACKS;

/** The route each hook is served on (contract/routes.ts), and its default sample. */
const SYNC_HOOKS: Readonly<
  Record<SyncHookKind, { readonly path: string; readonly sample: string }>
> = {
  'before-message-send': {
    path: SYNC_HOOK_PATHS.beforeMessageSend,
    sample: 'before-message-send',
  },
  'custom-commands': { path: SYNC_HOOK_PATHS.customCommands, sample: 'custom-commands' },
  'pending-pass': {
    path: `${SYNC_HOOK_PATHS.pendingMessages}/${PASS_CALLBACK}`,
    sample: 'pending-message',
  },
  'pending-deleted': {
    path: `${SYNC_HOOK_PATHS.pendingMessages}/${DELETED_CALLBACK}`,
    sample: 'pending-message',
  },
};

export interface SendSyncHookOptions {
  readonly hook: SyncHookKind;
  /**
   * A sample name from events/sync-hooks/ or the path of a JSON file; the hook's own sample if
   * unset.
   */
  readonly payload?: string;
  /** The hook's full URL (a `?type=` is added for --command unless it has one). */
  readonly url: string;
  readonly apiKey: string;
  readonly secret: string;
  readonly gzip: boolean;
  readonly timeoutMs: number;
  /** Custom commands: the command's name; sets `message.command` and the URL's `?type=`. */
  readonly command?: string;
  /** The message text (with custom commands, what follows `/<command> `). */
  readonly text?: string;
  /** A button press: the `form_data` Stream sends with it. */
  readonly formData?: Readonly<Record<string, string>>;
}

export interface SendSyncHookDeps {
  readonly fetch?: typeof fetch;
  readonly print?: (line: string) => void;
  readonly newWebhookId?: () => string;
  /** Where sample payloads are read from. @default events/sync-hooks/ */
  readonly hooksDir?: string;
}

export interface SendSyncHookResult {
  readonly ok: boolean;
  /** The HTTP status, or what happened instead. */
  readonly outcome: number | 'timeout' | 'network';
  /** The answer's JSON, or its text when it is not JSON; null on timeout or network error. */
  readonly answer: unknown;
  readonly url: string;
  readonly webhookId: string;
}

export async function sampleSyncHookNames(dir = SAMPLE_SYNC_HOOKS_DIR): Promise<string[]> {
  return (await readdir(dir))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

type Json = Record<string, unknown>;

async function loadPayload(
  spec: string,
  dir: string,
): Promise<{ readonly value: Json | null; readonly bytes: Buffer; readonly source: string }> {
  const path = isPath(spec) ? spec : join(dir, `${spec}.json`);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (isPath(spec)) throw new EventNotFound(`cannot read ${spec}: ${(error as Error).message}`);
    const names = await sampleSyncHookNames(dir);
    throw new EventNotFound(`no sample hook payload "${spec}"; samples: ${names.join(', ')}`);
  }
  let value: Json | null = null;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      value = parsed as Json;
    }
  } catch {
    // Sent byte for byte: a malformed body is a fair thing to try on a hook.
  }
  return { value, bytes, source: isPath(spec) ? spec : `sample ${spec}` };
}

/** Whether the options change the payload (then it is re-serialized, compactly as Stream sends). */
function edits(options: SendSyncHookOptions): boolean {
  return (
    options.command !== undefined || options.text !== undefined || options.formData !== undefined
  );
}

/** The payload with --command, --text and --form-data applied. */
export function editPayload(payload: Json, options: SendSyncHookOptions): Json {
  const message = { ...((payload.message as Json | null | undefined) ?? {}) };
  if (options.hook === 'custom-commands') {
    const command = options.command ?? (typeof message.command === 'string' ? message.command : '');
    const args = options.text ?? (typeof message.args === 'string' ? message.args : '');
    if (options.command !== undefined || options.text !== undefined) {
      message.command = command;
      message.args = args;
      message.text = args === '' ? `/${command}` : `/${command} ${args}`;
    }
  } else if (options.text !== undefined) {
    message.text = options.text;
  }
  return {
    ...payload,
    message,
    ...(options.formData === undefined ? {} : { form_data: { ...options.formData } }),
  };
}

/** The URL with `?type=<command>` for a custom command, unless it carries a `type` already. */
export function syncHookUrl(options: SendSyncHookOptions): string {
  if (options.hook !== 'custom-commands' || options.command === undefined) return options.url;
  const url = new URL(options.url);
  if (!url.searchParams.has('type')) url.searchParams.set('type', options.command);
  return url.toString();
}

function parseAnswer(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Signs the payload exactly as the webhook path does and POSTs it once; no retry (Stream calls
 * a hook once and, on error or timeout, goes on without it). Prints the status and the answer.
 */
export async function sendSyncHook(
  options: SendSyncHookOptions,
  deps: SendSyncHookDeps = {},
): Promise<SendSyncHookResult> {
  const print = deps.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const doFetch = deps.fetch ?? fetch;
  const dir = deps.hooksDir ?? SAMPLE_SYNC_HOOKS_DIR;

  const loaded = await loadPayload(options.payload ?? SYNC_HOOKS[options.hook].sample, dir);
  if (edits(options) && loaded.value === null) {
    throw new EventNotFound(
      `${loaded.source} is not a JSON object: --command, --text and --form-data cannot apply`,
    );
  }
  const json =
    edits(options) && loaded.value !== null
      ? Buffer.from(JSON.stringify(editPayload(loaded.value, options)), 'utf8')
      : loaded.bytes;
  const webhookId = (deps.newWebhookId ?? randomUUID)();
  const { body, headers } = signedRequest(json, { ...options, webhookId });
  const url = syncHookUrl(options);
  print(`POST ${url} ${options.hook} from ${loaded.source} (${json.length} bytes)`);

  const started = performance.now();
  const signal = AbortSignal.timeout(Math.max(1, options.timeoutMs));
  let outcome: SendSyncHookResult['outcome'];
  let answer: unknown = null;
  let detail = '';
  try {
    const response = await doFetch(url, {
      method: 'POST',
      headers: { ...headers, 'X-Webhook-Attempt': '1' },
      body,
      signal,
    });
    outcome = response.status;
    answer = parseAnswer(await response.text());
  } catch (error) {
    outcome = signal.aborted ? 'timeout' : 'network';
    detail = signal.aborted ? `no answer within ${options.timeoutMs} ms` : networkDetail(error);
  }
  const durationMs = Math.round(performance.now() - started);
  const status =
    typeof outcome === 'number'
      ? `${outcome} ${STATUS_CODES[outcome] ?? ''}`.trim()
      : outcome === 'timeout'
        ? 'timeout'
        : 'network error';
  print(`${status} (${durationMs} ms)${detail ? ` ${detail}` : ''}`);
  if (typeof outcome === 'number') {
    print(typeof answer === 'string' ? answer : JSON.stringify(answer, null, 2));
  }
  const ok = typeof outcome === 'number' && outcome >= 200 && outcome < 300;
  if (!ok && typeof outcome !== 'number') {
    print('Stream would go on without the hook: the message is saved unchanged');
  }
  return { ok, outcome, answer, url, webhookId };
}

export const SYNC_HOOK_USAGE = `Hook mode (--hook): calls one of Stream's synchronous Chat hooks as Stream does: signed as
the webhook is, ONE attempt with Stream's 1.5 s timeout. Prints the request, the status and the
answer's JSON, pretty-printed. Exits 0 on a 2xx answer, 1 otherwise.

  npm run send -- --hook <hook> [<payload>] [options]

  --hook <hook>        before-message-send   POST ${SYNC_HOOKS['before-message-send'].path}
                       custom-commands       POST ${SYNC_HOOKS['custom-commands'].path}?type=<command>
                       pending-pass          POST ${SYNC_HOOKS['pending-pass'].path}
                       pending-deleted       POST ${SYNC_HOOKS['pending-deleted'].path}
  <payload>            a sample in events/sync-hooks/ (see below) or the path of a JSON file (sent
                       byte for byte unless an option below edits it); default: the hook's sample
  --text <text>        the message's text; with custom-commands, the command's arguments
  --command <name>     custom-commands: message.command (text "/<name> <args>") and ?type=<name>
  --form-data <k=v>    a button press: form_data sent with the command (repeatable)
  --timeout-ms <ms>    how long to wait (default ${STREAM_SYNC_HOOK_TIMEOUT_MS}, Stream's default; it allows 1-5000)
  --url <url>          the hook's URL (default http://127.0.0.1:$PORT/hooks/..., PORT 3000)
  --gzip, --key, --secret   as for the webhook`;

type Env = Readonly<Record<string, string | undefined>>;

export interface ParsedSyncHookArgs {
  readonly options?: SendSyncHookOptions;
  readonly help?: boolean;
  readonly error?: string;
}

/** `--hook ...` arguments to options, or the error to print. */
export function parseSyncHookArgs(argv: readonly string[], env: Env = {}): ParsedSyncHookArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        hook: { type: 'string' },
        ...SIGNED_POST_OPTIONS,
        text: { type: 'string' },
        command: { type: 'string' },
        'form-data': { type: 'string', multiple: true },
        'timeout-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return { error: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const hook = values.hook ?? '';
  if (!isSyncHookKind(hook)) {
    return { error: `--hook must be one of ${SYNC_HOOK_KINDS.join(', ')}, got "${hook}"` };
  }
  if (positionals.length > 1) {
    return { error: `expected at most one payload, got ${positionals.length}` };
  }
  if (hook !== 'custom-commands') {
    for (const name of ['command', 'form-data'] as const) {
      if (values[name] !== undefined) {
        return { error: `--${name} only applies with --hook custom-commands` };
      }
    }
  }
  if (values.command !== undefined && !/^[A-Za-z0-9_-]+$/.test(values.command)) {
    return {
      error: `--command must be a command name (letters, digits, - and _), got "${values.command}"`,
    };
  }
  let formData: Record<string, string> | undefined;
  for (const pair of values['form-data'] ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) return { error: `--form-data must be key=value, got "${pair}"` };
    formData ??= {};
    formData[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const rawTimeout = values['timeout-ms'];
  const timeoutMs = rawTimeout === undefined ? STREAM_SYNC_HOOK_TIMEOUT_MS : Number(rawTimeout);
  if (
    rawTimeout !== undefined &&
    (!/^\d+$/.test(rawTimeout) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS)
  ) {
    return {
      error: `--timeout-ms must be an integer from 1 to ${MAX_TIMEOUT_MS}, got "${rawTimeout}"`,
    };
  }
  const url = values.url ?? `http://127.0.0.1:${env.PORT || '3000'}${SYNC_HOOKS[hook].path}`;
  try {
    new URL(url);
  } catch {
    return { error: `--url ${url} is not a URL` };
  }
  return {
    options: {
      hook,
      ...(positionals[0] === undefined ? {} : { payload: positionals[0] }),
      url,
      apiKey: values.key ?? (env.STREAM_API_KEY || DEV_API_KEY),
      secret: values.secret ?? (env.STREAM_API_SECRET || DEV_API_SECRET),
      gzip: values.gzip ?? false,
      timeoutMs,
      ...(values.command === undefined ? {} : { command: values.command }),
      ...(values.text === undefined ? {} : { text: values.text }),
      ...(formData === undefined ? {} : { formData }),
    },
  };
}

/** `npm run send -- --hook ...`: parses, calls the hook once, returns the exit code. */
export async function runSendSyncHook(
  argv: readonly string[],
  env: Env,
  deps: SendSyncHookDeps & { readonly printError?: (text: string) => void } = {},
): Promise<number> {
  const print = deps.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const printError = deps.printError ?? ((text: string) => process.stderr.write(text));
  const parsed = parseSyncHookArgs(argv, env);
  if (parsed.help) {
    const samples = await sampleSyncHookNames(deps.hooksDir);
    print(`${SYNC_HOOK_USAGE}\n\nSample hook payloads: ${samples.join(', ')}`);
    return 0;
  }
  if (parsed.options === undefined) {
    printError(`send: ${parsed.error ?? 'bad arguments'}\n\n${SYNC_HOOK_USAGE}\n`);
    return 1;
  }
  try {
    const result = await sendSyncHook(parsed.options, { ...deps, print });
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof EventNotFound) {
      printError(`send: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
