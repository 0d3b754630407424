import { describe, expect, it } from 'vitest';
import {
  changeJson,
  describeTypeChange,
  describeTypes,
  formatEventHookChange,
  redactEventHook,
} from '../../cli/event-hook-diff-format.js';

describe('redactEventHook', () => {
  it('hides key and secret fields and keeps everything else in order', () => {
    const hook = { hook_type: 'sqs', sqs_key: 'AKIA1', sqs_secret: 's3cr3t', sns_key: '', id: 'x' };

    expect(redactEventHook(hook)).toEqual({
      hook_type: 'sqs',
      sqs_key: '(hidden)',
      sqs_secret: '(hidden)',
      sns_key: '',
      id: 'x',
    });
    expect(Object.keys(redactEventHook(hook))).toEqual(Object.keys(hook));
  });

  it('never prints a secret of one of our hooks in text or JSON', () => {
    const before = {
      hook_type: 'sqs',
      sqs_queue_url: 'q',
      sqs_auth_type: 'keys',
      sqs_secret: 's3cr3t',
    };
    const change = {
      action: 'update' as const,
      hook: { ...before, sqs_auth_type: 'resource' },
      before,
    };

    expect(formatEventHookChange(change).join('\n')).not.toContain('s3cr3t');
    expect(JSON.stringify(changeJson(change))).not.toContain('s3cr3t');
    expect(formatEventHookChange(change)).toEqual([
      '~ update sqs q',
      '    sqs_auth_type  keys → resource',
    ]);
  });
});

describe('event_types summaries', () => {
  it('counts, and lists the first types of a new hook', () => {
    expect(describeTypes([])).toBe('all events');
    expect(describeTypes(null)).toBe('all events');
    expect(describeTypes(['a.x'])).toBe('1 type: a.x');
    expect(describeTypes(Array.from({ length: 10 }, (_, i) => `t.${i}`))).toBe(
      '10 types: t.0, t.1, t.2, t.3, t.4, t.5, t.6, t.7, … 2 more',
    );
  });

  it('shows the types added and removed', () => {
    expect(describeTypeChange(['a.x', 'b.x'], ['b.x', 'c.x', 'd.x'])).toEqual([
      '2 types → 3 types',
      '+ c.x, d.x',
      '- a.x',
    ]);
    expect(describeTypeChange([], ['a.x'])).toEqual(['all events → 1 type']);
    expect(describeTypeChange(['a.x'], [])).toEqual(['1 type → all events']);
    // Stream's GET writes null for a hook that takes every event.
    expect(describeTypeChange(null, ['a.x'])).toEqual(['all events → 1 type']);
    expect(describeTypeChange(undefined, ['a.x'])).toEqual(['all events → 1 type']);
  });
});
