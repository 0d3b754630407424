import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupeKey } from '../../../../lambda/lib/domain/dedupe-key.js';
import {
  deduplicationIdOf,
  fifoSafeId,
  messageGroupIdOf,
} from '../../../../lambda/lib/domain/message-group.js';
import { eventBytes, eventOfType, messageNew } from '../../../fixtures/events.js';

const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');

/** What SQS accepts as MessageGroupId / MessageDeduplicationId. */
const SQS_ACCEPTS = /^[\x21-\x7e]{1,128}$/;

describe('messageGroupIdOf', () => {
  it.each([
    [
      'a chat event by its channel (cid)',
      messageNew({ cid: 'messaging:general' }),
      'messaging:general',
    ],
    [
      'a video event by its call (call_cid)',
      eventOfType('call.session_started', { call_cid: 'default:call-42' }),
      'default:call-42',
    ],
    [
      'a feeds event by its feed (fid)',
      eventOfType('feeds.activity.added', { fid: 'user:alice' }),
      'user:alice',
    ],
    [
      'an event of no entity by its type',
      eventOfType('user.updated', { user: { id: 'bob' } }),
      'user.updated',
    ],
  ])('groups %s', (_what, event, expected) => {
    expect(messageGroupIdOf(event)).toBe(expected);
  });

  it('prefers cid, then call_cid, then fid', () => {
    const all = eventOfType('x.y', { fid: 'f', call_cid: 'c', cid: 'ch' });
    expect(messageGroupIdOf(all)).toBe('ch');
    expect(messageGroupIdOf(eventOfType('x.y', { fid: 'f', call_cid: 'c' }))).toBe('c');
  });

  it.each([
    ['empty', ''],
    ['a number', 42],
    ['null', null],
    ['an object', { id: 'messaging:general' }],
  ])('skips a cid that is %s', (_what, cid) => {
    expect(messageGroupIdOf(eventOfType('message.new', { cid }))).toBe('message.new');
  });

  it('hashes an id over 128 characters', () => {
    const cid = `messaging:${'a'.repeat(119)}`;
    expect(cid).toHaveLength(129);
    expect(messageGroupIdOf(messageNew({ cid }))).toBe(sha256Hex(cid));
  });

  it('keeps an id of exactly 128 characters', () => {
    const cid = `messaging:${'a'.repeat(118)}`;
    expect(messageGroupIdOf(messageNew({ cid }))).toBe(cid);
  });

  it.each([
    ['a space', 'messaging:general chat'],
    ['non-ASCII', 'messaging:café'],
    ['an emoji', 'messaging:👋'],
    ['a control character', 'messaging:\n'],
  ])('hashes an id with %s, which SQS refuses', (_what, cid) => {
    expect(messageGroupIdOf(messageNew({ cid }))).toBe(sha256Hex(cid));
  });

  it('always gives an id SQS accepts', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' }), (cid) => {
        expect(messageGroupIdOf(messageNew({ cid }))).toMatch(SQS_ACCEPTS);
      }),
      { seed: 20_251_124, numRuns: 300 },
    );
  });
});

describe('fifoSafeId', () => {
  it('keeps every printable ASCII character SQS allows', () => {
    const punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
    expect(fifoSafeId(`Aa0${punctuation}`)).toBe(`Aa0${punctuation}`);
  });
});

describe('deduplicationIdOf', () => {
  it('is the content key: the SHA-256 hex of the event bytes, the webhook id left out', () => {
    const bytes = eventBytes(messageNew());
    expect(deduplicationIdOf(bytes)).toBe(sha256Hex(bytes));
    expect(deduplicationIdOf(bytes)).toBe(dedupeKey(bytes));
  });
});
