import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CommandError, UsageError } from '../../cli/command.js';
import { baseUrlFrom, eventHooksOf, StreamApi } from '../../cli/stream-api.js';
import {
  DEFAULT_STREAM_BASE_URL,
  serverToken,
} from '../../lambda/lib/adapters/stream-server-api.js';
import {
  LosslessNumber,
  parseJson,
  type Json,
  type JsonObject,
} from '../../cli/stream-api-json.js';
import {
  FAKE_API_KEY,
  FAKE_API_SECRET,
  FakeStreamApi,
  FOREIGN_HOOKS,
} from '../support/fake-stream-api.js';

const credentials = { apiKey: FAKE_API_KEY, secret: FAKE_API_SECRET };
const fake = new FakeStreamApi();

beforeAll(async () => {
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => fake.reset(FOREIGN_HOOKS.map((hook) => hook.get)));

describe('serverToken', () => {
  it('is an HS256 JWT over exactly {"server": true}, signed with the secret', async () => {
    const token = await serverToken('s3cret');

    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(decodeJwt(token)).toEqual({ server: true });
    await expect(
      jwtVerify(token, new TextEncoder().encode('s3cret'), { algorithms: ['HS256'] }),
    ).resolves.toBeDefined();
    await expect(jwtVerify(token, new TextEncoder().encode('other'))).rejects.toThrow();
  });
});

describe('StreamApi', () => {
  it('sends api_key, the JWT and Stream-Auth-Type: jwt on every request', async () => {
    const api = new StreamApi({ credentials, baseUrl: fake.url });

    await api.getApp();
    await api.updateEventHooks([]);
    await api.checkSqs({ sqs_url: 'https://sqs/q' });
    await api.checkSns({ sns_topic_arn: 'arn:t' });

    expect(
      fake.requests.map((request) => `${request.method} ${request.path} ${request.status}`),
    ).toEqual([
      'GET /api/v2/app 200',
      'PATCH /api/v2/app 201',
      'POST /api/v2/check_sqs 200',
      'POST /api/v2/check_sns 200',
    ]);
    for (const request of fake.requests) {
      expect(request.query.get('api_key')).toBe(FAKE_API_KEY);
      expect(request.headers['stream-auth-type']).toBe('jwt');
      expect(request.headers['content-type']).toBe('application/json');
      expect(decodeJwt(request.headers.authorization ?? '')).toEqual({ server: true });
    }
  });

  it('returns the app exactly as Stream sent it, unknown fields and big numbers included', async () => {
    const api = new StreamApi({ credentials, baseUrl: `${fake.url}/` });

    const answer = await api.getApp();

    expect(answer).toEqual(parseJson(fake.appText()));
    expect((answer.app as JsonObject).some_app_future_field).toEqual({ x: 1 });
    expect((eventHooksOf(answer)[0] as JsonObject).created_at).toEqual(
      new LosslessNumber('1714566896123456789'),
    );
  });

  it('PATCHes exactly {"event_hooks": [...]}, numbers verbatim', async () => {
    const api = new StreamApi({ credentials, baseUrl: fake.url });

    await api.updateEventHooks(
      parseJson('[{"id":"a","n":12345678901234567890,"d":1.50}]') as Json[],
    );

    expect(fake.patches()[0]?.body).toBe(
      '{"event_hooks":[{"id":"a","n":12345678901234567890,"d":1.50}]}',
    );
  });

  it('returns check results with status, error and data', async () => {
    fake.checks.set('https://sqs/q', { status: 'error', error: 'denied', data: { a: 1 } });
    const api = new StreamApi({ credentials, baseUrl: fake.url });

    const result = await api.checkSqs({ sqs_url: 'https://sqs/q' });

    expect(result).toMatchObject({ status: 'error', error: 'denied', data: { a: 1 } });
    expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ sqs_url: 'https://sqs/q' });
  });

  it("turns Stream's error into a CommandError with Stream's message", async () => {
    const api = new StreamApi({
      credentials: { ...credentials, secret: 'wrong' },
      baseUrl: fake.url,
    });

    const error = await api.getApp().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CommandError);
    expect((error as Error).message).toBe(
      `Stream: JWTAuth error: signature is not valid. Make sure the token is created using the secret for API key "${FAKE_API_KEY}" (HTTP 401, code 5)`,
    );
  });

  it("rejects GET's integer timestamps as Stream does (the fake's 400)", async () => {
    const api = new StreamApi({ credentials, baseUrl: fake.url });

    await expect(
      api.updateEventHooks(parseJson(`[${FOREIGN_HOOKS[0].get}]`) as Json[]),
    ).rejects.toThrow(
      /Stream: UpdateApp failed with error: "json: cannot unmarshal number .*created_at.*\(HTTP 400, code 4\)/,
    );
  });

  it('reports an answer that is not a Stream error with its HTTP status', async () => {
    const doFetch = (() =>
      Promise.resolve(
        new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
      )) as typeof fetch;
    const api = new StreamApi({ credentials, baseUrl: 'https://stream.test', fetch: doFetch });

    await expect(api.getApp()).rejects.toThrow(
      'GET https://stream.test/api/v2/app: HTTP 502 Bad Gateway: <html>bad gateway</html>',
    );
  });

  it('gives up after its timeout with a clear message', async () => {
    const hang = ((_url: URL, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const api = new StreamApi({
      credentials,
      baseUrl: 'https://stream.test',
      fetch: hang,
      timeoutMs: 50,
    });

    await expect(api.getApp()).rejects.toThrow(
      'GET https://stream.test/api/v2/app: no answer from Stream within 0.05 s',
    );
  });

  it('says when Stream cannot be reached', async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const api = new StreamApi({ credentials, baseUrl: `http://127.0.0.1:${port}` });

    await expect(api.getApp()).rejects.toThrow(/could not reach Stream \(ECONNREFUSED\)/);
  });

  it('never puts the secret or the token in a message', async () => {
    const api = new StreamApi({
      credentials: { ...credentials, secret: 'wrong-secret' },
      baseUrl: fake.url,
    });
    const token = await serverToken('wrong-secret');

    const message = String(await api.getApp().catch((error: unknown) => (error as Error).message));

    expect(message).not.toContain('wrong-secret');
    expect(message).not.toContain(token);
  });
});

