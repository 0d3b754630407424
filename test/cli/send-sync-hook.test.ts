import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  editPayload,
  syncHookUrl,
  parseSyncHookArgs,
  runSendSyncHook,
  sendSyncHook,
  STREAM_SYNC_HOOK_TIMEOUT_MS,
  type SendSyncHookOptions,
} from '../../cli/send-sync-hook.js';
import { runSend } from '../../cli/send.js';
import { hmacHex } from '../../lambda/lib/domain/signature.js';

interface Recorded {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A hook stand-in: records requests, answers `answer` (or never, when `hang`). */
let requests: Recorded[] = [];
let answer: { status: number; body: string } | 'hang' = { status: 200, body: '{}' };
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
});

beforeEach(() => {
  requests = [];
  answer = { status: 200, body: '{}' };
});

const parsedBody = (request: Recorded | undefined): Record<string, unknown> =>
  JSON.parse((request?.body ?? Buffer.from('null')).toString('utf8')) as Record<string, unknown>;

function options(overrides: Partial<SendSyncHookOptions> = {}): SendSyncHookOptions {
  return {
    hook: 'before-message-send',
    url: `${base}/hooks/before-message-send`,
    apiKey: 'k',
    secret: 's',
    gzip: false,
    timeoutMs: 1_500,
    ...overrides,
  };
}

describe('parseSyncHookArgs', () => {
  it('defaults to the dev server, the dev key pair and Stream 1.5 s', () => {
    const { options: parsed } = parseSyncHookArgs(['--hook', 'pending-pass'], { PORT: '4000' });

    expect(parsed).toEqual({
      hook: 'pending-pass',
      url: 'http://127.0.0.1:4000/hooks/pending-messages/PassOnPendingMessage',
      apiKey: 'dev-api-key',
      secret: 'dev-api-secret',
      gzip: false,
      timeoutMs: STREAM_SYNC_HOOK_TIMEOUT_MS,
    });
  });

  it.each([
    ['before-message-send', '/hooks/before-message-send'],
    ['custom-commands', '/hooks/custom-commands'],
    ['pending-deleted', '/hooks/pending-messages/DeletedPendingMessage'],
  ])('routes --hook %s to %s', (hook, path) => {
    expect(parseSyncHookArgs(['--hook', hook]).options?.url).toBe(`http://127.0.0.1:3000${path}`);
  });

  it('takes a payload, --command, repeated --form-data, --text, --timeout-ms and the keys', () => {
    const { options: parsed } = parseSyncHookArgs(
      [
        '--hook=custom-commands',
        'my.json',
        '--command',
        'ticket',
        '--form-data',
        'action=create',
        '--form-data',
        'note=a=b',
        '--text',
        'printer down',
        '--timeout-ms',
        '250',
        '--key',
        'K',
        '--secret',
        'S',
        '--gzip',
      ],
      { STREAM_API_KEY: 'ignored' },
    );

    expect(parsed).toMatchObject({
      hook: 'custom-commands',
      payload: 'my.json',
      command: 'ticket',
      formData: { action: 'create', note: 'a=b' },
      text: 'printer down',
      timeoutMs: 250,
      apiKey: 'K',
      secret: 'S',
      gzip: true,
    });
  });

  it.each([
    [['--hook', 'after-message-send'], /--hook must be one of before-message-send, /],
    [['--hook', 'custom-commands', '--form-data', 'novalue'], /key=value/],
    [['--hook', 'custom-commands', '--command', '/ticket'], /--command must be a command name/],
    [['--hook', 'before-message-send', '--command', 'ticket'], /only applies with --hook custom/],
    [['--hook', 'pending-pass', '--form-data', 'a=b'], /only applies with --hook custom/],
    [['--hook', 'before-message-send', '--timeout-ms', '0'], /--timeout-ms must be an integer/],
    [['--hook', 'before-message-send', '--timeout-ms', '1.5'], /--timeout-ms must be an integer/],
    [['--hook', 'before-message-send', 'a.json', 'b.json'], /at most one payload/],
    [['--hook', 'before-message-send', '--url', 'nope'], /is not a URL/],
    [['--hook', 'before-message-send', '--count', '2'], /Unknown option '--count'/],
  ])('refuses %j', (argv, error) => {
    expect(parseSyncHookArgs(argv).error).toMatch(error);
  });
});

describe('editPayload and syncHookUrl', () => {
  const payload = { message: { text: 'hi', user_id: 'alice' }, user: { id: 'alice' } };

  it('sets the text of a before-message-send message, keeping every other field', () => {
    expect(editPayload(payload, options({ text: 'new' }))).toEqual({
      message: { text: 'new', user_id: 'alice' },
      user: { id: 'alice' },
    });
  });

  it('makes a command message of --command and --text, with form_data', () => {
    const edited = editPayload(
      payload,
      options({
        hook: 'custom-commands',
        command: 'ticket',
        text: 'printer down',
        formData: { action: 'create' },
      }),
    );

    expect(edited).toEqual({
      message: {
        text: '/ticket printer down',
        command: 'ticket',
        args: 'printer down',
        user_id: 'alice',
      },
      user: { id: 'alice' },
      form_data: { action: 'create' },
    });
  });

  it('adds ?type=<command> to the custom-commands URL unless it has a type', () => {
    const hook = 'custom-commands';
    expect(
      syncHookUrl(options({ hook, url: `${base}/hooks/custom-commands`, command: 'ticket' })),
    ).toBe(`${base}/hooks/custom-commands?type=ticket`);
    expect(
      syncHookUrl(
        options({ hook, url: `${base}/hooks/custom-commands?type=x`, command: 'ticket' }),
      ),
    ).toBe(`${base}/hooks/custom-commands?type=x`);
    expect(syncHookUrl(options({ hook, url: `${base}/hooks/custom-commands` }))).toBe(
      `${base}/hooks/custom-commands`,
    );
  });
});

