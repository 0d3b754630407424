import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Messages on a queue, visible or in flight. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  // local-aws-sqs counts in-flight messages in both, SQS only in the second: the larger of the
  // two is what is still there on either.
  return Math.max(
    Number(Attributes.ApproximateNumberOfMessages ?? 0),
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  );
}
