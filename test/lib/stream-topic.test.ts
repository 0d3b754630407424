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
