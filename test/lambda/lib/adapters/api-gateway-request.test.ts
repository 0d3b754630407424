import { describe, expect, it } from 'vitest';
import { deliveryRequestFrom } from '../../../../lambda/lib/adapters/api-gateway-request.js';
import { webhookEvent } from '../../support/api-gateway.js';

describe('deliveryRequestFrom', () => {
  it('decodes a base64 body to the exact bytes, including non-UTF-8 ones', () => {
    // Arrange
    const body = Buffer.from([0x1f, 0x8b, 0x00, 0xff, 0xfe, 0x80]);

    // Act
    const request = deliveryRequestFrom(webhookEvent({ body, encoding: 'base64' }));

    // Assert
    expect(request.body.equals(body)).toBe(true);
  });

  it('takes a text body as its UTF-8 bytes', () => {
    // Arrange
    const body = Buffer.from('{"type":"message.new","text":"héllo 👋"}', 'utf8');

    // Act
    const request = deliveryRequestFrom(webhookEvent({ body, encoding: 'text' }));

    // Assert
    expect(request.body.equals(body)).toBe(true);
  });

  it('reads a missing body as empty', () => {
    // Arrange
    const event = { ...webhookEvent({ body: Buffer.alloc(0) }), body: undefined };

    // Act / Assert
    expect(deliveryRequestFrom(event).body.length).toBe(0);
  });

  it('lower-cases header names, whatever casing they arrive in', () => {
    // Arrange
    const event = webhookEvent({
      body: Buffer.from('{}'),
      headers: { 'X-Signature': 'abc', 'X-API-KEY': 'key', 'x-webhook-id': 'id' },
    });

    // Act
    const { headers } = deliveryRequestFrom(event);

    // Assert
    expect(headers).toMatchObject({
      'x-signature': 'abc',
      'x-api-key': 'key',
      'x-webhook-id': 'id',
    });
  });

  it('takes the time API Gateway received the request', () => {
    // Arrange
    const timeEpoch = Date.UTC(2025, 2, 3, 4, 5, 6, 789);

    // Act
    const request = deliveryRequestFrom(webhookEvent({ body: Buffer.from('{}'), timeEpoch }));

    // Assert
    expect(request.receivedAt.toISOString()).toBe('2025-03-03T04:05:06.789Z');
  });
});
