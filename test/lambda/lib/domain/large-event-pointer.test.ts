import { describe, expect, it } from 'vitest';
import { UndecodableMessage } from '../../../../lambda/lib/domain/errors.js';
import {
  parsePointerBody,
  pointerBody,
  PAYLOAD_POINTER_CLASS,
} from '../../../../lambda/lib/domain/large-event-pointer.js';
import {
  fetchPointedBody,
  largeEventKey,
} from '../../../../lambda/lib/domain/large-event-store.js';
import { memoryLargeEventStore } from '../../support/memory-large-event-store.js';

const KEY = 'events/2026/11/23/0f8fad5b-d9cb-469f-a165-70867728950e';
const NOT_A_POINTER = `body is a JSON array but not a ${PAYLOAD_POINTER_CLASS}`;
const LACKS = 'large-event pointer lacks s3BucketName or s3Key';

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
    ['null', 'null'],
    ['a string', '"b/k"'],
    ['a number', '7'],
  ])(
    'refuses a pointer whose target is %s as undecodable, not with a TypeError',
    (_name, target) => {
      // Act
      const parse = () => parsePointerBody(`["${PAYLOAD_POINTER_CLASS}",${target}]`);

      // Assert
      expect(parse).toThrow(UndecodableMessage);
      expect(parse).toThrow('large-event pointer lacks s3BucketName or s3Key');
    },
  );

  it.each([
    ['not JSON', '[nope', 'body starts with "[" but is not JSON'],
    ['another class', '["com.example.Other",{"s3BucketName":"b","s3Key":"k"}]', NOT_A_POINTER],
    ['one element', `["${PAYLOAD_POINTER_CLASS}"]`, NOT_A_POINTER],
    ['no key', `["${PAYLOAD_POINTER_CLASS}",{"s3BucketName":"b"}]`, LACKS],
    ['no bucket', `["${PAYLOAD_POINTER_CLASS}",{"s3Key":"k"}]`, LACKS],
    ['an empty bucket', `["${PAYLOAD_POINTER_CLASS}",{"s3BucketName":"","s3Key":"k"}]`, LACKS],
    ['an empty key', `["${PAYLOAD_POINTER_CLASS}",{"s3BucketName":"b","s3Key":""}]`, LACKS],
    ['a numeric key', `["${PAYLOAD_POINTER_CLASS}",{"s3BucketName":"b","s3Key":7}]`, LACKS],
    [
      'three elements',
      `["${PAYLOAD_POINTER_CLASS}",{"s3BucketName":"b","s3Key":"k"},1]`,
      NOT_A_POINTER,
    ],
  ])('refuses a body starting with "[" that is %s', (_name, body, message) => {
    expect(() => parsePointerBody(body)).toThrow(UndecodableMessage);
    expect(() => parsePointerBody(body)).toThrow(message);
  });

  it('sees a pointer after leading white space', () => {
    expect(parsePointerBody(` \n${pointerBody({ bucket: 'b', key: KEY })}`)).toEqual({
      bucket: 'b',
      key: KEY,
    });
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
