import { syncHooksHandler } from '../sync-hooks/lambda.js';
import { defineSyncHooks } from '../lib/domain/sync-hooks.js';
import { messageGuard } from './sync-hooks/message-guard.js';
import { ticketCommand } from './sync-hooks/ticket-command.js';

/**
 * The synchronous hooks' user code: the hook function's entry unless `syncHooks.entry` names
 * another file. Each answers within the budget (`HOOK_BUDGET_MS`) or the hook answers fail-open:
 * keep them fast.
 */
export const hooks = defineSyncHooks({
  // Before Message Send: reject blocklisted words, mask e-mail addresses and phone numbers.
  beforeMessageSend: messageGuard({ blocklist: ['scam', 'crypto-giveaway'] }),

  // Custom Commands, by name: `/ticket printer on fire`.
  customCommands: {
    ticket: ticketCommand(),
  },

  // Pending messages. To publish one, call commitPendingMessage (lambda/lib/adapters/stream-commit.ts)
  // from onPass: it pulls jose into this bundle, so only import it where it is used.
  pendingMessages: {
    onPass: ({ message }, { logger }) => {
      // Ids only: message text never goes to the logs.
      logger.info('pending message', { message_id: message.id });
    },
    onDeleted: ({ message }, { logger }) => {
      logger.info('pending message deleted', { message_id: message.id });
    },
  },
});

/**
 * The hook function's Lambda entry. Any hooks file can be the entry (`syncHooks.entry`): export
 * its `hooks` and this line.
 */
export const handler = syncHooksHandler(hooks);
