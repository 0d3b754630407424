import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { SQSClient } from '@aws-sdk/client-sqs';
import { clientOptions } from '../lambda/lib/adapters/aws-clients/timeouts.js';

/** The part of the SDK's HTTP request the canned answer needs. */
interface SdkRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

const MESSAGE_BODY = Buffer.from('"MessageBody":"');
const QUOTE = 0x22;

function bytesOf(body: unknown): Buffer {
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.length);
  return Buffer.alloc(0);
}

/**
 * The SDK checks the MD5 SQS returns against the body it sent, so the answer must carry the right
 * one. Bodies repeat across a series (one input timed many times), so each is hashed once:
 * the time measured is the client's and ours, not this stand-in's.
 */
function md5Memo(): (messageBody: Buffer) => string {
  const memo = new Map<string, string>();
  return (messageBody) => {
    const key = messageBody.toString('latin1');
    let md5 = memo.get(key);
    if (md5 === undefined) {
      if (memo.size > 64) memo.clear();
      md5 = createHash('md5').update(messageBody).digest('hex');
      memo.set(key, md5);
    }
    return md5;
  };
}

function response(headers: Record<string, string>, body: string) {
  return { response: { statusCode: 200, headers, body: Readable.from([Buffer.from(body)]) } };
}

/**
 * An SDK request handler that answers in process, where the HTTP client would have gone to the
 * network: every middleware (serialization, SigV4 signing, retries, MD5 check, parsing) still
 * runs. SendMessage gets SQS's JSON answer; anything else (an S3 PutObject, say) a bare 200.
 */
export function cannedRequestHandler() {
  const md5Of = md5Memo();
  let messageId = 0;
  return {
    handle: async (request: SdkRequest) => {
      if (request.headers['x-amz-target'] !== 'AmazonSQS.SendMessage') {
        return response({ etag: '"bench"' }, '');
      }
      const body = bytesOf(request.body);
      const start = body.indexOf(MESSAGE_BODY) + MESSAGE_BODY.length;
      const end = body.indexOf(QUOTE, start);
      messageId += 1;
      return response(
        { 'content-type': 'application/x-amz-json-1.0' },
        JSON.stringify({
          MD5OfMessageBody: md5Of(body.subarray(start, end)),
          MessageId: `bench-${messageId}`,
        }),
      );
    },
  };
}

/** The verifier's SQS client as lambda/lib/adapters/aws-clients builds it, answered in process. */
export function cannedSqsClient(): SQSClient {
  return new SQSClient({
    ...clientOptions,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: cannedRequestHandler(),
  });
}
