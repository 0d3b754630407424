import type { Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import {
  lambdaMessageAttribute,
  recordsToDelete,
  sqsEventFrom,
} from '../../dev/event-source-mapping.js';

const SOURCE = {
  queueArn: 'arn:aws:sqs:us-east-1:123456789012:stream-events-all',
  region: 'us-east-1',
};

function message(id: string, receipt = `rh-${id}`): Message {
  return {
    MessageId: id,
    ReceiptHandle: receipt,
    Body: 'eyJ0eXBlIjoieCJ9',
    MD5OfBody: 'md5',
    Attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1700000000000',
      SenderId: 'ABC',
      ApproximateFirstReceiveTimestamp: '1700000000001',
    },
    MessageAttributes: { webhook_id: { DataType: 'String', StringValue: 'w-1' } },
  };
}

describe('sqsEventFrom', () => {
  it('builds records in the shape Lambda delivers', () => {
    const event = sqsEventFrom([message('m1')], SOURCE);

    expect(event.Records).toEqual([
      {
        messageId: 'm1',
        receiptHandle: 'rh-m1',
        body: 'eyJ0eXBlIjoieCJ9',
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '1700000000000',
          SenderId: 'ABC',
          ApproximateFirstReceiveTimestamp: '1700000000001',
        },
        messageAttributes: {
          webhook_id: {
            stringValue: 'w-1',
            stringListValues: [],
            binaryListValues: [],
            dataType: 'String',
          },
        },
        md5OfBody: 'md5',
        eventSource: 'aws:sqs',
        eventSourceARN: SOURCE.queueArn,
        awsRegion: 'us-east-1',
      },
    ]);
  });

  it('keeps one record, with the newest receipt handle, for a message received twice at once', () => {
    const event = sqsEventFrom([message('m1', 'old'), message('m2'), message('m1', 'new')], SOURCE);

    expect(event.Records.map((record) => [record.messageId, record.receiptHandle])).toEqual([
      ['m2', 'rh-m2'],
      ['m1', 'new'],
    ]);
  });
});

describe('lambdaMessageAttribute', () => {
  it('gives a binary value as base64 and no string value', () => {
    const attribute = lambdaMessageAttribute({
      DataType: 'Binary',
      BinaryValue: new Uint8Array([1, 2, 3]),
    });

    expect(attribute).toEqual({
      binaryValue: 'AQID',
      stringListValues: [],
      binaryListValues: [],
      dataType: 'Binary',
    });
  });
});

describe('recordsToDelete', () => {
  const event = sqsEventFrom([message('m1'), message('m2'), message('m3')], SOURCE);
  const ids = (records: { messageId: string }[]) => records.map((record) => record.messageId);

  it('deletes every record when none failed', () => {
    expect(ids(recordsToDelete(event, { batchItemFailures: [] }))).toEqual(['m1', 'm2', 'm3']);
  });

  it('keeps the reported failures for another receive', () => {
    const response = { batchItemFailures: [{ itemIdentifier: 'm2' }] };

    expect(ids(recordsToDelete(event, response))).toEqual(['m1', 'm3']);
  });

  it.each(['', 'not-in-this-batch'])(
    'treats the whole batch as failed when a failure names no record of it (%j)',
    (itemIdentifier) => {
      const response = { batchItemFailures: [{ itemIdentifier }] };

      expect(recordsToDelete(event, response)).toEqual([]);
    },
  );
});
