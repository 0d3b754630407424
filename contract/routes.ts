/**
 * The HTTP routes Stream calls: the stack serves them on its HTTP API (lib/webhook-ingress.ts,
 * lib/sync-hooks.ts), `npm run dev` serves them locally (dev/webhook-server.ts) and `send` posts
 * to them (cli/). Stream is configured with URLs ending in these, so they never change.
 */

/** Where Stream's webhook deliveries arrive. */
export const WEBHOOK_PATH = '/webhook';

/** Stream's synchronous hooks, all served by the one hook function. */
export const SYNC_HOOK_PATHS = {
  beforeMessageSend: '/hooks/before-message-send',
  customCommands: '/hooks/custom-commands',
  pendingMessages: '/hooks/pending-messages',
} as const;

/** The two callbacks Stream POSTs below a pending_message hook's `webhook_url`. */
export const PENDING_MESSAGE_CALLBACKS = ['PassOnPendingMessage', 'DeletedPendingMessage'] as const;
