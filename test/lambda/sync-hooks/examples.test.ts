/** The shipped examples (lambda/handlers/sync-hooks.ts) through the real hook handler. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hooks } from '../../../lambda/handlers/sync-hooks.js';
import { maskPii } from '../../../lambda/handlers/sync-hooks/message-guard.js';
import { ticketCommand } from '../../../lambda/handlers/sync-hooks/ticket-command.js';
import { createSyncHookHandler } from '../../../lambda/sync-hooks/handler.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { LIMITS, ONE_KEY, bodyOf, chatMessage, hookEvent } from './support.js';

const handler = createSyncHookHandler({
  logger: createLogger('stream-events-hooks-test'),
  credentials: ONE_KEY,
  limits: LIMITS,
  hooks,
});
let logs: LogCapture;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
});

async function send(text: string) {
  return bodyOf(
    await handler(hookEvent({ path: '/hooks/before-message-send', body: chatMessage({ text }) })),
  );
}

describe('the message guard', () => {
  it('rejects a blocklisted word, whatever its case', async () => {
    expect(await send('this is not a SCAM, promise')).toEqual({
      message: { type: 'error', text: expect.stringContaining('blocked word') },
    });
  });

  it('does not reject a word that merely contains a blocklisted one', async () => {
    expect(await send('scampi for dinner')).toEqual({});
  });

  it('masks e-mail addresses and phone numbers', async () => {
    expect(await send('mail jane.doe+x@example.co.uk or call +1 (555) 123-4567')).toEqual({
      message: { text: 'mail [email] or call [phone]' },
    });
  });

  it('passes a message without PII unchanged', async () => {
    expect(await send('meet at 10:30 in room 2024')).toEqual({});
  });

  it.each([
    ['call 0612345678 now', 'call [phone] now'],
    ['+44 20 7946 0958', '[phone]'],
    ['order 12345 shipped', 'order 12345 shipped'],
  ])('maskPii(%j)', (input, output) => {
    expect(maskPii(input)).toBe(output);
  });
});

describe('the /ticket command', () => {
  const ticket = (fields: Record<string, unknown> = {}, formData?: Record<string, string>) =>
    handler(
      hookEvent({
        path: '/hooks/custom-commands',
        query: { type: 'ticket' },
        body: {
          ...chatMessage({
            text: '/ticket printer on fire',
            command: 'ticket',
            args: 'printer on fire',
            ...fields,
          }),
          ...(formData ? { form_data: formData } : {}),
        },
      }),
    );

  it('first shows an ephemeral preview with Create / Cancel buttons', async () => {
    const body = bodyOf(await ticket()) as { message: Record<string, unknown> };
    expect(body.message).toMatchObject({
      type: 'ephemeral',
      attachments: [
        {
          actions: [
            { name: 'action', type: 'button', text: 'Create ticket', value: 'create' },
            { name: 'action', type: 'button', text: 'Cancel', value: 'cancel' },
          ],
        },
      ],
    });
  });

  it('creates the ticket as a regular message on "create"', async () => {
    expect(bodyOf(await ticket({}, { action: 'create' }))).toEqual({
      message: {
        type: 'regular',
        text: expect.stringMatching(/^Ticket #\d+ created: printer on fire$/),
        attachments: [],
      },
    });
  });

  it('drops the message on "cancel"', async () => {
    expect(bodyOf(await ticket({}, { action: 'cancel' }))).toEqual({ message: null });
  });

  it('asks for a description when there is none', async () => {
    expect(bodyOf(await ticket({ args: '' }))).toEqual({
      message: { type: 'error', text: 'Usage: /ticket <description>' },
    });
  });

  it('uses the ticket number it is given', async () => {
    const command = ticketCommand({ newTicketNumber: () => '42' });
    const result = await command(
      { command: 'ticket', args: 'x', message: {}, form_data: { action: 'create' } },
      { logger: createLogger('t'), signal: new AbortController().signal },
    );
    expect(result).toMatchObject({ message: { text: 'Ticket #42 created: x' } });
  });
});

describe('the pending-message handlers', () => {
  it('log the message id, never its text', async () => {
    const body = { message: { id: 'msg-77', text: 'pending-text-marker' }, metadata: { k: 'v' } };
    const result = await handler(
      hookEvent({ path: '/hooks/pending-messages/PassOnPendingMessage', body }),
    );
    expect(bodyOf(result)).toEqual({});
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ msg: 'pending message', message_id: 'msg-77' }),
    );
    expect(logs.text()).not.toContain('pending-text-marker');
  });
});
