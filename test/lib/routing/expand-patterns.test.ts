import { describe, expect, it } from 'vitest';
import { ALL_EVENT_TYPES, EVENT_CATALOG } from '../../../lambda/lib/domain/event-catalog.js';
import { InvalidPattern } from '../../../contract/patterns.js';
import { expandPatterns, patternsMatchingNothing } from '../../../lib/routing/expand-patterns.js';

describe('expandPatterns', () => {
  it('expands * to the whole catalog', () => {
    expect(expandPatterns(['*'])).toEqual(ALL_EVENT_TYPES);
  });

  it('expands a prefix to the catalog types under it', () => {
    const expanded = expandPatterns(['call.*']);

    expect(expanded).toEqual(EVENT_CATALOG.video.filter((type) => type.startsWith('call.')));
    expect(expanded).toContain('call.session_started');
    expect(expanded).not.toContain('ingress.started');
  });

  it('expands a nested prefix only to the types under it', () => {
    expect(expandPatterns(['feeds.activity.reaction.*'])).toEqual([
      'feeds.activity.reaction.added',
      'feeds.activity.reaction.deleted',
      'feeds.activity.reaction.updated',
    ]);
  });

  it('keeps an exact catalog type as itself', () => {
    expect(expandPatterns(['reaction.new'])).toEqual(['reaction.new']);
  });

  it('returns the union sorted, each type once, whatever the order and overlap', () => {
    const expanded = expandPatterns([
      'reaction.new',
      'reaction.*',
      'message.new',
      'channel.created',
    ]);

    expect(expanded).toEqual([
      'channel.created',
      'message.new',
      'reaction.deleted',
      'reaction.new',
      'reaction.updated',
    ]);
  });

  it('drops a type the catalog lacks', () => {
    expect(expandPatterns(['my_custom_event', 'message.new'])).toEqual(['message.new']);
  });

  it('rejects a malformed pattern', () => {
    expect(() => expandPatterns(['message*'])).toThrow(InvalidPattern);
    expect(() => expandPatterns(['*.new'])).toThrow(InvalidPattern);
  });
});

describe('patternsMatchingNothing', () => {
  it('names the patterns no catalog type matches, once each, in order', () => {
    const patterns = ['message.*', 'mesage.new', 'my_custom_event', 'Message.*', 'mesage.new'];

    expect(patternsMatchingNothing(patterns)).toEqual([
      'mesage.new',
      'my_custom_event',
      'Message.*',
    ]);
  });

  it('is empty when every pattern matches something', () => {
    expect(patternsMatchingNothing(['*', 'feeds.*', 'call.ended', 'user.flagged'])).toEqual([]);
  });

  it('rejects a malformed pattern', () => {
    expect(() => patternsMatchingNothing(['message. new'])).toThrow(InvalidPattern);
  });
});
