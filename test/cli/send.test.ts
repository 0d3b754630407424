import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_RETRY_POLICY } from '../../cli/retry-policy.js';
import { runSend, send, type SendDeps, type SendOptions } from '../../cli/send.js';
import { hmacHex } from '../../lambda/lib/domain/signature.js';

const SECRET = 'test-secret';
const KEY = 'test-key';

interface RecordedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** What the recorder answers, request after request: a status, or no answer at all. */
type Step = number | 'hang';

/** A webhook stand-in that records every request and answers from a script (then 200). */
class Recorder {
  readonly requests: RecordedRequest[] = [];
  private script: Step[] = [];
  private readonly server: Server;
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({ headers: req.headers, body: Buffer.concat(chunks) });
        const step = this.script.shift() ?? 200;
        if (step === 'hang') return;
        res.writeHead(step, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: step }));
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
  }

  /** Forgets earlier requests and answers the next ones with `steps`. */
  answer(...steps: Step[]): void {
    this.requests.length = 0;
    this.script = steps;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

const recorder = new Recorder();
const printed: string[] = [];
/** No pause between attempts, and the printed lines kept for the assertions. */
const fast: SendDeps = {
  sleep: async () => {},
  print: (line) => printed.push(line),
};

function options(overrides: Partial<SendOptions> = {}): SendOptions {
  return {
    event: 'message.new',
    url: recorder.url,
    gzip: false,
    apiKey: KEY,
    secret: SECRET,
    ...overrides,
  };
}

function header(request: RecordedRequest | undefined, name: string): string | undefined {
  const value = request?.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

beforeAll(async () => {
  await recorder.start();
});

afterAll(async () => {
  await recorder.stop();
});

describe('send', () => {
  it('signs the exact body bytes with the secret and sends Stream’s headers', async () => {
    recorder.answer(200);

    const result = await send(options(), fast);

    const [request] = recorder.requests;
    expect(result.ok).toBe(true);
    expect(header(request, 'x-signature')).toBe(hmacHex(request!.body, SECRET));
    expect(header(request, 'x-api-key')).toBe(KEY);
    expect(header(request, 'content-type')).toBe('application/json');
    expect(header(request, 'content-encoding')).toBeUndefined();
    expect(header(request, 'x-webhook-id')).toBe(result.webhookId);
    expect(header(request, 'x-webhook-attempt')).toBe('1');
  });

  it('sends the sample as it is, with created_at set to now', async () => {
    recorder.answer(200);
    const sample = JSON.parse(await readFile('events/message.new.json', 'utf8')) as Record<
      string,
      unknown
    >;
    const before = Date.now();

    await send(options(), fast);

    const sent = JSON.parse(recorder.requests[0]!.body.toString('utf8')) as Record<string, unknown>;
    const sentAt = Date.parse(String(sent.created_at));
    expect(sentAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(sentAt).toBeLessThanOrEqual(Date.now());
    expect({ ...sent, created_at: null }).toEqual({ ...sample, created_at: null });
  });

  it('with --gzip, gzips the body and still signs the uncompressed bytes', async () => {
    recorder.answer(200);

    await send(options({ gzip: true }), fast);

    const [request] = recorder.requests;
    const body = request!.body;
    const inflated = gunzipSync(body);
    expect([body[0], body[1]]).toEqual([0x1f, 0x8b]);
    expect(header(request, 'content-encoding')).toBe('gzip');
    expect(header(request, 'x-signature')).toBe(hmacHex(inflated, SECRET));
    expect(header(request, 'x-signature')).not.toBe(hmacHex(body, SECRET));
    expect(JSON.parse(inflated.toString('utf8'))).toMatchObject({ type: 'message.new' });
  });

  it('retries a 503 with the same X-Webhook-Id and attempts numbered 1, 2, 3', async () => {
    recorder.answer(503, 503, 200);

    const result = await send(options(), fast);

    const ids = recorder.requests.map((request) => header(request, 'x-webhook-id'));
    const attempts = recorder.requests.map((request) => header(request, 'x-webhook-attempt'));
    expect(result.ok).toBe(true);
    expect(new Set(ids)).toEqual(new Set([result.webhookId]));
    expect(attempts).toEqual(['1', '2', '3']);
  });

  it('stops after 3 attempts when every one gets a 503', async () => {
    recorder.answer(503, 503, 503, 200);

    const result = await send(options(), fast);

    expect(recorder.requests).toHaveLength(3);
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual([503, 503, 503]);
    expect(result).toMatchObject({ ok: false, stopReason: 'attempts_exhausted' });
  });

  it('does not retry a 401', async () => {
    recorder.answer(401, 200);

    const result = await send(options(), fast);

    expect(recorder.requests).toHaveLength(1);
    expect(result).toMatchObject({ ok: false, stopReason: 'not_retryable' });
  });

  it('gives up after 3 attempts that each time out', async () => {
    recorder.answer('hang', 'hang', 'hang', 200);
    const policy = { ...STREAM_RETRY_POLICY, attemptTimeoutMs: 100 };

    const result = await send(options(), { ...fast, policy });

    expect(recorder.requests).toHaveLength(3);
    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual([
      'timeout',
      'timeout',
      'timeout',
    ]);
    expect(result.ok).toBe(false);
  });

  it('tries a refused connection twice in all', async () => {
    const closed = new Recorder();
    await closed.start();
    await closed.stop();

    const result = await send(options({ url: closed.url }), fast);

    expect(result.attempts.map((attempt) => attempt.outcome)).toEqual(['network', 'network']);
    expect(result.ok).toBe(false);
  });

  it('prints one line per attempt with its status', async () => {
    recorder.answer(503, 200);
    printed.length = 0;

    await send(options(), fast);

    const attemptLines = printed.filter((line) => line.startsWith('attempt '));
    expect(attemptLines).toHaveLength(2);
    expect(attemptLines[0]).toMatch(/^attempt 1: 503 Service Unavailable \(\d+ ms\)/);
    expect(attemptLines[1]).toMatch(/^attempt 2: 200 OK \(\d+ ms\)$/);
  });
});

describe('runSend', () => {
  const env = { STREAM_API_KEY: KEY, STREAM_API_SECRET: SECRET };

  it('exits 0 on a 2xx and signs with STREAM_API_SECRET', async () => {
    recorder.answer(200);

    const code = await runSend(['user.updated', '--url', recorder.url], env, fast);

    const [request] = recorder.requests;
    expect(code).toBe(0);
    expect(header(request, 'x-api-key')).toBe(KEY);
    expect(header(request, 'x-signature')).toBe(hmacHex(request!.body, SECRET));
  });

  it('exits 1 when the webhook refuses the delivery', async () => {
    recorder.answer(401);

    const code = await runSend(
      ['message.new', '--url', recorder.url, '--secret', 'wrong'],
      env,
      fast,
    );

    expect(code).toBe(1);
    expect(recorder.requests).toHaveLength(1);
  });

  it('exits 1 without sending for an event type there is no sample of', async () => {
    recorder.answer(200);

    const code = await runSend(['no.such.event', '--url', recorder.url], env, fast);

    expect(code).toBe(1);
    expect(recorder.requests).toHaveLength(0);
  });

  it('sends a JSON file given by path byte for byte', async () => {
    recorder.answer(200);
    const path = 'events/moderation.flagged.json';

    const code = await runSend([path, '--url', recorder.url], env, fast);

    expect(code).toBe(0);
    expect(recorder.requests[0]!.body).toEqual(await readFile(path));
  });
});
