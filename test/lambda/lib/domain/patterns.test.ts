import { describe, expect, it } from 'vitest';
import { mostSpecificPattern, patternMatches } from '../../../../lambda/lib/domain/patterns.js';
import { assertValidPattern } from '../../../../contract/patterns.js';
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
