import { describe, expect, it } from 'vitest';
import { UndecodableMessage } from '../../../lambda/lib/errors.js';
import {
  parsePointerBody,
  pointerBody,
  PAYLOAD_POINTER_CLASS,
} from '../../../lambda/lib/large-event-pointer.js';
import { fetchPointedBody, largeEventKey } from '../../../lambda/lib/large-event-store.js';
import { memoryLargeEventStore } from '../support/memory-large-event-store.js';

const KEY = 'events/2026/11/23/0f8fad5b-d9cb-469f-a165-70867728950e';

describe('the pointer body (AWS extended client format)', () => {
  it('is the exact JSON the Java and Python extended clients write and read', () => {
    expect(pointerBody({ bucket: 'my-bucket', key: KEY })).toBe(
      `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"my-bucket","s3Key":"${KEY}"}]`,
    );
    expect(PAYLOAD_POINTER_CLASS).toBe('software.amazon.payloadoffloading.PayloadS3Pointer');
  });

  it('parses back to the same pointer', () => {
    expect(parsePointerBody(pointerBody({ bucket: 'my-bucket', key: KEY }))).toEqual({
      bucket: 'my-bucket',
      key: KEY,
    });
  });

  it.each([
    ['raw JSON', '{"type":"message.new"}'],
    ['base64', Buffer.from('{"type":"message.new"}').toString('base64')],
    ['an SNS envelope', '{"Type":"Notification","Message":"e30="}'],
  ])('is not seen in %s', (_name, body) => {
    expect(parsePointerBody(body)).toBeNull();
  });

  it.each([
    ['not JSON', '[nope'],
    ['another class', '["com.example.Other",{"s3BucketName":"b","s3Key":"k"}]'],
    ['no key', `["${PAYLOAD_POINTER_CLASS}",{"s3BucketName":"b"}]`],
    ['an empty bucket', `["${PAYLOAD_POINTER_CLASS}",{"s3BucketName":"","s3Key":"k"}]`],
    ['three elements', `["${PAYLOAD_POINTER_CLASS}",{"s3BucketName":"b","s3Key":"k"},1]`],
  ])('refuses a body starting with "[" that is %s', (_name, body) => {
    expect(() => parsePointerBody(body)).toThrow(UndecodableMessage);
  });
});

describe('largeEventKey', () => {
  it('is events/<yyyy>/<mm>/<dd>/<uuid>, dated in UTC', () => {
    expect(largeEventKey(new Date('2026-01-02T23:59:59.999-05:00'), 'id')).toBe(
      'events/2026/01/03/id',
    );
    expect(largeEventKey()).toMatch(/^events\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f-]{36}$/);
  });
});

describe('fetchPointedBody', () => {
  it('reads the body through the store', async () => {
    const store = memoryLargeEventStore('mine');
    const pointer = await store.put('stored-body');
    await expect(fetchPointedBody(pointer, store)).resolves.toBe('stored-body');
  });

  it.each([
    ['another bucket', { bucket: 'someone-elses', key: KEY }, /foreign bucket "someone-elses"/],
    ['a key outside events/', { bucket: 'mine', key: 'secrets/config.json' }, /key is not one/],
    ['a key that climbs', { bucket: 'mine', key: 'events/../../etc/passwd' }, /key is not one/],
  ])('refuses a pointer to %s, without reading', async (_name, pointer, message) => {
    const store = memoryLargeEventStore('mine');
    store.objects.set(pointer.key, 'must not be read');
    const error = await fetchPointedBody(pointer, store).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UndecodableMessage);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses any pointer when no store is configured', async () => {
    await expect(fetchPointedBody({ bucket: 'mine', key: KEY }, null)).rejects.toThrow(
      /no large-event store is configured/,
    );
  });
});
