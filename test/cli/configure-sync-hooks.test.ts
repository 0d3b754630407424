import { beforeAll, describe, expect, it } from 'vitest';
import { configureCommand } from '../../cli/configure.js';
import {
  FOREIGN_HOOKS,
  STACK,
  stackOutputsWithSyncHooks,
  writeOutputsFile,
} from '../support/fake-stream-api.js';
import {
  useFakeStreamApi,
  type CommandRun,
  type RunOptions,
} from '../support/use-fake-stream-api.js';

const stream = useFakeStreamApi({
  tmpPrefix: 'configure-sync-test-',
  hooks: FOREIGN_HOOKS.map((hook) => hook.get),
  outputs: stackOutputsWithSyncHooks(),
});
const { api } = stream;
const COMMANDS_URL = `${STACK.customCommandsUrl}?type={type}`;
let withoutHooksFile: string;

// Registered after the fixture's, so the folder exists.
beforeAll(async () => {
  withoutHooksFile = await writeOutputsFile(stream.dir());
});

function configure(args: readonly string[], options?: RunOptions): Promise<CommandRun> {
  return stream.run(configureCommand, args, options);
}

describe('configure --path before-message-send', () => {
  it('PATCHes exactly {"before_message_send_hook_url": <BeforeMessageSendUrl>}', async () => {
    const { code, out } = await configure(['--path', 'before-message-send', '--yes']);

    expect(code).toBe(0);
    const patches = api.patches();
    expect(patches).toHaveLength(1);
    expect(patches[0]?.body).toBe(
      JSON.stringify({ before_message_send_hook_url: STACK.beforeMessageSendUrl }),
    );
    expect(patches[0]?.status).toBe(201);
    expect(api.settings.get('before_message_send_hook_url')).toBe(STACK.beforeMessageSendUrl);
    expect(out).toMatch(/before\s+\(not set\)/);
    expect(out).toContain(`after   ${STACK.beforeMessageSendUrl}`);
    expect(out).toContain('Applied');
  });

  it('changes nothing on a second run: no second PATCH, event_hooks untouched', async () => {
    await configure(['--path', 'before-message-send', '--yes']);
    const { code, out } = await configure(['--path', 'before-message-send', '--yes']);

    expect(code).toBe(0);
    expect(api.patches()).toHaveLength(1);
    expect(out).toContain('Nothing to change');
    expect(api.hooks).toEqual(FOREIGN_HOOKS.map((hook) => hook.get));
  });

  it('shows the value it replaces', async () => {
    api.reset([], { before_message_send_hook_url: 'https://old.example.com/bms' });

    const { out } = await configure(['--path', 'before-message-send', '--yes']);

    expect(out).toContain('before  https://old.example.com/bms');
    expect(api.settings.get('before_message_send_hook_url')).toBe(STACK.beforeMessageSendUrl);
  });

  it('sends nothing on a dry run, and reports it as JSON', async () => {
    api.reset([], { before_message_send_hook_url: 'https://old.example.com/bms' });

    const { code, out, err } = await configure([
      '--path',
      'before-message-send',
      '--dry-run',
      '--json',
    ]);

    expect(code).toBe(0);
    expect(api.patches()).toHaveLength(0);
    expect(JSON.parse(out)).toEqual({
      path: 'before-message-send',
      setting: 'before_message_send_hook_url',
      before: 'https://old.example.com/bms',
      after: STACK.beforeMessageSendUrl,
      changed: true,
      applied: false,
    });
    expect(err).toContain('Dry run: nothing sent.');
  });

  it('refuses without --yes off a terminal, and applies after a yes on one', async () => {
    const refused = await configure(['--path', 'before-message-send']);
    expect(refused.code).toBe(1);
    expect(api.patches()).toHaveLength(0);

    const declined = await configure(['--path', 'before-message-send'], {
      interactive: true,
      answer: false,
    });
    expect(declined.code).toBe(1);
    expect(api.patches()).toHaveLength(0);

    const accepted = await configure(['--path', 'before-message-send'], {
      interactive: true,
      answer: true,
    });
    expect(accepted.code).toBe(0);
    expect(api.patches()).toHaveLength(1);
  });

  it('explains a stack without the hooks: exit 1, no PATCH', async () => {
    const { code, err } = await configure(['--path', 'before-message-send', '--yes'], {
      file: withoutHooksFile,
    });

    expect(code).toBe(1);
    expect(err).toContain('no output BeforeMessageSendUrl');
    expect(err).toContain('syncHooks');
    expect(api.patches()).toHaveLength(0);
  });
});

describe('configure --path custom-commands', () => {
  it('PATCHes exactly {"custom_action_handler_url": <CustomCommandsUrl>?type={type}}', async () => {
    const { code } = await configure(['--path', 'custom-commands', '--yes']);

    expect(code).toBe(0);
    expect(api.patches().map((patch) => patch.body)).toEqual([
      JSON.stringify({ custom_action_handler_url: COMMANDS_URL }),
    ]);
  });

  it('is idempotent, and reports keep as JSON', async () => {
    await configure(['--path', 'custom-commands', '--yes']);
    const { out } = await configure(['--path', 'custom-commands', '--yes', '--json']);

    expect(api.patches()).toHaveLength(1);
    expect(JSON.parse(out)).toEqual({
      path: 'custom-commands',
      setting: 'custom_action_handler_url',
      before: COMMANDS_URL,
      after: COMMANDS_URL,
      changed: false,
      applied: false,
    });
  });

  it('rejects --group', async () => {
    const { code, err } = await configure(['--path', 'custom-commands', '--group', 'all']);

    expect(code).not.toBe(0);
    expect(err).toContain('--group applies to --path sqs only');
  });
});

describe('configure --path pending-messages', () => {
  const HOOK = {
    hook_type: 'pending_message',
    enabled: true,
    webhook_url: STACK.pendingMessagesUrl,
    callback: { mode: 'CALLBACK_MODE_REST' },
  };

  it('appends a pending_message hook, keeping every other hook byte for byte', async () => {
    const { code } = await configure(['--path', 'pending-messages', '--yes']);

    expect(code).toBe(0);
    // The foreign pending_message hook on the webhook URL is not ours: it stays.
    expect(api.patches()[0]?.body).toBe(
      `{"event_hooks":[${FOREIGN_HOOKS.map((hook) => hook.patched).join(',')},${JSON.stringify(HOOK)}]}`,
    );
  });

  it('updates ours in place and keeps its timeout_ms; no PATCH the second time', async () => {
    api.reset([
      `{"id":"pm-1","hook_type":"pending_message","enabled":false,"webhook_url":"${STACK.pendingMessagesUrl}","timeout_ms":4000,"callback":{"mode":"CALLBACK_MODE_TWIRP"}}`,
    ]);

    await configure(['--path', 'pending-messages', '--yes']);
    await configure(['--path', 'pending-messages', '--yes']);

    expect(api.patches()).toHaveLength(1);
    expect(JSON.parse(api.patches()[0]?.body ?? '{}')).toEqual({
      event_hooks: [{ id: 'pm-1', ...HOOK, timeout_ms: 4000 }],
    });
  });
});
