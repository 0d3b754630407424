/** commitPendingMessage against a local HTTP server standing in for Stream's API. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { CommitFailed, commitPendingMessage } from '../../../lambda/lib/adapters/stream-commit.js';

const SECRET = 'commit-test-secret-7a8b9c';
let server: Server;
let baseUrl: string;
let seen: IncomingMessage[];
let status: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: { id: 'msg-1', type: 'regular' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

beforeEach(() => {
  seen = [];
  status = 201;
});

it('POSTs /messages/{id}/commit with the api key and a server JWT', async () => {
  const answer = await commitPendingMessage('msg 1', { apiKey: 'key-1', secret: SECRET, baseUrl });

  expect(answer).toEqual({ message: { id: 'msg-1', type: 'regular' } });
  const [request] = seen;
  expect(request?.method).toBe('POST');
  expect(request?.url).toBe('/messages/msg%201/commit?api_key=key-1');
  expect(request?.headers['stream-auth-type']).toBe('jwt');
  const { payload, protectedHeader } = await jwtVerify(
    String(request?.headers.authorization),
    new TextEncoder().encode(SECRET),
  );
  expect(protectedHeader.alg).toBe('HS256');
  expect(payload).toMatchObject({ server: true });
});

it('throws CommitFailed on an error status', async () => {
  status = 404;
  await expect(
    commitPendingMessage('missing', { apiKey: 'key-1', secret: SECRET, baseUrl }),
  ).rejects.toBeInstanceOf(CommitFailed);
  await expect(
    commitPendingMessage('missing', { apiKey: 'key-1', secret: SECRET, baseUrl: `${baseUrl}/` }),
  ).rejects.toEqual(expect.objectContaining({ name: 'CommitFailed', status: 404 }));
  expect(seen[1]?.url).toBe('/messages/missing/commit?api_key=key-1');
});

it('refuses an http:// base URL other than loopback before sending the token', async () => {
  const calls: unknown[] = [];
  const spy: typeof fetch = (...args) => {
    calls.push(args);
    return Promise.reject(new Error('must not be called'));
  };

  await expect(
    commitPendingMessage('msg-1', {
      apiKey: 'key-1',
      secret: SECRET,
      baseUrl: 'http://chat.stream-io-api.com',
      fetch: spy,
    }),
  ).rejects.toThrow(/is not https: the server token/);
  expect(calls).toEqual([]);
});