describe('eventHooksOf', () => {
  it('reads app.event_hooks, [] when absent', () => {
    expect(eventHooksOf({ app: { event_hooks: [{ id: 'a' }] } })).toEqual([{ id: 'a' }]);
    expect(eventHooksOf({ app: {} })).toEqual([]);
    expect(eventHooksOf({ app: { event_hooks: null } })).toEqual([]);
  });

  it('refuses an answer without an app', () => {
    expect(() => eventHooksOf({ duration: '1ms' })).toThrow(CommandError);
    expect(() => eventHooksOf({ app: { event_hooks: 'x' } })).toThrow(/not a list/);
  });
});

describe('baseUrlFrom', () => {
  it('takes the option, else STREAM_BASE_URL, else Stream', () => {
    expect(baseUrlFrom('http://127.0.0.1:1/', { STREAM_BASE_URL: 'https://x' })).toBe(
      'http://127.0.0.1:1',
    );
    expect(baseUrlFrom(undefined, { STREAM_BASE_URL: 'https://x' })).toBe('https://x');
    expect(baseUrlFrom(undefined, {})).toBe(DEFAULT_STREAM_BASE_URL);
    expect(DEFAULT_STREAM_BASE_URL).toBe('https://chat.stream-io-api.com');
  });

  it('rejects what is not an http(s) URL', () => {
    expect(() => baseUrlFrom('nope', {})).toThrow(UsageError);
    expect(() => baseUrlFrom('ftp://x', {})).toThrow(/not an http\(s\) URL/);
  });

  it('rejects http:// to anything but loopback, from the option or STREAM_BASE_URL', () => {
    expect(() => baseUrlFrom('http://chat.stream-io-api.com', {})).toThrow(UsageError);
    expect(() => baseUrlFrom(undefined, { STREAM_BASE_URL: 'http://10.1.2.3' })).toThrow(
      /--base-url http:\/\/10\.1\.2\.3 is not https: the server token .* would travel in clear/,
    );
    expect(baseUrlFrom('http://localhost:8080/', {})).toBe('http://localhost:8080');
  });
});

describe('StreamApi base URL', () => {
  it('refuses http:// to another host before sending anything', async () => {
    const calls: unknown[] = [];
    const spy: typeof fetch = (...args) => {
      calls.push(args);
      return Promise.reject(new Error('must not be called'));
    };

    expect(
      () => new StreamApi({ credentials, baseUrl: 'http://chat.stream-io-api.com', fetch: spy }),
    ).toThrow(UsageError);
    expect(calls).toEqual([]);
  });
});
