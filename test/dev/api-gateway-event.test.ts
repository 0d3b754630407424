import { describe, expect, it } from 'vitest';
import {
  apiGatewayEventFrom,
  apiGatewayTime,
  type RawHttpRequest,
} from '../../dev/api-gateway-event.js';
import { deliveryRequestFrom } from '../../lambda/lib/adapters/api-gateway-request.js';

const ROUTE = { routeKey: 'POST /webhook' };

function request(overrides: Partial<RawHttpRequest> = {}): RawHttpRequest {
  return {
    method: 'POST',
    url: '/webhook',
    rawHeaders: ['Host', '127.0.0.1:3000', 'Content-Type', 'application/json'],
    httpVersion: '1.1',
    body: Buffer.from('{"type":"message.new"}'),
    sourceIp: '127.0.0.1',
    receivedAt: new Date('2026-03-04T05:06:07.890Z'),
    ...overrides,
  };
}

describe('apiGatewayEventFrom', () => {
  it('lower-cases header names and joins a repeated header with commas', () => {
    const rawHeaders = ['X-Webhook-Id', 'abc', 'X-Custom', 'one', 'x-custom', 'two'];

    const event = apiGatewayEventFrom(request({ rawHeaders }), ROUTE);

    expect(event.headers['x-webhook-id']).toBe('abc');
    expect(event.headers['x-custom']).toBe('one,two');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('carries the exact body bytes as base64, which the verifier decodes back', () => {
    const body = Buffer.from([0x1f, 0x8b, 0x00, 0xff, 0x7b]);

    const event = apiGatewayEventFrom(request({ body }), ROUTE);

    expect(event.isBase64Encoded).toBe(true);
    expect(deliveryRequestFrom(event).body).toEqual(body);
  });

  it('fills the payload v2 envelope: version, route, path, query and request context', () => {
    const event = apiGatewayEventFrom(request({ url: '/webhook?a=1&a=2&b=x' }), ROUTE);

    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /webhook',
      rawPath: '/webhook',
      rawQueryString: 'a=1&a=2&b=x',
      queryStringParameters: { a: '1,2', b: 'x' },
      requestContext: {
        http: { method: 'POST', path: '/webhook', sourceIp: '127.0.0.1', protocol: 'HTTP/1.1' },
        routeKey: 'POST /webhook',
        stage: '$default',
        time: '04/Mar/2026:05:06:07 +0000',
        timeEpoch: Date.parse('2026-03-04T05:06:07.890Z'),
        requestId: expect.stringMatching(/^[A-Za-z0-9+/]{14}==$/),
      },
    });
  });

  it('moves cookies out of the headers, as API Gateway does', () => {
    const rawHeaders = ['Cookie', 'a=1; b=2', 'Cookie', 'c=3'];

    const event = apiGatewayEventFrom(request({ rawHeaders }), ROUTE);

    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers.cookie).toBeUndefined();
  });

  it('sends no body for an empty request', () => {
    const event = apiGatewayEventFrom(request({ body: Buffer.alloc(0) }), ROUTE);

    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });
});

describe('apiGatewayTime', () => {
  it('formats like API Gateway, in UTC', () => {
    expect(apiGatewayTime(new Date('2026-12-31T23:59:58Z'))).toBe('31/Dec/2026:23:59:58 +0000');
  });
});
