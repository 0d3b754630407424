import { defineHandlers } from '../lib/domain/handlers.js';

/** Video: call lifecycle events. */
export const videoHandlers = defineHandlers({
  'call.session_started': async (event, { logger }) => {
    logger.info('call session started', { call_cid: event.call_cid, session_id: event.session_id });
  },
  'call.session_ended': async (event, { logger }) => {
    logger.info('call session ended', { call_cid: event.call_cid, session_id: event.session_id });
  },
});
