import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export interface WebhookRequest {
  readonly body: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  /** How API Gateway hands the body over: base64 (binary-safe, the usual case) or as text. */
  readonly encoding?: 'base64' | 'text';
  readonly timeEpoch?: number;
  /** The caller's address as API Gateway saw it. @default Stream's US-East egress IP */
  readonly sourceIp?: string;
}

/** An HTTP API (payload v2) event for `POST /webhook`, as API Gateway builds it. */
export function webhookEvent({
  body,
  headers = {},
  encoding = 'base64',
  timeEpoch = Date.UTC(2025, 0, 1, 12, 0, 0, 123),
  sourceIp = '34.225.10.29',
}: WebhookRequest): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /webhook',
    rawPath: '/webhook',
    rawQueryString: '',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Stream-Webhook-Client',
      ...headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1234567',
      domainName: 'api1234567.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'api1234567',
      http: {
        method: 'POST',
        path: '/webhook',
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: 'Stream-Webhook-Client',
      },
      requestId: 'request-id',
      routeKey: 'POST /webhook',
      stage: '$default',
      time: new Date(timeEpoch).toISOString(),
      timeEpoch,
    },
    body: encoding === 'base64' ? body.toString('base64') : body.toString('utf8'),
    isBase64Encoded: encoding === 'base64',
  };
}
