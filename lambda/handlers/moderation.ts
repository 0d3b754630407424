import { defineHandlers } from '../lib/domain/handlers.js';

/** Moderation: content flagged for review. */
export const moderationHandlers = defineHandlers({
  'moderation.flagged': async (event, { logger }) => {
    logger.info('content flagged', {
      content_type: event.content_type,
      object_id: event.object_id,
    });
  },
});
