import { handlers } from '../handlers/index.js';
import { loadConsumerConfig } from '../lib/consumer-config.js';
import { createLogger } from '../lib/logger.js';
import { createConsumerHandler } from './handler.js';

const config = loadConsumerConfig();

export const handler = createConsumerHandler({
  group: config.group,
  handlers,
  logger: createLogger('stream-events-consumer'),
  maxInflatedBytes: config.maxInflatedBytes,
});
