import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { snsFilterPolicyFor } from '../../lib/routing/sns-filter-policy.js';
import { StreamTopic, type StreamTopicProps } from '../../lib/stream-topic.js';

const PATTERNS = {
  chat: ['message.*', 'reaction.new', 'channel.created'],
  calls: ['call.*'],
  everything: ['*'],
};

/** A StreamTopic with one queue per entry of PATTERNS. */
function topic(options: Omit<StreamTopicProps, 'subscribers'> = {}): Template {
  const stack = new Stack(new App(), 'Test');
  const subscribers = Object.entries(PATTERNS).map(([group, patterns]) => ({
    group,
    patterns,
    queue: new Queue(stack, group),
  }));
  new StreamTopic(stack, 'Topic', { subscribers, ...options });
  return Template.fromStack(stack);
}

describe('StreamTopic', () => {
  const template = topic({ filterPolicies: true });

  it('gives each filtered subscription exactly the policy generated from its patterns', () => {
    for (const group of ['chat', 'calls'] as const) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${group}`), 'Arn'] },
        RawMessageDelivery: true,
        FilterPolicyScope: 'MessageBody',
        FilterPolicy: JSON.parse(JSON.stringify(snsFilterPolicyFor(PATTERNS[group]))) as object,
      });
    }
  });

  it("writes the generated policies as SNS expects them: exact strings and prefixes on 'type'", () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      FilterPolicy: {
        type: ['channel.created', 'reaction.new', { prefix: 'message.' }],
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      FilterPolicy: { type: [{ prefix: 'call.' }] },
    });
  });

  it("gives the '*' subscription no filter policy at all", () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^everything'), 'Arn'] },
      RawMessageDelivery: true,
      FilterPolicy: Match.absent(),
      FilterPolicyScope: Match.absent(),
    });
  });

  it('makes each subscription wait for its queue policy (SNS must be allowed first)', () => {
    const subscriptions = template.findResources('AWS::SNS::Subscription');
    for (const subscription of Object.values(subscriptions)) {
      expect((subscription as { DependsOn: string[] }).DependsOn).toEqual([
        expect.stringMatching(/Policy/),
      ]);
    }
  });

  it('subscribes without filter policies by default (Stream may not publish plain JSON)', () => {
    const compressed = topic();

    compressed.resourceCountIs('AWS::SNS::Subscription', 3);
    compressed.allResourcesProperties('AWS::SNS::Subscription', {
      RawMessageDelivery: true,
      FilterPolicy: Match.absent(),
      FilterPolicyScope: Match.absent(),
    });
  });

  it('gives each subscription its own dead-letter queue, so SNS keeps what it cannot deliver', () => {
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')) as {
      Properties: { Endpoint: { 'Fn::GetAtt': [string, string] }; RedrivePolicy?: unknown };
    }[];
    const targets = subscriptions.map((subscription) => {
      const group = subscription.Properties.Endpoint['Fn::GetAtt'][0].replace(/[A-F0-9]{8}$/, '');
      const redrive = subscription.Properties.RedrivePolicy as {
        deadLetterTargetArn: { 'Fn::GetAtt': [string, string] };
      };
      return [group, redrive.deadLetterTargetArn['Fn::GetAtt'][0]];
    });

    expect(targets).toHaveLength(3);
    for (const [group, target] of targets)
      expect(target).toMatch(new RegExp(`^TopicUndelivered${group}`));
    expect(new Set(targets.map(([, target]) => target)).size).toBe(3);
  });

  it('encrypts each subscription DLQ (SSE-SQS), keeps messages 14 days and takes up to 1 MiB', () => {
    const deadLetterQueues = Object.entries(template.findResources('AWS::SQS::Queue')).filter(
      ([id]) => id.startsWith('TopicUndelivered'),
    );

    expect(deadLetterQueues).toHaveLength(3);
    for (const [, queue] of deadLetterQueues) {
      expect((queue as { Properties: unknown }).Properties).toEqual({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1_209_600,
        MaximumMessageSize: 1_048_576,
      });
    }
  });

  it('lets only this topic send to a subscription DLQ, and only over TLS', () => {
    for (const group of Object.keys(PATTERNS)) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: Match.stringLikeRegexp(`^TopicUndelivered${group}`) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sqs:SendMessage',
              Principal: { Service: 'sns.amazonaws.com' },
              Condition: {
                ArnEquals: {
                  'aws:SourceArn': { Ref: Match.stringLikeRegexp('^Topic[0-9A-F]{8}$') },
                },
              },
            }),
          ]),
        },
      });
    }
  });

  it('refuses a FIFO queue, which a standard topic cannot deliver to', () => {
    const stack = new Stack(new App(), 'Test');
    const queue = new Queue(stack, 'Fifo', { fifo: true });

    expect(
      () =>
        new StreamTopic(stack, 'Topic', { subscribers: [{ group: 'a', patterns: ['*'], queue }] }),
    ).toThrow(/Topic: the queue of consumer group "a" is FIFO/);
  });

  it('names the group when its patterns need more filter values than SNS allows', () => {
    const stack = new Stack(new App(), 'Test');
    const patterns = Array.from({ length: 151 }, (_, index) => `custom.type${index}`);

    expect(
      () =>
        new StreamTopic(stack, 'Topic', {
          filterPolicies: true,
          subscribers: [{ group: 'many', patterns, queue: new Queue(stack, 'Q') }],
        }),
    ).toThrow(/Topic: consumer group "many": these event patterns need 151 values/);
  });
});
