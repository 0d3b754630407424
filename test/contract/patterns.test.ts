import { describe, expect, it } from 'vitest';
import { InvalidPattern, assertValidPattern } from '../../contract/patterns.js';

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
