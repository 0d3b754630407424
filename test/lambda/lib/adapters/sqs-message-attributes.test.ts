import { describe, expect, it } from 'vitest';
import {
  attributesSize,
  messageAttributesFor,
} from '../../../../lambda/lib/adapters/sqs-message-attributes.js';

const META = {
  webhookId: 'wh-1',
  attempt: 2,
  eventType: 'message.new',
  receivedAt: new Date('2025-01-01T12:00:00.000Z'),
};

describe('messageAttributesFor', () => {
  it('carries webhook id, attempt, type, receive time and source', () => {
    expect(messageAttributesFor(META, 'webhook')).toEqual({
      webhook_id: { DataType: 'String', StringValue: 'wh-1' },
      webhook_attempt: { DataType: 'Number', StringValue: '2' },
      event_type: { DataType: 'String', StringValue: 'message.new' },
      received_at: { DataType: 'String', StringValue: '2025-01-01T12:00:00.000Z' },
      source: { DataType: 'String', StringValue: 'webhook' },
    });
  });

  it('leaves out the webhook id and attempt when unknown (SQS refuses empty values)', () => {
    // Act
    const attributes = messageAttributesFor({ ...META, webhookId: null, attempt: null }, 'sns');

    // Assert
    expect(Object.keys(attributes).sort()).toEqual(['event_type', 'received_at', 'source']);
    expect(attributes.source?.StringValue).toBe('sns');
  });
});

describe('attributesSize', () => {
  it('counts name, data type and value of each attribute, in UTF-8 bytes', () => {
    // Arrange
    const attributes = { type: { DataType: 'String', StringValue: 'é' } };

    // Act / Assert: 4 + 6 + 2
    expect(attributesSize(attributes)).toBe(12);
  });

  it('is zero for no attributes', () => {
    expect(attributesSize({})).toBe(0);
  });
});
