import { randomInt } from 'node:crypto';
import type { CustomCommandHook } from '../../lib/domain/sync-hooks.js';

export interface TicketCommandOptions {
  /** Makes the new ticket's number; a real one would create it in the ticketing system. */
  readonly newTicketNumber?: () => string | Promise<string>;
}

/** The `action` button values, sent back as `form_data.action`. */
export const CREATE = 'create';
export const CANCEL = 'cancel';

/**
 * `/ticket <description>`: first an ephemeral preview (only the sender sees it) with two
 * buttons; "Create ticket" turns it into a regular message, "Cancel" drops it.
 */
export function ticketCommand(options: TicketCommandOptions = {}): CustomCommandHook {
  const newTicketNumber = options.newTicketNumber ?? (() => String(randomInt(10_000, 100_000)));
  return async ({ args, form_data }) => {
    const description = args.trim();
    const action = form_data?.action;
    if (action === CANCEL) return null;
    if (description === '') return { error: 'Usage: /ticket <description>' };
    if (action === CREATE) {
      const number = await newTicketNumber();
      return {
        message: {
          type: 'regular',
          text: `Ticket #${number} created: ${description}`,
          attachments: [],
        },
      };
    }
    return {
      message: {
        type: 'ephemeral',
        text: `Create a support ticket for "${description}"?`,
        attachments: [
          {
            type: 'text',
            title: 'New support ticket',
            text: description,
            actions: [
              {
                name: 'action',
                text: 'Create ticket',
                type: 'button',
                style: 'primary',
                value: CREATE,
              },
              { name: 'action', text: 'Cancel', type: 'button', style: 'default', value: CANCEL },
            ],
          },
        ],
      },
    };
  };
}
