import { defineHandlers } from '../lib/domain/handlers.js';

/** Feeds: activity events. */
export const feedsHandlers = defineHandlers({
  'feeds.activity.added': async (event, { logger }) => {
    logger.info('activity added', { fid: event.fid, activity_id: event.activity.id });
  },
});
