/**
 * `configure` against an app not yet on multiple event hooks (`use_hook_v2` false): Stream stores
 * `event_hooks` but delivers to the single legacy settings alone, so configure must not report
 * success for them; `--legacy` sets the legacy setting instead.
 */
import { describe, expect, it } from 'vitest';
import { configureCommand } from '../../cli/configure.js';
import { STACK, stackOutputsWithSyncHooks, writeOutputsFile } from '../support/fake-stream-api.js';
import { fakeIO, type FakeIO } from '../support/fake-io.js';
import { useFakeStreamApi, type CommandRun } from '../support/use-fake-stream-api.js';

const stream = useFakeStreamApi({ tmpPrefix: 'configure-legacy-test-' });
const { api, env: ENV } = stream;

function configure(args: readonly string[], io?: FakeIO): Promise<CommandRun> {
  return stream.run(configureCommand, args, { io });
}

function patchBody(index = 0): unknown {
  const patch = api.patches()[index];
  if (patch === undefined) throw new Error(`no PATCH #${index}`);
  return JSON.parse(patch.body);
}

const OUR_WEBHOOK = `{"id":"ours-1","hook_type":"webhook","enabled":true,"webhook_url":"${STACK.webhookUrl}","event_types":${JSON.stringify(STACK.webhookTypes)}}`;

describe('configure on an app not yet on multiple event hooks', () => {
  it.each(['webhook', 'sqs', 'sns'])(
    '--path %s: sends nothing, says why plainly, offers --legacy: exit 1',
    async (path) => {
      api.useHookV2 = false;

      const { code, out, err } = await configure(['--path', path, '--yes']);

      expect(code).toBe(1);
      expect(api.patches()).toHaveLength(0);
      expect(out).not.toContain('Applied');
      expect(err).toContain(
        'not applied: this Stream app is not on multiple event hooks yet (use_hook_v2 is false)',
      );
      expect(err).toContain('Stream ignores event_hooks');
      expect(err).toContain('--legacy');
    },
  );

  it('does not say "nothing to change" when our hook is already in the ignored event_hooks', async () => {
    api.reset([OUR_WEBHOOK]);
    api.useHookV2 = false;

    const { code, out, err } = await configure(['--path', 'webhook', '--yes']);

    expect(code).toBe(1);
    expect(out).not.toContain('Nothing to change');
    expect(err).toContain('use_hook_v2 is false');
  });

  it('fails a dry run too, and prints {"error"} with --json', async () => {
    api.useHookV2 = false;

    const dry = await configure(['--path', 'webhook', '--dry-run']);
    const json = await configure(['--path', 'webhook', '--yes', '--json']);

    expect(dry.code).toBe(1);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toEqual({
      error: expect.stringContaining('use_hook_v2 is false'),
    });
    expect(api.patches()).toHaveLength(0);
  });

  it('--path pending-messages: no legacy setting to offer: exit 1', async () => {
    const file = await writeOutputsFile(stream.dir(), stackOutputsWithSyncHooks());
    api.useHookV2 = false;

    const { code, err } = await stream.run(configureCommand, ['--path', 'pending-messages'], {
      file,
    });

    expect(code).toBe(1);
    expect(err).toContain('use_hook_v2 is false');
    expect(err).toContain('pending_message hooks exist only in event_hooks');
    expect(err).not.toContain('--legacy');
    expect(api.patches()).toHaveLength(0);
  });

  it('still sets the synchronous hooks, which are app settings of their own', async () => {
    const file = await writeOutputsFile(stream.dir(), stackOutputsWithSyncHooks());
    api.useHookV2 = false;

    const { code } = await stream.run(
      configureCommand,
      ['--path', 'before-message-send', '--yes'],
      { file },
    );

    expect(code).toBe(0);
    expect(patchBody()).toEqual({ before_message_send_hook_url: STACK.beforeMessageSendUrl });
  });
});

