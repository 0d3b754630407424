import { App, Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { ALL_EVENT_TYPES } from '../../lambda/lib/domain/event-catalog.js';
import {
  CFN_OUTPUT_VALUE_LIMIT,
  TOKEN_LENGTH_BOUND,
  eventHookOutputs,
  resolvedLengthBound,
} from '../../lib/event-hook-outputs.js';
import { sqsEventHook, webhookEventHook } from '../../lib/routing/event-hooks.js';

const URL = 'https://abc123.execute-api.eu-west-1.amazonaws.com/webhook';

describe('resolvedLengthBound', () => {
  it('is the length of a text without tokens', () => {
    expect(resolvedLengthBound('')).toBe(0);
    expect(resolvedLengthBound('abc')).toBe(3);
  });

  it('counts each token as TOKEN_LENGTH_BOUND characters', () => {
    const stack = new Stack(new App(), 'Test');
    const queueUrl = new Queue(stack, 'Queue').queueUrl;

    expect(resolvedLengthBound(`[${queueUrl}|${stack.region}]`)).toBe(3 + 2 * TOKEN_LENGTH_BOUND);
  });
});

describe('eventHookOutputs', () => {
  it('keeps a hook that fits as the one entry of one output', () => {
    const hook = webhookEventHook({ url: URL, patterns: ['message.*'] });

    expect(eventHookOutputs('EventHooksWebhook', hook)).toEqual([
      { id: 'EventHooksWebhook', part: 1, parts: 1, hooks: [hook] },
    ]);
  });

  it('always fits a hook for every event', () => {
    const hook = webhookEventHook({ url: URL, patterns: ['*'] });

    expect(eventHookOutputs('EventHooksWebhook', hook)).toHaveLength(1);
  });

  it('splits a hook with every catalog type listed into parts that each fit', () => {
    const stack = new Stack(new App(), 'Test');
    const queueUrl = new Queue(stack, 'Queue').queueUrl;
    // Every type by its family's prefix ('custom' has no dot: it is its own pattern).
    const patterns = [
      ...new Set(
        ALL_EVENT_TYPES.map((type) => (type.includes('.') ? `${type.split('.')[0]!}.*` : type)),
      ),
    ];
    const hook = sqsEventHook({ queueUrl, region: stack.region, patterns });

    const outputs = eventHookOutputs('EventHooksSqs', hook);

    expect(outputs.length).toBeGreaterThan(1);
    expect(outputs.map((output) => output.id)).toEqual(
      outputs.map((_, index) => (index === 0 ? 'EventHooksSqs' : `EventHooksSqsPart${index + 1}`)),
    );
    for (const output of outputs) {
      expect(output.parts).toBe(outputs.length);
      expect(output.hooks).toHaveLength(1);
      expect(output.hooks[0]).toMatchObject({ hook_type: 'sqs', sqs_queue_url: queueUrl });
      expect(resolvedLengthBound(JSON.stringify(output.hooks))).toBeLessThanOrEqual(
        CFN_OUTPUT_VALUE_LIMIT,
      );
    }
    expect(outputs.flatMap((output) => output.hooks[0]!.event_types)).toEqual(ALL_EVENT_TYPES);
  });

  it('splits into as many parts as a small limit needs, in order, each type once', () => {
    const hook = webhookEventHook({ url: URL, patterns: ['reaction.*', 'message.new'] });

    const outputs = eventHookOutputs('Hooks', hook, 150);

    expect(outputs.map((output) => output.hooks[0]!.event_types)).toEqual([
      ['message.new'],
      ['reaction.deleted'],
      ['reaction.new'],
      ['reaction.updated'],
    ]);
    expect(outputs.map((output) => `${output.id} ${output.part}/${output.parts}`)).toEqual([
      'Hooks 1/4',
      'HooksPart2 2/4',
      'HooksPart3 3/4',
      'HooksPart4 4/4',
    ]);
  });

  it('fails when not even one type fits beside the target', () => {
    const hook = webhookEventHook({ url: URL, patterns: ['message.new', 'message.updated'] });

    expect(() => eventHookOutputs('Hooks', hook, 100)).toThrow(
      /Hooks: one event type does not fit an output value/,
    );
  });
});
