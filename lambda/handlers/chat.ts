import { defineHandlers } from '../lib/domain/handlers.js';

/** Chat: `event` is typed from the key, e.g. `message.new` gets the SDK's MessageNewEvent. */
export const chatHandlers = defineHandlers({
  'message.new': async (event, { logger }) => {
    // Log ids, never message text: handler logs end up in CloudWatch.
    logger.info('new message', { cid: event.cid, message_id: event.message.id });
  },
  'reaction.*': async (event, { logger }) => {
    logger.info('reaction changed', { type: event.type, message_id: event.message_id });
  },
});
