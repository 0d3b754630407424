import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EventQueue, type EventQueueProps } from '../../lib/event-queue.js';

function queue(props: EventQueueProps = {}): Template {
  const stack = new Stack(new App(), 'Test');
  new EventQueue(stack, 'Events', props);
  return Template.fromStack(stack);
}

describe('EventQueue', () => {
  it('is a standard queue with no statement for Stream by default', () => {
    const template = queue();

    template.allResourcesProperties('AWS::SQS::Queue', { FifoQueue: Match.absent() });
    expect(JSON.stringify(template.toJSON())).not.toContain('185583345998');
  });

  it("lets Stream's account write to the queue, not to the DLQ, when asked", () => {
    const template = queue({ allowStreamAccount: true });

    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'AllowStreamDirectDelivery',
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::185583345998:root' },
              Action: [
                'sqs:SendMessage',
                'sqs:SendMessageBatch',
                'sqs:GetQueueAttributes',
                'sqs:GetQueueUrl',
              ],
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsQueue'), 'Arn'] },
            },
          ]),
        },
      },
      1,
    );
  });

  it('makes the queue and its DLQ FIFO, deduplicated by the sender, per message group', () => {
    const template = queue({ fifo: true });

    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.allResourcesProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      SqsManagedSseEnabled: true,
    });
  });

  it("refuses FIFO together with Stream's direct delivery (Stream sets no MessageGroupId)", () => {
    expect(() => queue({ fifo: true, allowStreamAccount: true })).toThrow(
      /Events: a FIFO queue cannot take Stream's direct SQS deliveries/,
    );
  });
});
