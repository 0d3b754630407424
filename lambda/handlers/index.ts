import { defineHandlers } from '../lib/handlers.js';
import { chatHandlers } from './chat.js';
import { feedsHandlers } from './feeds.js';
import { moderationHandlers } from './moderation.js';
import { videoHandlers } from './video.js';

/**
 * Every handler the consumer runs, by event pattern: an exact type, a prefix (`message.*`) or
 * `*`. The most specific one takes an event; an event none takes is logged and acknowledged.
 */
export const handlers = defineHandlers({
  ...chatHandlers,
  ...videoHandlers,
  ...feedsHandlers,
  ...moderationHandlers,
});
