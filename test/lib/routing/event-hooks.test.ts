import type { EventHook } from '@stream-io/node-sdk';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { EVENT_CATALOG } from '../../../lambda/lib/domain/event-catalog.js';
import { InvalidPattern } from '../../../contract/patterns.js';
import {
  EventHookError,
  hookEventTypes,
  snsEventHook,
  sqsEventHook,
  webhookEventHook,
  type SnsEventHook,
  type SqsEventHook,
  type WebhookEventHook,
} from '../../../lib/routing/event-hooks.js';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/messages';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:stream-events';

describe('sqsEventHook', () => {
  it('writes the SQS hook with resource auth and the expanded event types', () => {
    const hook = sqsEventHook({
      queueUrl: QUEUE_URL,
      region: 'eu-west-1',
      patterns: ['reaction.*', 'message.new'],
    });

    expect(hook).toEqual({
      hook_type: 'sqs',
      enabled: true,
      sqs_queue_url: QUEUE_URL,
      sqs_region: 'eu-west-1',
      sqs_auth_type: 'resource',
      event_types: ['message.new', 'reaction.deleted', 'reaction.new', 'reaction.updated'],
    });
  });

  it('asks for every event, present and future, with an empty list for *', () => {
    const hook = sqsEventHook({ queueUrl: QUEUE_URL, region: 'eu-west-1', patterns: ['*'] });

    expect(hook.event_types).toEqual([]);
  });
});

describe('snsEventHook', () => {
  it('writes the SNS hook with resource auth and the expanded event types', () => {
    const hook = snsEventHook({
      topicArn: TOPIC_ARN,
      region: 'eu-west-1',
      patterns: ['ingress.*'],
    });

    expect(hook).toEqual({
      hook_type: 'sns',
      enabled: true,
      sns_topic_arn: TOPIC_ARN,
      sns_region: 'eu-west-1',
      sns_auth_type: 'resource',
      event_types: ['ingress.error', 'ingress.started', 'ingress.stopped'],
    });
  });

  it('asks for every event with an empty list for *', () => {
    expect(
      snsEventHook({ topicArn: TOPIC_ARN, region: 'eu-west-1', patterns: ['*'] }).event_types,
    ).toEqual([]);
  });
});

describe('webhookEventHook', () => {
  it('writes the webhook hook with the expanded event types', () => {
    const hook = webhookEventHook({
      url: 'https://abc.execute-api.eu-west-1.amazonaws.com/webhook',
      patterns: ['feeds.follow.*'],
    });

    expect(hook).toEqual({
      hook_type: 'webhook',
      enabled: true,
      webhook_url: 'https://abc.execute-api.eu-west-1.amazonaws.com/webhook',
      event_types: ['feeds.follow.created', 'feeds.follow.deleted', 'feeds.follow.updated'],
    });
  });
});

describe('hookEventTypes', () => {
  it('lists a whole family when its types are all asked for', () => {
    expect(hookEventTypes(['call.*', 'ingress.*', 'custom'])).toEqual([...EVENT_CATALOG.video]);
  });

  it('leaves out a custom type but keeps the known ones', () => {
    expect(hookEventTypes(['my_custom_event', 'message.new'])).toEqual(['message.new']);
  });

  it('refuses patterns that match no known type, since [] would mean every event', () => {
    expect(() => hookEventTypes(['my_custom_event'])).toThrow(EventHookError);
    expect(() => hookEventTypes(['my_custom_event'])).toThrow(/would receive every event/);
  });

  it('refuses an empty pattern list for the same reason', () => {
    expect(() => hookEventTypes([])).toThrow(EventHookError);
  });

  it('refuses a malformed pattern', () => {
    expect(() => hookEventTypes(['message.*.new'])).toThrow(InvalidPattern);
  });
});

describe('hook field names', () => {
  it("are fields of the SDK's EventHook", () => {
    // Compile-time: a misspelt field fails `tsc`, since every EventHook field is optional and a
    // plain assignability check would not notice.
    expectTypeOf<keyof SqsEventHook>().toExtend<keyof EventHook>();
    expectTypeOf<keyof SnsEventHook>().toExtend<keyof EventHook>();
    expectTypeOf<keyof WebhookEventHook>().toExtend<keyof EventHook>();
    expectTypeOf<SqsEventHook>().toExtend<EventHook>();
    expectTypeOf<SnsEventHook>().toExtend<EventHook>();
    expectTypeOf<WebhookEventHook>().toExtend<EventHook>();

    const hook: EventHook = sqsEventHook({
      queueUrl: QUEUE_URL,
      region: 'eu-west-1',
      patterns: ['*'],
    });
    expect(Object.keys(hook).sort()).toEqual(
      [
        'enabled',
        'event_types',
        'hook_type',
        'sqs_auth_type',
        'sqs_queue_url',
        'sqs_region',
      ].sort(),
    );
  });
});
