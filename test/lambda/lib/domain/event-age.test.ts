import { describe, expect, it } from 'vitest';
import { DeliveryRejected } from '../../../../lambda/lib/domain/errors.js';
import { createdAtOf, rejectIfTooOld } from '../../../../lambda/lib/domain/event-age.js';
import { eventOfType } from '../../../fixtures/events.js';
import { errorOf } from '../../support/error-of.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');

describe('createdAtOf', () => {
  it.each([
    ['Go-style nanoseconds', '2026-11-23T11:59:30.123456789Z', '2026-11-23T11:59:30.123Z'],
    ['milliseconds', '2026-11-23T11:59:30.123Z', '2026-11-23T11:59:30.123Z'],
    ['whole seconds', '2026-11-23T11:59:30Z', '2026-11-23T11:59:30.000Z'],
    ['an offset', '2026-11-23T13:59:30.5+02:00', '2026-11-23T11:59:30.500Z'],
    [
      'lower-case t and z (RFC 3339 allows them)',
      '2026-11-23t11:59:30z',
      '2026-11-23T11:59:30.000Z',
    ],
  ])('reads %s', (_what, createdAt, iso) => {
    expect(createdAtOf(eventOfType('message.new', { created_at: createdAt }))?.toISOString()).toBe(
      iso,
    );
  });

  it.each([
    ['no created_at', undefined],
    ['a number', 1_795_000_000],
    ['no offset (local time is ambiguous)', '2026-11-23T11:59:30'],
    ['a date alone', '2026-11-23'],
    ['an HTTP date', 'Mon, 23 Nov 2026 11:59:30 GMT'],
    ['a month 13', '2026-13-23T11:59:30Z'],
    ['leading space', ' 2026-11-23T11:59:30Z'],
    ['an empty string', ''],
  ])('takes %s as no time at all', (_what, createdAt) => {
    const event =
      createdAt === undefined
        ? { type: 'message.new' }
        : eventOfType('message.new', { created_at: createdAt });
    expect(createdAtOf(event)).toBeNull();
  });
});

describe('rejectIfTooOld', () => {
  const at = (createdAt: string) => eventOfType('message.new', { created_at: createdAt });

  it('passes an event exactly maxAge old, and a younger one', () => {
    expect(() => rejectIfTooOld(at('2026-11-23T11:55:00Z'), NOW, 300)).not.toThrow();
    expect(() => rejectIfTooOld(at('2026-11-23T11:59:59.999Z'), NOW, 300)).not.toThrow();
  });

  it('refuses an older one with 400 event_too_old, saying how old and the limit', () => {
    const error = errorOf(() => rejectIfTooOld(at('2026-11-23T11:54:59.999Z'), NOW, 300));

    expect(error).toBeInstanceOf(DeliveryRejected);
    expect(error).toMatchObject({
      status: 400,
      reason: 'event_too_old',
      message:
        'event created_at 2026-11-23T11:54:59.999Z is 300.001 s old, over maxEventAge (300 s)',
    });
  });

  it('passes an event from the future (clock skew is not age)', () => {
    expect(() => rejectIfTooOld(at('2026-11-23T13:00:00Z'), NOW, 300)).not.toThrow();
  });

  it('passes an event whose created_at cannot be read', () => {
    expect(() => rejectIfTooOld(at('yesterday'), NOW, 300)).not.toThrow();
    expect(() => rejectIfTooOld({ type: 'message.new' }, NOW, 300)).not.toThrow();
  });

  it('checks nothing when no limit is set', () => {
    expect(() => rejectIfTooOld(at('2001-01-01T00:00:00Z'), NOW, null)).not.toThrow();
  });
});
