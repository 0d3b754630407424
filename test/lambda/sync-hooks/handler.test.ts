/**
 * The synchronous hooks' edge: the real handler and the real Powertools logger (output captured),
 * with fixed credentials. Timings are never asserted, only the budget's outcome.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COMMAND_FAILED,
  COMMAND_TIMED_OUT,
  createSyncHookHandler,
} from '../../../lambda/sync-hooks/handler.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import type { SyncHooks } from '../../../lambda/lib/domain/sync-hooks.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { streamSignature } from '../support/stream-signing.js';
import { LIMITS, ONE_KEY, SECRET, bodyOf, chatMessage, hookEvent } from './support.js';

const BMS = '/hooks/before-message-send';
const COMMANDS = '/hooks/custom-commands';
const PASS = '/hooks/pending-messages/PassOnPendingMessage';
const DELETED = '/hooks/pending-messages/DeletedPendingMessage';

const logger = createLogger('stream-events-hooks-test');
let logs: LogCapture;

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

function hookHandler(hooks: SyncHooks, budgetMs = 1000) {
  return createSyncHookHandler({ logger, credentials: ONE_KEY, limits: LIMITS, hooks, budgetMs });
}

const never = () => new Promise<never>(() => {});
const boom = () => {
  throw new Error('user code broke');
};

describe('verification (the webhook path’s code)', () => {
  const handler = hookHandler({ beforeMessageSend: () => ({ action: 'pass' }) });

  it.each([BMS, COMMANDS, PASS, DELETED])(
    'rejects a bad signature on %s with 401',
    async (path) => {
      const result = await handler(
        hookEvent({ path, body: chatMessage(), headers: { 'x-signature': 'ab'.repeat(32) } }),
      );
      expect(result.statusCode).toBe(401);
      expect(bodyOf(result)).toMatchObject({ error: 'bad_signature' });
    },
  );

  it('rejects an unknown API key with 401', async () => {
    const result = await handler(
      hookEvent({ path: BMS, body: chatMessage(), headers: { 'x-api-key': 'someone-else' } }),
    );
    expect(result.statusCode).toBe(401);
    expect(bodyOf(result)).toMatchObject({ error: 'unknown_api_key' });
  });

  it('rejects a request without X-Api-Key or X-Signature with 401', async () => {
    const noKey = await handler(
      hookEvent({ path: BMS, body: chatMessage(), headers: { 'x-api-key': undefined } }),
    );
    const noSignature = await handler(
      hookEvent({ path: BMS, body: chatMessage(), headers: { 'x-signature': undefined } }),
    );
    expect([noKey.statusCode, bodyOf(noKey)]).toEqual([
      401,
      expect.objectContaining({ error: 'missing_api_key' }),
    ]);
    expect([noSignature.statusCode, bodyOf(noSignature)]).toEqual([
      401,
      expect.objectContaining({ error: 'missing_signature' }),
    ]);
  });

  it('logs a rejection with the hook and reason, never the body', async () => {
    await handler(
      hookEvent({
        path: BMS,
        body: chatMessage({ text: 'secret-marker' }),
        headers: { 'x-signature': '00' },
      }),
    );
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        msg: 'hook rejected',
        hook: 'before-message-send',
        status: 401,
        reason: 'bad_signature',
      }),
    );
    expect(logs.text()).not.toContain('secret-marker');
  });

  it('verifies a gzipped body over its inflated bytes, like the webhook', async () => {
    const bytes = Buffer.from(JSON.stringify(chatMessage()));
    const event = hookEvent({
      path: BMS,
      body: chatMessage(),
      headers: { 'x-signature': streamSignature(bytes, SECRET) },
    });
    const zipped = { ...event, body: gzipSync(bytes).toString('base64'), isBase64Encoded: true };
    expect((await handler(zipped)).statusCode).toBe(200);
  });

  it('answers 413 for a body over the limit', async () => {
    const small = createSyncHookHandler({
      logger,
      credentials: ONE_KEY,
      limits: { ...LIMITS, maxBodyBytes: 10 },
      hooks: {},
    });
    expect((await small(hookEvent({ path: BMS, body: chatMessage() }))).statusCode).toBe(413);
  });
});

describe('malformed input', () => {
  const handler = hookHandler({
    beforeMessageSend: () => ({ action: 'pass' }),
    customCommands: { ticket: () => null },
  });

  it.each([
    ['not JSON', BMS, 'not json', 'bad_json'],
    ['an array', BMS, [1, 2], 'not_an_object'],
    ['no message', BMS, { user: { id: 'u' } }, 'missing_message'],
    ['a string message', BMS, { message: 'hi' }, 'missing_message'],
    ['a command without message', COMMANDS, { user: { id: 'u' } }, 'missing_message'],
    ['a command without a name', COMMANDS, chatMessage(), 'missing_command'],
  ])('answers 400 for %s', async (_name, path, body, reason) => {
    const result = await handler(hookEvent({ path, body }));
    expect(result.statusCode).toBe(400);
    expect(bodyOf(result)).toMatchObject({ error: reason });
  });

  it('accepts a body without "type" (sync hooks carry none)', async () => {
    expect((await handler(hookEvent({ path: BMS, body: chatMessage() }))).statusCode).toBe(200);
  });

  it('answers 404 for a path that is no hook', async () => {
    const result = await handler(hookEvent({ path: '/hooks/unknown', body: chatMessage() }));
    expect(result.statusCode).toBe(404);
  });
});

describe('Before Message Send', () => {
  it('maps pass to an empty object (message unchanged)', async () => {
    const handler = hookHandler({ beforeMessageSend: () => ({ action: 'pass' }) });
    const result = await handler(hookEvent({ path: BMS, body: chatMessage() }));
    expect([result.statusCode, bodyOf(result)]).toEqual([200, {}]);
  });

  it('maps rewrite to {"message": fields}', async () => {
    const handler = hookHandler({
      beforeMessageSend: ({ message }) => ({
        action: 'rewrite',
        message: { text: message.text?.toUpperCase(), silent: true },
      }),
    });
    const result = await handler(hookEvent({ path: BMS, body: chatMessage() }));
    expect([result.statusCode, bodyOf(result)]).toEqual([
      200,
      { message: { text: 'HELLO', silent: true } },
    ]);
  });

  it('maps reject to an error message', async () => {
    const handler = hookHandler({
      beforeMessageSend: () => ({ action: 'reject', text: 'Not here' }),
    });
    const result = await handler(hookEvent({ path: BMS, body: chatMessage() }));
    expect([result.statusCode, bodyOf(result)]).toEqual([
      200,
      { message: { type: 'error', text: 'Not here' } },
    ]);
  });

  it('hands the user code the typed input', async () => {
    let seen: unknown;
    const handler = hookHandler({
      beforeMessageSend: (input) => {
        seen = input;
        return { action: 'pass' };
      },
    });
    await handler(hookEvent({ path: BMS, body: chatMessage() }));
    expect(seen).toEqual(chatMessage());
  });

  it('passes through when no hook is defined', async () => {
    const result = await hookHandler({})(hookEvent({ path: BMS, body: chatMessage() }));
    expect([result.statusCode, bodyOf(result)]).toEqual([200, {}]);
  });

  it('fails open when the budget runs out, and logs it', async () => {
    let aborted = false;
    const handler = hookHandler(
      {
        beforeMessageSend: (_input, { signal }) => {
          signal.addEventListener('abort', () => (aborted = true));
          return never();
        },
      },
      20,
    );
    const result = await handler(hookEvent({ path: BMS, body: chatMessage() }));
    expect([result.statusCode, bodyOf(result)]).toEqual([200, {}]);
    expect(aborted).toBe(true);
    const line = logs.lines().find((l) => l.msg === 'hook budget exceeded');
    expect(line).toMatchObject({ hook: 'before-message-send', budget_ms: 20 });
    expect(typeof line?.elapsed_ms).toBe('number');
  });

  it('fails open when the user code throws, and logs it', async () => {
    const result = await hookHandler({ beforeMessageSend: boom })(
      hookEvent({ path: BMS, body: chatMessage() }),
    );
    expect([result.statusCode, bodyOf(result)]).toEqual([200, {}]);
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({
        msg: 'hook failed',
        hook: 'before-message-send',
        error_name: 'Error',
      }),
    );
  });

  it('fails open when the user code returns something that is no result', async () => {
    const handler = hookHandler({
      beforeMessageSend: () => ({ action: 'maybe' }) as never,
    });
    const result = await handler(hookEvent({ path: BMS, body: chatMessage() }));
    expect([result.statusCode, bodyOf(result)]).toEqual([200, {}]);
    expect(logs.lines()).toContainEqual(expect.objectContaining({ msg: 'hook failed' }));
  });
});

describe('Custom Commands', () => {
  const command = (fields: Record<string, unknown> = {}) =>
    chatMessage({
      text: '/ticket printer on fire',
      command: 'ticket',
      args: 'printer on fire',
      ...fields,
    });

  it('maps { message } to {"message": ...}', async () => {
    const handler = hookHandler({
      customCommands: { ticket: ({ args }) => ({ message: { type: 'ephemeral', text: args } }) },
    });
    const result = await handler(hookEvent({ path: COMMANDS, body: command() }));
    expect([result.statusCode, bodyOf(result)]).toEqual([
      200,
      { message: { type: 'ephemeral', text: 'printer on fire' } },
    ]);
  });

  it('maps { error } to an error message', async () => {
    const handler = hookHandler({
      customCommands: { ticket: () => ({ error: 'No tickets today' }) },
    });
    const result = await handler(hookEvent({ path: COMMANDS, body: command() }));
    expect(bodyOf(result)).toEqual({ message: { type: 'error', text: 'No tickets today' } });
  });

  it('maps null to {"message": null} (drop)', async () => {
    const handler = hookHandler({ customCommands: { ticket: () => null } });
    const result = await handler(hookEvent({ path: COMMANDS, body: command() }));
    expect([result.statusCode, bodyOf(result)]).toEqual([200, { message: null }]);
  });

  it('answers an unknown command with an error message and logs it', async () => {
    const handler = hookHandler({ customCommands: { ticket: () => null } });
    const result = await handler(
      hookEvent({ path: COMMANDS, body: command({ command: 'deploy' }) }),
    );
    expect([result.statusCode, bodyOf(result)]).toEqual([
      200,
      { message: { type: 'error', text: 'Unknown command /deploy' } },
    ]);
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ msg: 'unknown command', command: 'deploy' }),
    );
  });

  it('does not take inherited properties for commands', async () => {
    const handler = hookHandler({ customCommands: { ticket: () => null } });
    const result = await handler(
      hookEvent({ path: COMMANDS, body: command({ command: 'toString' }) }),
    );
    expect(bodyOf(result)).toEqual({
      message: { type: 'error', text: 'Unknown command /toString' },
    });
  });

  it('takes the name from ?type= when the message has no command', async () => {
    let name = '';
    const handler = hookHandler({
      customCommands: {
        ticket: (input) => {
          name = input.command;
          return null;
        },
      },
    });
    const result = await handler(
      hookEvent({
        path: COMMANDS,
        body: command({ command: undefined }),
        query: { type: 'ticket' },
      }),
    );
    expect([result.statusCode, name]).toEqual([200, 'ticket']);
  });

  it('prefers the signed message.command over an unsigned ?type=', async () => {
    const handler = hookHandler({ customCommands: { ticket: () => null } });
    const result = await handler(
      hookEvent({ path: COMMANDS, body: command(), query: { type: 'deploy' } }),
    );
    expect(bodyOf(result)).toEqual({ message: null });
  });

  it('passes form_data through to the command', async () => {
    let formData: unknown;
    const handler = hookHandler({
      customCommands: {
        ticket: (input) => {
          formData = input.form_data;
          return null;
        },
      },
    });
    await handler(
      hookEvent({ path: COMMANDS, body: { ...command(), form_data: { action: 'create' } } }),
    );
    expect(formData).toEqual({ action: 'create' });
  });

  it('answers "timed out" when the budget runs out', async () => {
    const handler = hookHandler({ customCommands: { ticket: never } }, 20);
    const result = await handler(hookEvent({ path: COMMANDS, body: command() }));
    expect([result.statusCode, bodyOf(result)]).toEqual([
      200,
      { message: { type: 'error', text: COMMAND_TIMED_OUT } },
    ]);
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ msg: 'hook budget exceeded', hook: 'custom-commands' }),
    );
  });

  it('answers an error message when the command throws', async () => {
    const handler = hookHandler({ customCommands: { ticket: boom } });
    const result = await handler(hookEvent({ path: COMMANDS, body: command() }));
    expect(bodyOf(result)).toEqual({ message: { type: 'error', text: COMMAND_FAILED } });
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ msg: 'hook failed', hook: 'custom-commands' }),
    );
  });
});

describe('pending messages', () => {
  const pending = { message: { id: 'msg-9', text: 'held' }, metadata: { reason: 'review' } };

  it('calls onPass and onDeleted by path and answers {}', async () => {
    const calls: string[] = [];
    const handler = hookHandler({
      pendingMessages: {
        onPass: ({ message }) => void calls.push(`pass:${message.id}`),
        onDeleted: ({ message }) => void calls.push(`deleted:${message.id}`),
      },
    });
    const passed = await handler(hookEvent({ path: PASS, body: pending }));
    const deleted = await handler(hookEvent({ path: DELETED, body: pending }));
    expect([passed.statusCode, bodyOf(passed), deleted.statusCode, bodyOf(deleted)]).toEqual([
      200,
      {},
      200,
      {},
    ]);
    expect(calls).toEqual(['pass:msg-9', 'deleted:msg-9']);
  });

  it('answers {} when the budget runs out or the code throws', async () => {
    const late = hookHandler({ pendingMessages: { onPass: never } }, 20);
    const broken = hookHandler({ pendingMessages: { onDeleted: boom } });
    const a = await late(hookEvent({ path: PASS, body: pending }));
    const b = await broken(hookEvent({ path: DELETED, body: pending }));
    expect([a.statusCode, bodyOf(a), b.statusCode, bodyOf(b)]).toEqual([200, {}, 200, {}]);
    const msgs = logs.lines().map((l) => l.msg);
    expect(msgs).toEqual(expect.arrayContaining(['hook budget exceeded', 'hook failed']));
  });
});
