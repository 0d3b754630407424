import { consumerHandler } from '../consumer/lambda.js';
import { defineHandlers } from '../lib/domain/handlers.js';
import { chatHandlers } from './chat.js';
import { feedsHandlers } from './feeds.js';
import { moderationHandlers } from './moderation.js';
import { videoHandlers } from './video.js';

/**
 * Every handler the consumer runs, by event pattern: an exact type, a prefix (`message.*`) or
 * `*`. The most specific one takes an event; an event none takes is logged and acknowledged.
 * A consumer group runs only the events of its own patterns (the stack's `consumers[].events`).
 */
export const handlers = defineHandlers({
  ...chatHandlers,
  ...videoHandlers,
  ...feedsHandlers,
  ...moderationHandlers,
});

/**
 * The Lambda entry of the groups whose `entry` is this file (the default group's is). Any handler
 * file can be a group's entry: export its `handlers` and this line.
 */
export const handler = consumerHandler(handlers);