describe('configure --legacy', () => {
  it('--path webhook sets exactly {"webhook_url"}; a second run sends nothing', async () => {
    api.useHookV2 = false;
    api.legacy.set('webhook_url', 'https://old.example.com/hook');

    const first = await configure(['--path', 'webhook', '--legacy', '--yes']);
    const second = await configure(['--path', 'webhook', '--legacy', '--yes']);

    expect(first.code).toBe(0);
    expect(patchBody()).toEqual({ webhook_url: STACK.webhookUrl });
    expect(first.out).toContain('webhook_url');
    expect(first.out).toContain('before  https://old.example.com/hook');
    expect(first.out).toContain(`after   ${STACK.webhookUrl}`);
    expect(first.out).toContain('Applied: webhook_url is set.');
    expect(second.code).toBe(0);
    expect(api.patches()).toHaveLength(1);
    expect(second.out).toContain('Nothing to change');
  });

  it('--path sqs needs --group when the stack has several queues: exit 1, nothing sent', async () => {
    api.useHookV2 = false;

    const { code, err } = await configure(['--path', 'sqs', '--legacy', '--yes']);

    expect(code).toBe(1);
    expect(err).toContain('the legacy settings hold one queue (sqs_url): name it with --group');
    expect(err).toContain('groups: all, chat');
    expect(api.patches()).toHaveLength(0);
  });

  it('--path sqs --group sets sqs_url and clears an AWS key, which would replace the queue policy', async () => {
    api.useHookV2 = false;
    api.legacy.set('sqs_key', 'AKIAOLDKEY');
    api.legacy.set('sqs_secret', 'old-secret-value');

    const { code, out } = await configure([
      '--path',
      'sqs',
      '--group',
      'chat',
      '--legacy',
      '--yes',
    ]);

    expect(code).toBe(0);
    expect(patchBody()).toEqual({ sqs_url: STACK.chatQueueUrl, sqs_key: '', sqs_secret: '' });
    expect(out).toMatch(/sqs_key\n {2}before {2}\(hidden\)\n {2}after {3}\(not set\)/);
    expect(out).not.toContain('AKIAOLDKEY');
    expect(out).not.toContain('old-secret-value');
    expect(out).toContain('Applied: sqs_url is set; sqs_key and sqs_secret are cleared.');
    expect(api.legacy.get('sqs_url')).toBe(STACK.chatQueueUrl);
  });

  it('--path sns sets sns_topic_arn', async () => {
    api.useHookV2 = false;

    const { code } = await configure(['--path', 'sns', '--legacy', '--yes']);

    expect(code).toBe(0);
    expect(patchBody()).toEqual({ sns_topic_arn: STACK.topicArn });
  });

  it("warns when the app's webhook_events leaves out types the stack takes", async () => {
    api.useHookV2 = false;
    api.webhookEvents = ['message.new', 'channel.created'];

    const { code, out, err } = await configure(['--path', 'webhook', '--legacy', '--yes']);

    expect(code).toBe(0);
    expect(out).toContain('Applied');
    expect(err).toContain(
      "warning: the app's webhook_events, which applies to every legacy target, lacks 2 of the " +
        'types this stack takes (message.updated, reaction.new): Stream will not send them; ' +
        'add them in the dashboard',
    );
    expect(api.webhookEvents).toEqual(['message.new', 'channel.created']);
  });

  it('prints {path, legacy, settings, warnings, changed, applied} with --json', async () => {
    api.useHookV2 = false;

    const { code, out } = await configure(['--path', 'sns', '--legacy', '--yes', '--json']);

    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      path: 'sns',
      legacy: true,
      settings: [{ setting: 'sns_topic_arn', before: null, after: STACK.topicArn }],
      warnings: [],
      changed: true,
      applied: true,
    });
  });

  it('asks before replacing the setting on a terminal, and sends nothing on a dry run', async () => {
    api.useHookV2 = false;
    const io = fakeIO({ env: ENV, interactive: true, answer: false });

    const declined = await configure(['--path', 'webhook', '--legacy'], io);
    const dry = await configure(['--path', 'webhook', '--legacy', '--dry-run']);

    expect(declined.code).toBe(1);
    expect(io.questions).toEqual(["Set the app's webhook_url?"]);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('Dry run: nothing sent.');
    expect(api.patches()).toHaveLength(0);
  });

  it('refuses on an app that is on multiple event hooks: Stream would ignore the setting', async () => {
    const { code, err } = await configure(['--path', 'webhook', '--legacy', '--yes']);

    expect(code).toBe(1);
    expect(err).toContain('use_hook_v2 is true');
    expect(err).toContain('run configure without --legacy');
    expect(api.patches()).toHaveLength(0);
  });

  it.each([['pending-messages'], ['before-message-send'], ['custom-commands']])(
    'is wrong usage with --path %s: exit 2',
    async (path) => {
      const { code, err } = await configure(['--path', path, '--legacy']);

      expect(code).toBe(2);
      expect(err).toContain('--legacy applies to --path webhook, sqs or sns');
      expect(api.requests).toHaveLength(0);
    },
  );
});
