/** The SNS stand-in itself, against the examples in AWS's documentation of string matching. */
import { describe, expect, it } from 'vitest';
import {
  UnsupportedFilterPolicy,
  filterPolicyCombinations,
  snsDelivers,
} from '../../support/sns-filter-evaluator.js';

const body = (value: unknown) =>
  JSON.stringify({ customer_interests: value, store: 'example_corp' });

describe('snsDelivers', () => {
  it('delivers everything when there is no policy, even a body that is not JSON', () => {
    expect(snsDelivers(null, 'not json')).toBe(true);
  });

  it('matches exact strings, case-sensitively', () => {
    const policy = { customer_interests: ['rugby', 'tennis'] };

    expect(snsDelivers(policy, body('rugby'))).toBe(true);
    expect(snsDelivers(policy, body('tennis'))).toBe(true);
    expect(snsDelivers(policy, body('baseball'))).toBe(false);
    expect(snsDelivers(policy, body('Rugby'))).toBe(false);
  });

  it('matches a prefix', () => {
    const policy = { customer_interests: [{ prefix: 'bas' }] };

    expect(snsDelivers(policy, body('baseball'))).toBe(true);
    expect(snsDelivers(policy, body('basketball'))).toBe(true);
    expect(snsDelivers(policy, body('rugby'))).toBe(false);
    expect(snsDelivers(policy, body('ba'))).toBe(false);
  });

  it('matches an array in the body when any element matches', () => {
    const policy = { customer_interests: ['rugby'] };

    expect(snsDelivers(policy, body(['baseball', 'rugby']))).toBe(true);
    expect(snsDelivers(policy, body(['baseball']))).toBe(false);
  });

  it('does not match a missing key or a value that is not a string', () => {
    const policy = { type: ['message.new', { prefix: 'message.' }] };

    expect(snsDelivers(policy, JSON.stringify({ kind: 'message.new' }))).toBe(false);
    expect(snsDelivers(policy, JSON.stringify({ type: null }))).toBe(false);
    expect(snsDelivers(policy, JSON.stringify({ type: 5 }))).toBe(false);
    expect(snsDelivers(policy, JSON.stringify({ type: { prefix: 'message.' } }))).toBe(false);
  });

  it('needs every key to match (AND across keys)', () => {
    const policy = { customer_interests: ['rugby'], store: ['example_corp'] };

    expect(snsDelivers(policy, body('rugby'))).toBe(true);
    expect(snsDelivers(policy, JSON.stringify({ customer_interests: 'rugby', store: 'x' }))).toBe(
      false,
    );
  });

  it('delivers no body that is not a JSON object', () => {
    const policy = { type: [{ prefix: 'message.' }] };

    expect(snsDelivers(policy, 'H4sIAAAAAAAA')).toBe(false); // base64 of gzip: Stream compressed
    expect(snsDelivers(policy, '"message.new"')).toBe(false);
    expect(snsDelivers(policy, '[{"type":"message.new"}]')).toBe(false);
  });

  it('refuses policies outside the subset it implements', () => {
    const message = JSON.stringify({ type: 'message.new' });

    expect(() => snsDelivers({ type: [{ 'anything-but': ['x'] }] }, message)).toThrow(
      UnsupportedFilterPolicy,
    );
    expect(() => snsDelivers({ type: [{ exists: true }] }, message)).toThrow(
      UnsupportedFilterPolicy,
    );
    expect(() => snsDelivers({ type: [5] }, message)).toThrow(UnsupportedFilterPolicy);
    expect(() => snsDelivers({ message: { type: ['x'] } }, message)).toThrow(
      UnsupportedFilterPolicy,
    );
  });

  it('refuses policies SNS would refuse', () => {
    const message = JSON.stringify({ type: 'message.new' });
    const values = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);

    expect(() => snsDelivers({}, message)).toThrow(UnsupportedFilterPolicy);
    expect(() => snsDelivers({ type: [] }, message)).toThrow(UnsupportedFilterPolicy);
    expect(() => snsDelivers({ type: values(151) }, message)).toThrow(/150 value combinations/);
    expect(() => snsDelivers({ a: values(10), b: values(16) }, message)).toThrow(/got 160/);
    expect(() =>
      snsDelivers({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] }, message),
    ).toThrow(/5 keys/);
  });
});

describe('filterPolicyCombinations', () => {
  it('multiplies the number of values of each key, as SNS counts them', () => {
    const policy = { key_a: ['one', 'two', 'three'], key_b: ['one'], key_c: ['one', 'two'] };

    expect(filterPolicyCombinations(policy)).toBe(6);
  });
});