describe('sendSyncHook', () => {
  it('signs as the webhook path does and POSTs once; prints status and pretty JSON', async () => {
    answer = { status: 200, body: '{"message":{"text":"***"}}' };
    const printed: string[] = [];

    const result = await sendSyncHook(options({ text: 'call me' }), {
      print: (line) => printed.push(line),
      newWebhookId: () => 'wh-1',
    });

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.url).toBe('/hooks/before-message-send');
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-api-key': 'k',
      'x-signature': hmacHex(request!.body, 's'),
      'x-webhook-id': 'wh-1',
      'x-webhook-attempt': '1',
    });
    expect(parsedBody(request)).toMatchObject({
      message: { text: 'call me', user_id: 'alice' },
      user: { id: 'alice' },
      channel: { cid: 'messaging:general' },
      request_info: { type: 'client' },
    });
    expect(result).toMatchObject({ ok: true, outcome: 200, answer: { message: { text: '***' } } });
    expect(printed[0]).toMatch(
      /^POST http:\/\/127\.0\.0\.1:\d+\/hooks\/before-message-send before-message-send from sample before-message-send \(\d+ bytes\)$/,
    );
    expect(printed[1]).toMatch(/^200 OK \(\d+ ms\)$/);
    expect(printed[2]).toBe(JSON.stringify({ message: { text: '***' } }, null, 2));
  });

  it('sends a file byte for byte, and gzips with the signature over the JSON', async () => {
    await sendSyncHook(options({ payload: 'events/sync-hooks/pending-message.json', gzip: true }), {
      print: () => {},
    });

    const [request] = requests;
    const json = gunzipSync(request!.body);
    expect(request?.headers['content-encoding']).toBe('gzip');
    expect(request?.headers['x-signature']).toBe(hmacHex(json, 's'));
    const { readFile } = await import('node:fs/promises');
    expect(json.equals(await readFile('events/sync-hooks/pending-message.json'))).toBe(true);
  });

  it('uses the custom-commands sample with ?type= and form_data for a button press', async () => {
    await sendSyncHook(
      options({
        hook: 'custom-commands',
        url: `${base}/hooks/custom-commands`,
        command: 'ticket',
        formData: { action: 'create' },
      }),
      { print: () => {} },
    );

    const [request] = requests;
    expect(request?.url).toBe('/hooks/custom-commands?type=ticket');
    expect(parsedBody(request)).toMatchObject({
      message: { command: 'ticket', args: 'The printer on floor 3 is jammed' },
      form_data: { action: 'create' },
    });
  });

  it('does not retry a 5xx, and reports failure', async () => {
    answer = { status: 503, body: 'busy' };
    const printed: string[] = [];

    const result = await sendSyncHook(options(), { print: (line) => printed.push(line) });

    expect(requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, outcome: 503, answer: 'busy' });
    expect(printed.slice(1)).toEqual([expect.stringMatching(/^503 Service Unavailable/), 'busy']);
  });

  it('gives up after --timeout-ms, as Stream does, once', async () => {
    answer = 'hang';
    const printed: string[] = [];

    const result = await sendSyncHook(options({ timeoutMs: 100 }), {
      print: (line) => printed.push(line),
    });

    expect(requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, outcome: 'timeout', answer: null });
    expect(printed[1]).toMatch(/^timeout \(\d+ ms\) no answer within 100 ms$/);
  });
});

describe('npm run send -- --hook', () => {
  it('is reached through runSend, exits 0 on 2xx and 1 on an unknown sample', async () => {
    const printed: string[] = [];
    const errors: string[] = [];
    const deps = {
      print: (line: string) => printed.push(line),
      printError: (t: string) => errors.push(t),
    };

    expect(
      await runSend(
        ['--hook', 'before-message-send', '--url', `${base}/hooks/before-message-send`],
        {},
        deps,
      ),
    ).toBe(0);
    expect(await runSend(['--hook', 'before-message-send', 'nope'], {}, deps)).toBe(1);
    expect(errors.join('')).toMatch(
      /no sample hook payload "nope"; samples: before-message-send, /,
    );
  });

  it('lists the options and samples on --help, and send --help mentions hook mode', async () => {
    const printed: string[] = [];

    expect(await runSendSyncHook(['--help'], {}, { print: (line) => printed.push(line) })).toBe(0);
    expect(await runSend(['--help'], {}, { print: (line) => printed.push(line) })).toBe(0);

    expect(printed[0]).toContain('--form-data <k=v>');
    expect(printed[0]).toMatch(
      /Sample hook payloads: before-message-send, custom-commands, pending-message$/,
    );
    expect(printed[1]).toContain('npm run send -- --hook <hook>');
  });
});
