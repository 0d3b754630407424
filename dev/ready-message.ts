import type { DevPipeline } from './pipeline.js';

/** The first stdout line of `npm run dev`: where to send, and with which key. */
export function readyMessage(
  pipeline: Pick<
    DevPipeline,
    'webhookUrl' | 'hookUrls' | 'sqsEndpoint' | 'dynamoDbEndpoint' | 'idempotencyTable' | 'queues'
  >,
  credentials: {
    readonly apiKey: string;
    readonly apiSecret: string;
    readonly secretFromEnv: boolean;
  },
): Record<string, unknown> {
  return {
    msg: 'dev pipeline ready',
    webhook_url: pipeline.webhookUrl,
    // Stream's synchronous hooks, when served: what `configure` sets as the app's hook URLs.
    ...(pipeline.hookUrls === undefined
      ? {}
      : {
          hooks: {
            before_message_send_url: pipeline.hookUrls.beforeMessageSendUrl,
            custom_commands_url: pipeline.hookUrls.customCommandsUrl,
            pending_messages_url: pipeline.hookUrls.pendingMessagesUrl,
          },
        }),
    sqs_endpoint: pipeline.sqsEndpoint,
    // Every group's queue, so a person can drop a Stream-format message into any of them.
    queues: Object.fromEntries(
      Object.entries(pipeline.queues).map(([group, queue]) => [
        group,
        { queue_url: queue.queueUrl, dlq_url: queue.dlqUrl, patterns: queue.patterns },
      ]),
    ),
    dynamodb_endpoint: pipeline.dynamoDbEndpoint,
    idempotency_table: pipeline.idempotencyTable,
    api_key: credentials.apiKey,
    // A real secret is never echoed; the dev default is printed so `send` can be pointed at it.
    api_secret: credentials.secretFromEnv ? '(from STREAM_API_SECRET)' : credentials.apiSecret,
  };
}
