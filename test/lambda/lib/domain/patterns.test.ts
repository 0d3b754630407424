import { describe, expect, it } from 'vitest';
import {
  InvalidPattern,
  assertValidPattern,
  mostSpecificPattern,
  patternMatches,
} from '../../../../lambda/lib/domain/patterns.js';
import { routingCases } from '../../../fixtures/routing-cases.js';

describe('patternMatches', () => {
  it.each(routingCases)(
    '$pattern against $type: matches=$matches',
    ({ pattern, type, matches }) => {
      expect(patternMatches(pattern, type)).toBe(matches);
    },
  );

  it('takes every pattern in the shared table as valid', () => {
    for (const { pattern } of routingCases) expect(() => assertValidPattern(pattern)).not.toThrow();
  });
});

describe('mostSpecificPattern', () => {
  it('prefers the exact type over a prefix and over *', () => {
    expect(mostSpecificPattern('message.new', ['*', 'message.*', 'message.new'])).toBe(
      'message.new',
    );
  });

  it('prefers the exact type even over a longer prefix that also matches it', () => {
    // `message.` is a valid exact type that `message.*` also takes.
    expect(mostSpecificPattern('message.', ['message.', 'message.*'])).toBe('message.');
    expect(mostSpecificPattern('message.', ['message.*', 'message.'])).toBe('message.');
  });

  it('prefers a prefix over *', () => {
    expect(mostSpecificPattern('message.updated', ['*', 'message.*', 'message.new'])).toBe(
      'message.*',
    );
  });

  it('falls back to * when nothing else matches', () => {
    expect(mostSpecificPattern('reaction.new', ['*', 'message.*', 'message.new'])).toBe('*');
  });

  it.each([
    ['shorter first', ['feeds.*', 'feeds.activity.*']],
    ['longer first', ['feeds.activity.*', 'feeds.*']],
    ['with * in between', ['feeds.*', '*', 'feeds.activity.*']],
  ])('takes the longest matching prefix whatever the order (%s)', (_order, patterns) => {
    expect(mostSpecificPattern('feeds.activity.added', patterns)).toBe('feeds.activity.*');
  });

  it('does not take a longer prefix that does not match', () => {
    expect(mostSpecificPattern('feeds.comment.added', ['feeds.*', 'feeds.activity.*'])).toBe(
      'feeds.*',
    );
  });

  it('returns null when no pattern matches', () => {
    expect(mostSpecificPattern('reaction.new', ['message.*', 'message.new'])).toBeNull();
  });

  it('returns null for an empty pattern list', () => {
    expect(mostSpecificPattern('message.new', [])).toBeNull();
  });

  it('agrees with patternMatches on every case of the shared table', () => {
    for (const { pattern, type, matches } of routingCases) {
      expect(mostSpecificPattern(type, [pattern])).toBe(matches ? pattern : null);
    }
  });
});

describe('assertValidPattern', () => {
  it.each(['*', 'message.new', 'message.*', 'feeds.activity.*', 'my_custom_event', 'a-b.c_d'])(
    'accepts %j',
    (pattern) => {
      expect(() => assertValidPattern(pattern)).not.toThrow();
    },
  );

  it.each([
    ['empty', ''],
    ['a bare dot-star', '.*'],
    ['a star without its dot', 'message*'],
    ['a star in the middle', 'message.*.new'],
    ['a leading star', '*.new'],
    ['two stars', '**'],
    ['a double prefix star', 'message.**'],
    ['a space inside', 'message new'],
    ['a leading space', ' message.new'],
    ['a trailing space', 'message.* '],
    ['a tab', 'message.\tnew'],
    ['a star before a prefix', 'a*b.*'],
    ['a star inside an exact type', 'a*b'],
    ['a trailing star without a dot', 'a.b*'],
    ['a trailing newline', 'message.new\n'],
  ])('refuses %s (%j) with InvalidPattern', (_shape, pattern) => {
    expect(() => assertValidPattern(pattern)).toThrow(InvalidPattern);
  });

  it('names the pattern and the accepted forms in its message', () => {
    expect(() => assertValidPattern('message*')).toThrow(
      expect.objectContaining({ name: 'InvalidPattern' }),
    );
    expect(() => assertValidPattern('message*')).toThrow(
      /"message\*" is not an event pattern: .*"message\.new".*"message\.\*".*"\*"/,
    );
  });
});
