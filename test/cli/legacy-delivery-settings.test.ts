import { describe, expect, it } from 'vitest';
import {
  legacyPatch,
  legacyTypeWarnings,
  notOnEventHooks,
  planLegacy,
  usesEventHooks,
} from '../../cli/legacy-delivery-settings.js';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/1/q';
const sqsHook = { hook_type: 'sqs', sqs_queue_url: QUEUE, event_types: ['a.x'] };

describe('usesEventHooks', () => {
  it('is false only when Stream answers use_hook_v2 false', () => {
    expect(usesEventHooks({ use_hook_v2: false })).toBe(false);
    expect(usesEventHooks({ use_hook_v2: true })).toBe(true);
    expect(usesEventHooks({})).toBe(true);
  });
});

describe('legacyTypeWarnings', () => {
  it.each([
    [null, ['a.x']],
    [[], ['a.x']],
    [undefined, []],
    [['a.x', 'b.x'], ['a.x']],
  ])('says nothing when webhook_events %j covers %j', (selected, wanted) => {
    expect(legacyTypeWarnings(selected, wanted)).toEqual([]);
  });

  it('names the types a selection leaves out', () => {
    expect(legacyTypeWarnings(['a.x'], ['a.x', 'b.x', 'c.x'])).toEqual([
      expect.stringContaining('lacks 2 of the types this stack takes (b.x, c.x)'),
    ]);
  });

  it('warns when the stack takes every event but the app selects some', () => {
    expect(legacyTypeWarnings(['a.x'], null)).toEqual([
      expect.stringContaining('selects 1 type: Stream sends only what it selects'),
    ]);
  });
});

describe('planLegacy', () => {
  it('sets the target and clears a key pair, and sends only what changes', () => {
    const plan = planLegacy('sqs', sqsHook, { sqs_url: QUEUE, sqs_key: 'k', sqs_secret: 's' });

    expect(plan.changed).toBe(true);
    expect(legacyPatch(plan)).toEqual({ sqs_key: '', sqs_secret: '' });
  });

  it('changes nothing once the target is ours and no key is set', () => {
    const plan = planLegacy('sqs', sqsHook, { sqs_url: QUEUE, sqs_key: '', sqs_secret: '' });

    expect(plan).toEqual({
      changes: [{ field: 'sqs_url', before: QUEUE, after: QUEUE }],
      changed: false,
      warnings: [],
    });
  });
});

describe('notOnEventHooks', () => {
  it('offers --legacy only where a legacy setting exists', () => {
    expect(notOnEventHooks('sns')).toContain('re-run with --legacy to set sns_topic_arn');
    expect(notOnEventHooks('pending-messages')).not.toContain('--legacy');
  });
});
