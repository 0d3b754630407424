/**
 * The baseline the issue measures us against: a webhook verifier written the way Stream's docs
 * show it (the StreamChat server client's `verifyWebhook`, `JSON.parse`, then the SQS client's
 * SendMessage), as a Lambda handler behind the same HTTP API. It does less than ours (no gzip,
 * size limits, key lookup, rotation or fan-out): the comparison is what its dependencies cost.
 */
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { StreamChat } from 'stream-chat';

const client = StreamChat.getInstance(
  process.env.STREAM_API_KEY ?? '',
  process.env.STREAM_API_SECRET ?? '',
);
const sqs = new SQSClient({});

export const handler = async (
  event: APIGatewayProxyEventV2,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (!client.verifyWebhook(body, event.headers['x-signature'] ?? '')) {
    return { statusCode: 401, body: 'invalid signature' };
  }
  const payload: unknown = JSON.parse(body.toString('utf8'));
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: process.env.QUEUE_URL,
      MessageBody: JSON.stringify(payload),
    }),
  );
  return { statusCode: 200, body: 'ok' };
};
