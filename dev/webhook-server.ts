import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Logger } from '../lambda/lib/adapters/logger.js';
import type { VerifierHandler } from '../lambda/verifier/handler.js';
import { apiGatewayEventFrom } from './api-gateway-event.js';
import { close, listen } from './listen.js';
import { PENDING_MESSAGE_CALLBACKS, SYNC_HOOK_PATHS, WEBHOOK_PATH } from '../contract/routes.js';

/** What the hook Lambda is to the local server: an API Gateway v2 event in, its answer out. */
export type SyncHookRouteHandler = VerifierHandler;

export interface WebhookServerOptions {
  readonly host: string;
  readonly port: number;
  readonly verifier: VerifierHandler;
  /** Serves the synchronous hook routes too when given. */
  readonly hooks?: SyncHookRouteHandler;
  readonly logger: Logger;
  /** Bytes kept of a body; one more is read so the verifier's own cap sees it is too large. */
  readonly maxBodyBytes: number;
}

export interface SyncHookUrls {
  readonly beforeMessageSendUrl: string;
  /** Stream may append `?type={command}`. */
  readonly customCommandsUrl: string;
  /** Stream appends `/PassOnPendingMessage` or `/DeletedPendingMessage`. */
  readonly pendingMessagesUrl: string;
}

export interface WebhookServer {
  readonly url: string;
  /** Present when the server was given a hook handler. */
  readonly hookUrls?: SyncHookUrls;
  close(): Promise<void>;
}

/**
 * Reads at most `limit + 1` bytes. Past that it stops keeping the body (the rest is drained and
 * dropped, so the client still reads our answer) and resolves with the oversized prefix.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer): void => {
      const room = limit + 1 - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (size > limit) {
        finish();
        req.resume();
      }
    };
    const onEnd = (): void => finish();
    const onError = (error: Error): void => finish(error);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}

function sourceIpOf(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(bytes.length),
    ...headers,
  });
  res.end(bytes);
}

function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  headers['content-length'] = String(body.length);
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

interface Route {
  readonly routeKey: string;
  readonly handler: VerifierHandler;
}

/** Exact paths, as the HTTP API's routes are declared: each to its route key and Lambda. */
function routeTable(options: WebhookServerOptions): ReadonlyMap<string, Route> {
  const routes = new Map<string, Route>();
  const add = (path: string, handler: VerifierHandler): void => {
    routes.set(path, { routeKey: `POST ${path}`, handler });
  };
  add(WEBHOOK_PATH, options.verifier);
  if (options.hooks !== undefined) {
    add(SYNC_HOOK_PATHS.beforeMessageSend, options.hooks);
    add(SYNC_HOOK_PATHS.customCommands, options.hooks);
    for (const action of PENDING_MESSAGE_CALLBACKS) {
      add(`${SYNC_HOOK_PATHS.pendingMessages}/${action}`, options.hooks);
    }
  }
  return routes;
}

/**
 * `POST /webhook` in front of the verifier, and the hook routes in front of the hook handler when
 * given, translated the way API Gateway's HTTP API does.
 */
export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const routes = routeTable(options);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const path = pathOf(req);
    const route = routes.get(path);
    if (route === undefined) {
      writeJson(res, 404, { message: 'Not Found' });
      return 404;
    }
    if (req.method !== 'POST') {
      writeJson(res, 405, { message: 'Method Not Allowed' }, { allow: 'POST' });
      return 405;
    }
    const receivedAt = new Date();
    const body = await readBody(req, options.maxBodyBytes);
    const event = apiGatewayEventFrom(
      {
        method: req.method,
        url: req.url ?? path,
        rawHeaders: req.rawHeaders,
        httpVersion: req.httpVersion,
        body,
        sourceIp: sourceIpOf(req),
        receivedAt,
      },
      { routeKey: route.routeKey },
    );
    const result = await route.handler(event);
    writeResult(res, {
      ...result,
      // API Gateway answers with its request id; it is how one finds the request in its logs.
      headers: { ...result.headers, 'apigw-requestid': event.requestContext.requestId },
    });
    return result.statusCode ?? 200;
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    handle(req, res).then(
      (status) => {
        options.logger.info('webhook request', {
          method: req.method,
          path: pathOf(req),
          status,
          duration_ms: Math.round(performance.now() - started),
        });
      },
      (error: unknown) => {
        options.logger.error('webhook request failed', { error: error as Error });
        if (!res.headersSent) writeJson(res, 500, { message: 'Internal Server Error' });
        else res.destroy();
      },
    );
  });
  const port = await listen(server, options.port, options.host);
  const base = `http://${options.host}:${port}`;
  return {
    url: `${base}${WEBHOOK_PATH}`,
    ...(options.hooks === undefined
      ? {}
      : {
          hookUrls: {
            beforeMessageSendUrl: `${base}${SYNC_HOOK_PATHS.beforeMessageSend}`,
            customCommandsUrl: `${base}${SYNC_HOOK_PATHS.customCommands}`,
            pendingMessagesUrl: `${base}${SYNC_HOOK_PATHS.pendingMessages}`,
          },
        }),
    close: () => close(server),
  };
}
