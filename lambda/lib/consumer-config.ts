import { positiveInteger } from './config.js';
import { DEFAULT_MAX_INFLATED_BYTES } from './gzip.js';

export interface ConsumerConfig {
  readonly group: string;
  readonly maxInflatedBytes: number;
}

/** Read and checked once, at cold start. The names are set by lib/event-consumer.ts. */
export function loadConsumerConfig(env: NodeJS.ProcessEnv = process.env): ConsumerConfig {
  return {
    group: env.CONSUMER_GROUP || 'all',
    maxInflatedBytes: positiveInteger(env, 'MAX_INFLATED_BYTES', DEFAULT_MAX_INFLATED_BYTES),
  };
}
