import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** One HTTP request as it reached the local server, before API Gateway's translation. */
export interface RawHttpRequest {
  readonly method: string;
  /** Path and query string as sent, e.g. `/webhook?x=1`. */
  readonly url: string;
  /** Node's `rawHeaders`: name, value, name, value, ... in arrival order, repeats kept. */
  readonly rawHeaders: readonly string[];
  readonly httpVersion: string;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly receivedAt: Date;
}

export interface RouteInfo {
  readonly routeKey: string;
  readonly stage?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number): string => String(n).padStart(2, '0');

/** API Gateway's `requestContext.time`: `23/Nov/2026:09:42:01 +0000`. */
export function apiGatewayTime(date: Date): string {
  const day = `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}`;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${day}:${time} +0000`;
}

/**
 * Header names lower-cased and a repeated header's values joined by `,`, as HTTP API payload v2
 * does. Cookies are taken out into their own list, as API Gateway does.
 */
export function apiGatewayHeaders(rawHeaders: readonly string[]): {
  headers: Record<string, string>;
  cookies: string[];
} {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    if (name === 'cookie') {
      cookies.push(...value.split(/;\s*/).filter((cookie) => cookie !== ''));
      continue;
    }
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous},${value}`;
  }
  return { headers, cookies };
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const previous = parameters[name];
    parameters[name] = previous === undefined ? value : `${previous},${value}`;
  }
  return parameters;
}

/** API Gateway's request ids look like `JKJaXmPLvHcESHA=`. */
function newRequestId(): string {
  return randomBytes(10).toString('base64');
}

function newTraceId(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000).toString(16);
  return `Root=1-${seconds}-${randomBytes(12).toString('hex')}`;
}

/**
 * The HTTP API (payload format 2.0) event a Lambda behind API Gateway would receive for this
 * request. The body travels as base64 of the exact bytes: never decoded, never re-serialized.
 */
export function apiGatewayEventFrom(
  request: RawHttpRequest,
  route: RouteInfo,
): APIGatewayProxyEventV2 {
  const queryAt = request.url.indexOf('?');
  const rawPath = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : request.url.slice(queryAt + 1);
  const { headers, cookies } = apiGatewayHeaders(request.rawHeaders);
  const host = headers.host ?? 'localhost';
  const domainName = host.replace(/:\d+$/, '');
  // API Gateway appends the caller to any X-Forwarded-For it was given and adds its own headers.
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${request.sourceIp}`
    : request.sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= host.match(/:(\d+)$/)?.[1] ?? '80';
  headers['x-amzn-trace-id'] ??= newTraceId(request.receivedAt);

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(rawQueryString === '' ? {} : { queryStringParameters: queryParameters(rawQueryString) }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: request.method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: newRequestId(),
      routeKey: route.routeKey,
      stage: route.stage ?? '$default',
      time: apiGatewayTime(request.receivedAt),
      timeEpoch: request.receivedAt.getTime(),
    },
    isBase64Encoded: request.body.length > 0,
  };
  if (request.body.length > 0) event.body = request.body.toString('base64');
  return event;
}
