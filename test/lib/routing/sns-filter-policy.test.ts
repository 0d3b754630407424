import { describe, expect, it } from 'vitest';
import { ALL_EVENT_TYPES } from '../../../lambda/lib/domain/event-catalog.js';
import { InvalidPattern } from '../../../contract/patterns.js';
import {
  SNS_MAX_FILTER_COMBINATIONS,
  SnsFilterPolicyError,
  snsFilterPolicyFor,
} from '../../../lib/routing/sns-filter-policy.js';
import { errorOf } from '../../lambda/support/error-of.js';
import { filterPolicyCombinations, snsDelivers } from '../../support/sns-filter-evaluator.js';

describe('snsFilterPolicyFor', () => {
  it('writes an exact type as an exact string match on type', () => {
    expect(snsFilterPolicyFor(['message.new'])).toEqual({ type: ['message.new'] });
  });

  it('writes a prefix pattern as a prefix match that keeps the dot', () => {
    expect(snsFilterPolicyFor(['message.*'])).toEqual({ type: [{ prefix: 'message.' }] });
  });

  it('writes no policy for *, even beside other patterns', () => {
    expect(snsFilterPolicyFor(['*'])).toBeNull();
    expect(snsFilterPolicyFor(['message.new', '*'])).toBeNull();
  });

  it('combines a group of patterns into one key, exact values first, each sorted', () => {
    expect(snsFilterPolicyFor(['reaction.new', 'message.*', 'call.ended', 'feeds.*'])).toEqual({
      type: ['call.ended', 'reaction.new', { prefix: 'feeds.' }, { prefix: 'message.' }],
    });
  });

  it('leaves out patterns another pattern covers, and duplicates', () => {
    const policy = snsFilterPolicyFor([
      'message.new',
      'message.*',
      'feeds.activity.*',
      'feeds.*',
      'reaction.new',
      'reaction.new',
    ]);

    expect(policy).toEqual({
      type: ['reaction.new', { prefix: 'feeds.' }, { prefix: 'message.' }],
    });
  });

  it('keeps a prefix that only looks like a longer one (message.* beside messages.*)', () => {
    expect(snsFilterPolicyFor(['messages.*', 'message.*'])).toEqual({
      type: [{ prefix: 'message.' }, { prefix: 'messages.' }],
    });
  });

  it('accepts exactly as many values as SNS allows', () => {
    const patterns = ALL_EVENT_TYPES.slice(0, SNS_MAX_FILTER_COMBINATIONS);

    const policy = snsFilterPolicyFor(patterns);

    expect(policy?.type).toHaveLength(SNS_MAX_FILTER_COMBINATIONS);
    expect(filterPolicyCombinations(policy ?? {})).toBe(150);
  });

  it('refuses a policy with more values than SNS allows, and says what to do', () => {
    const patterns = ALL_EVENT_TYPES.slice(0, SNS_MAX_FILTER_COMBINATIONS + 1);

    const error = errorOf(() => snsFilterPolicyFor(patterns));

    expect(error).toBeInstanceOf(SnsFilterPolicyError);
    expect((error as Error).message).toMatch(/151 values .* more than the 150 SNS allows/);
    expect((error as Error).message).toContain('"message.*"');
  });

  it('fits the whole catalog under the limit once it is written as prefixes', () => {
    const heads = ALL_EVENT_TYPES.map((type) =>
      type.includes('.') ? `${type.split('.')[0]}.*` : type,
    );
    const families = [...new Set(heads)];

    const policy = snsFilterPolicyFor(families);

    expect(policy?.type.length).toBeLessThanOrEqual(SNS_MAX_FILTER_COMBINATIONS);
    for (const type of ALL_EVENT_TYPES)
      expect(snsDelivers(policy, JSON.stringify({ type }))).toBe(true);
  });

  it('refuses an empty pattern list', () => {
    expect(() => snsFilterPolicyFor([])).toThrow(SnsFilterPolicyError);
  });

  it('refuses a malformed pattern', () => {
    expect(() => snsFilterPolicyFor(['message.*.new'])).toThrow(InvalidPattern);
  });

  it('writes a policy that serialises to the JSON SNS takes', () => {
    const policy = snsFilterPolicyFor(['message.new', 'call.*']);

    expect(JSON.parse(JSON.stringify(policy))).toEqual({
      type: ['message.new', { prefix: 'call.' }],
    });
  });
});
