import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupNames } from '../../contract/names.js';
import {
  STACK_OUTPUT,
  eventHooksSqsOutputKey,
  groupOutputKey,
  eventHookOutputPartKey,
  outputPrefixOf,
  parseEventHookOutputKey,
  prefixedOutputKey,
} from '../../contract/stack-outputs.js';

const validName = fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/);
const part = fc.integer({ min: 1, max: 20 });

describe('group output keys', () => {
  it('are the prefix and the output: QueueUrl for all, ChatMessagesDeadLetterQueueUrl', () => {
    expect(groupOutputKey('all', 'queueUrl')).toBe('QueueUrl');
    expect(groupOutputKey('chat-messages', 'deadLetterQueueUrl')).toBe(
      'ChatMessagesDeadLetterQueueUrl',
    );
  });

  it('read back to the prefix they were written with, and only for their own output', () => {
    fc.assert(
      fc.property(validName, (name) => {
        const { outputPrefix } = groupNames(name);
        const key = groupOutputKey(name, 'deadLetterQueueUrl');

        expect(outputPrefixOf(key, 'deadLetterQueueUrl')).toBe(outputPrefix);
        expect(prefixedOutputKey(outputPrefix, 'deadLetterQueueUrl')).toBe(key);
        expect(outputPrefixOf(key, 'queueArn')).toBeUndefined();
      }),
    );
  });
});

describe('event_hooks output keys', () => {
  it('read back as the webhook’s and the topic’s, part by part', () => {
    expect(parseEventHookOutputKey(STACK_OUTPUT.eventHooksWebhook)).toEqual({
      key: 'EventHooksWebhook',
      path: 'webhook',
      groupPrefix: '',
      part: 1,
    });
    expect(parseEventHookOutputKey(eventHookOutputPartKey(STACK_OUTPUT.eventHooksSns, 3))).toEqual({
      key: 'EventHooksSns',
      path: 'sns',
      groupPrefix: '',
      part: 3,
    });
  });

  it('read back as the group’s SQS hook and part they were written for', () => {
    fc.assert(
      fc.property(validName, part, (name, n) => {
        const { outputPrefix } = groupNames(name);
        // A prefix ending in Part<n> (a group "part-2") reads as a part of another hook's outputs.
        fc.pre(!/Part\d+$/.test(outputPrefix));
        const key = eventHooksSqsOutputKey(name);

        expect(parseEventHookOutputKey(eventHookOutputPartKey(key, n))).toEqual({
          key,
          path: 'sqs',
          groupPrefix: outputPrefix,
          part: n,
        });
      }),
    );
  });

  it('are not read from the other outputs', () => {
    for (const key of [...Object.values(STACK_OUTPUT), 'QueueUrl', 'ChatQueueArn']) {
      if (key.startsWith('EventHooks')) continue;
      expect(parseEventHookOutputKey(key)).toBeNull();
    }
  });
});
