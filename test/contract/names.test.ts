import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_GROUP_NAME,
  InvalidGroupName,
  assertValidGroupName,
  groupNameOfOutputPrefix,
  groupNames,
} from '../../contract/names.js';

/** Every name assertValidGroupName accepts. */
const validName = fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/);

/** Valid names whose every dash starts a word of a letter: what an output prefix spells back. */
const wordName = fc
  .array(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), { minLength: 1, maxLength: 6 })
  .map((words) => words.join('-'))
  .filter((name) => name.length <= 40);

describe('assertValidGroupName', () => {
  it.each(['a', 'messages', 'chat-messages-2', 'a'.repeat(40)])('accepts %j', (name) => {
    expect(() => assertValidGroupName(name)).not.toThrow();
  });

  it.each([
    ['an underscore and a capital', 'ab_C'],
    ['41 characters', 'a'.repeat(41)],
    ['a leading digit', '1abc'],
    ['a leading dash', '-abc'],
    ['a capital first', 'Abc'],
    ['a trailing newline', 'abc\n'],
    ['a space', 'ab c'],
    ['a dot', 'ab.c'],
    ['empty', ''],
  ])('refuses %s (%j) and says what a name may be', (_what, name) => {
    expect(() => assertValidGroupName(name)).toThrow(InvalidGroupName);
    expect(() => assertValidGroupName(name)).toThrow(
      expect.objectContaining({ name: 'InvalidGroupName' }),
    );
    expect(() => assertValidGroupName(name)).toThrow(
      `consumer group name "${name}" must be 1-40 characters of a-z, 0-9 and "-", starting with a letter`,
    );
  });
});

describe('groupNames', () => {
  it('keeps the first release’s ids for the default group, and no output prefix', () => {
    expect(groupNames(DEFAULT_GROUP_NAME)).toEqual({
      queueId: 'Events',
      consumerId: 'Consumer',
      outputPrefix: '',
    });
  });

  it('names the other groups’ constructs after them and their outputs in PascalCase', () => {
    expect(groupNames('chat-messages')).toEqual({
      queueId: 'Events-chat-messages',
      consumerId: 'Consumer-chat-messages',
      outputPrefix: 'ChatMessages',
    });
  });

  it('gives every valid name an output prefix of letters and digits only', () => {
    fc.assert(
      fc.property(validName, (name) => {
        expect(groupNames(name).outputPrefix).toMatch(/^[A-Za-z0-9]*$/);
      }),
    );
  });
});

describe('groupNameOfOutputPrefix (the way back)', () => {
  it('reads the default group from the empty prefix', () => {
    expect(groupNameOfOutputPrefix('')).toBe(DEFAULT_GROUP_NAME);
  });

  it('spells a name back from its prefix alone when each dash starts a word', () => {
    fc.assert(
      fc.property(wordName, (name) => {
        expect(groupNameOfOutputPrefix(groupNames(name).outputPrefix)).toBe(name);
      }),
    );
  });

  it('gets every valid name back when the group table holds it', () => {
    fc.assert(
      fc.property(validName, fc.array(validName, { maxLength: 5 }), (name, others) => {
        const table = [...others.filter((other) => !collides(other, name)), name];

        expect(groupNameOfOutputPrefix(groupNames(name).outputPrefix, table)).toBe(name);
      }),
    );
  });

  it('without the table, names a group whose outputs carry the same prefix', () => {
    fc.assert(
      fc.property(validName, (name) => {
        const prefix = groupNames(name).outputPrefix;
        const back = groupNameOfOutputPrefix(prefix);

        expect(() => assertValidGroupName(back)).not.toThrow();
        expect(groupNames(back).outputPrefix).toBe(prefix);
      }),
      { examples: [['shard-1'], ['a--b'], ['all-'], ['x-']] },
    );
  });
});

/** Two names the stack refuses together: their outputs would share names. */
function collides(a: string, b: string): boolean {
  return groupNames(a).outputPrefix === groupNames(b).outputPrefix;
}
