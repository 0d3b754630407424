import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendSyncHook, type SendSyncHookOptions } from '../../cli/send-sync-hook.js';
import { loadSyncHookRuntime } from '../../dev/sync-hook-runtime.js';
import { startDevPipeline, type DevPipeline } from '../../dev/pipeline.js';
import { readyMessage } from '../../dev/ready-message.js';
import { CUSTOM_HOOKS_MARKER } from '../fixtures/sync-hooks-entry.js';

/** The synchronous hooks end to end: `send --hook` → the dev server → the hook Lambda → the examples. */
describe('npm run dev serves the synchronous hooks', () => {
  const secret = 'hooks-test-secret';
  let pipeline: DevPipeline;
  let urls: NonNullable<DevPipeline['hookUrls']>;

  beforeAll(async () => {
    pipeline = await startDevPipeline({
      port: 0,
      sqsPort: 0,
      apiSecret: secret,
      startPolling: false,
    });
    urls = pipeline.hookUrls!;
  }, 30_000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const call = (
    overrides: Partial<SendSyncHookOptions> & Pick<SendSyncHookOptions, 'hook' | 'url'>,
  ) =>
    sendSyncHook(
      { apiKey: 'dev-api-key', secret, gzip: false, timeoutMs: 1_500, ...overrides },
      { print: () => {} },
    );
  const beforeMessageSend = (text: string) =>
    call({ hook: 'before-message-send', url: urls.beforeMessageSendUrl, text });
  const ticket = (formData?: Record<string, string>) =>
    call({
      hook: 'custom-commands',
      url: urls.customCommandsUrl,
      command: 'ticket',
      ...(formData === undefined ? {} : { formData }),
    });

  it('lists the hook URLs in the ready line, next to the unchanged fields', () => {
    const line = readyMessage(pipeline, {
      apiKey: 'dev-api-key',
      apiSecret: secret,
      secretFromEnv: true,
    });

    expect(line).toMatchObject({
      msg: 'dev pipeline ready',
      webhook_url: pipeline.webhookUrl,
      hooks: {
        before_message_send_url: expect.stringMatching(
          /^http:\/\/127\.0\.0\.1:\d+\/hooks\/before-message-send$/,
        ),
        custom_commands_url: expect.stringMatching(/\/hooks\/custom-commands$/),
        pending_messages_url: expect.stringMatching(/\/hooks\/pending-messages$/),
      },
    });
  });

  it('passes a clean message unchanged', async () => {
    const result = await beforeMessageSend('Is the release still on for Friday?');

    expect(result).toMatchObject({ ok: true, outcome: 200, answer: {} });
  });

  it('rejects a message with a blocklisted word', async () => {
    const result = await beforeMessageSend('Free crypto-giveaway, click here');

    expect(result.outcome).toBe(200);
    expect(result.answer).toEqual({
      message: { type: 'error', text: expect.stringContaining('blocked word') },
    });
  });

  it('rewrites a message holding an e-mail address, masking it', async () => {
    const result = await beforeMessageSend('Write to alice@example.com please');

    expect(result.outcome).toBe(200);
    expect(result.answer).toEqual({ message: { text: 'Write to [email] please' } });
  });

  it('/ticket answers an ephemeral preview with Create and Cancel buttons', async () => {
    const result = await ticket();

    expect(result.url).toMatch(/\/hooks\/custom-commands\?type=ticket$/);
    expect(result.outcome).toBe(200);
    expect(result.answer).toMatchObject({
      message: {
        type: 'ephemeral',
        attachments: [
          {
            actions: [
              { name: 'action', type: 'button', value: 'create' },
              { name: 'action', type: 'button', value: 'cancel' },
            ],
          },
        ],
      },
    });
  });

  it('/ticket with form_data action=create posts the ticket', async () => {
    const result = await ticket({ action: 'create' });

    expect(result.outcome).toBe(200);
    expect(result.answer).toMatchObject({
      message: {
        type: 'regular',
        text: expect.stringMatching(/^Ticket #\d+ created: The printer on floor 3 is jammed$/),
      },
    });
  });

  it('/ticket with form_data action=cancel drops the message', async () => {
    const result = await ticket({ action: 'cancel' });

    expect(result).toMatchObject({ ok: true, outcome: 200, answer: { message: null } });
  });

  it.each([
    ['pending-pass', '/PassOnPendingMessage'],
    ['pending-deleted', '/DeletedPendingMessage'],
  ] as const)('acknowledges %s', async (hook, suffix) => {
    const result = await call({ hook, url: `${urls.pendingMessagesUrl}${suffix}` });

    expect(result).toMatchObject({ ok: true, outcome: 200 });
  });

  it('refuses a request signed with the wrong secret with 401', async () => {
    const result = await sendSyncHook(
      {
        hook: 'before-message-send',
        url: urls.beforeMessageSendUrl,
        apiKey: 'dev-api-key',
        secret: 'not-the-secret',
        gzip: false,
        timeoutMs: 1_500,
      },
      { print: () => {} },
    );

    expect(result).toMatchObject({ ok: false, outcome: 401 });
  });

  it('answers 404 on a path that is no route', async () => {
    const result = await call({
      hook: 'before-message-send',
      url: urls.beforeMessageSendUrl.replace('before-message-send', 'after-message-send'),
    });

    expect(result).toMatchObject({ ok: false, outcome: 404 });
  });

  it('serves the hooks of a custom entry, loaded as `npm run dev` loads syncHooks.entry', async () => {
    const custom = await startDevPipeline({
      port: 0,
      sqsPort: 0,
      apiSecret: secret,
      startPolling: false,
      hookRuntime: await loadSyncHookRuntime('test/fixtures/sync-hooks-entry.ts'),
    });
    try {
      const result = await call({
        hook: 'before-message-send',
        url: custom.hookUrls!.beforeMessageSendUrl,
        text: 'Is the release still on for Friday?',
      });

      expect(result.outcome).toBe(200);
      expect(result.answer).toEqual({
        message: { type: 'error', text: `refused by ${CUSTOM_HOOKS_MARKER}` },
      });
    } finally {
      await custom.stop();
    }
  });

  it('serves no hook routes when told not to', async () => {
    const bare = await startDevPipeline({
      port: 0,
      sqsPort: 0,
      startPolling: false,
      hookRuntime: false,
    });
    try {
      expect(bare.hookUrls).toBeUndefined();
      const response = await fetch(
        bare.webhookUrl.replace('/webhook', '/hooks/before-message-send'),
        {
          method: 'POST',
          body: '{}',
        },
      );
      expect(response.status).toBe(404);
    } finally {
      await bare.stop();
    }
  });
});
