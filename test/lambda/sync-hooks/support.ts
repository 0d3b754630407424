import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { webhookEvent } from '../support/api-gateway.js';
import { fixedCredentials, streamSignature } from '../support/stream-signing.js';

export const API_KEY = 'hooks-test-key';
export const SECRET = 'hooks-test-secret-4c5d6e';
export const LIMITS = { maxBodyBytes: 6_000_000, maxInflatedBytes: 16 * 1024 * 1024 };
export const ONE_KEY = fixedCredentials({ [API_KEY]: [SECRET] });

export interface HookRequest {
  readonly path: string;
  readonly body: unknown;
  readonly query?: Readonly<Record<string, string>>;
  /** Replaces the signed headers; `undefined` values drop a header. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
}

/** A signed HTTP API event for `POST {path}`, as Stream would send it. */
export function hookEvent({ path, body, query, headers }: HookRequest): APIGatewayProxyEventV2 {
  const bytes = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const signed: Record<string, string | undefined> = {
    'x-api-key': API_KEY,
    'x-signature': streamSignature(bytes, SECRET),
    'x-webhook-id': 'hook-delivery-1',
    ...headers,
  };
  const base = webhookEvent({
    body: bytes,
    headers: Object.fromEntries(
      Object.entries(signed).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  });
  const rawQueryString = new URLSearchParams(query ?? {}).toString();
  return {
    ...base,
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString,
    ...(query ? { queryStringParameters: { ...query } } : {}),
    requestContext: {
      ...base.requestContext,
      routeKey: `POST ${path}`,
      http: { ...base.requestContext.http, path },
    },
  };
}

export function bodyOf(result: APIGatewayProxyStructuredResultV2): unknown {
  return JSON.parse(result.body ?? 'null');
}

export const chatMessage = (fields: Record<string, unknown> = {}) => ({
  message: { id: 'msg-1', text: 'hello', type: 'regular', attachments: [], ...fields },
  user: { id: 'user-1', role: 'user' },
  channel: { cid: 'messaging:general', id: 'general', type: 'messaging' },
  request_info: { type: 'client', ip: '203.0.113.9' },
});
