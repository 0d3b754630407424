import type { DevPipeline } from './pipeline.js';

/** The first stdout line of `npm run dev`: where to send, and with which key. */
export function readyMessage(
  pipeline: Pick<DevPipeline, 'webhookUrl' | 'sqsEndpoint' | 'queues'>,
  credentials: {
    readonly apiKey: string;
    readonly apiSecret: string;
    readonly secretFromEnv: boolean;
  },
): Record<string, unknown> {
  return {
    msg: 'dev pipeline ready',
    webhook_url: pipeline.webhookUrl,
    sqs_endpoint: pipeline.sqsEndpoint,
    queues: {
      all: { queue_url: pipeline.queues.all.queueUrl, dlq_url: pipeline.queues.all.dlqUrl },
    },
    api_key: credentials.apiKey,
    // A real secret is never echoed; the dev default is printed so `send` can be pointed at it.
    api_secret: credentials.secretFromEnv ? '(from STREAM_API_SECRET)' : credentials.apiSecret,
  };
}
