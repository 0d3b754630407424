import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configureCommand, createConfigureCommand } from '../../cli/configure.js';
import {
  FAKE_API_KEY,
  FAKE_API_SECRET,
  FOREIGN_HOOKS,
  STACK,
  stackOutputsWithout,
  writeOutputsFile,
} from '../support/fake-stream-api.js';
import { fakeIO, type FakeIO } from '../support/fake-io.js';
import { useFakeStreamApi, type CommandRun } from '../support/use-fake-stream-api.js';

const stream = useFakeStreamApi({
  tmpPrefix: 'configure-test-',
  hooks: FOREIGN_HOOKS.map((hook) => hook.get),
});
const { api, env: ENV } = stream;

/** Runs `configure` against the fake Stream and the outputs file. */
function configure(args: readonly string[], io?: FakeIO): Promise<CommandRun> {
  return stream.run(configureCommand, args, { io });
}

function patchedHooks(index = 0): Record<string, unknown>[] {
  const patch = api.patches()[index];
  if (patch === undefined) throw new Error(`no PATCH #${index}`);
  return (JSON.parse(patch.body) as { event_hooks: Record<string, unknown>[] }).event_hooks;
}

const WEBHOOK_HOOK = {
  hook_type: 'webhook',
  enabled: true,
  webhook_url: STACK.webhookUrl,
  event_types: [...STACK.webhookTypes],
};

describe('configure --path webhook', () => {
  it('adds our hook and sends every foreign hook back byte for byte, timestamps converted', async () => {
    const { code, out } = await configure(['--path', 'webhook', '--yes']);

    expect(code).toBe(0);
    const [patch] = api.patches();
    expect(patch?.status).toBe(201);
    // The body is exactly {"event_hooks": [...]}: the foreign hooks' texts, then ours.
    expect(Object.keys(JSON.parse(patch?.body ?? '{}') as object)).toEqual(['event_hooks']);
    expect(patch?.body).toBe(
      `{"event_hooks":[${FOREIGN_HOOKS.map((hook) => hook.patched).join(',')},${JSON.stringify(WEBHOOK_HOOK)}]}`,
    );
    expect(out).toContain(`+ add webhook ${STACK.webhookUrl}`);
    expect(out).toContain('event_types  3 types: message.new, message.updated, reaction.new');
    expect(out).toContain('3 other hooks kept as they are.');
    expect(out).toContain('Applied: the app now has 4 hooks.');
  });

  it('converts integer nanoseconds to RFC 3339 with all nine digits', async () => {
    await configure(['--path', 'webhook', '--yes']);

    const body = api.patches()[0]?.body ?? '';
    expect(body).toContain('"created_at":"2024-05-01T12:34:56.123456789Z"');
    expect(body).toContain('"updated_at":"2023-11-14T22:13:20.000000001Z"');
    expect(body).not.toMatch(/"(created|updated)_at":\d/);
  });

  it('changes nothing on a second run: no PATCH', async () => {
    await configure(['--path', 'webhook', '--yes']);
    const { code, out } = await configure(['--path', 'webhook', '--yes']);

    expect(code).toBe(0);
    expect(api.patches()).toHaveLength(1);
    expect(out).toContain(`= unchanged webhook ${STACK.webhookUrl} (id hook-`);
    expect(out).toContain('Nothing to change');
  });

  it('updates our hook in place, same id and position, when its event types changed', async () => {
    const ours = `{"id":"ours-1","hook_type":"webhook","enabled":false,"webhook_url":"${STACK.webhookUrl}","event_types":["message.new","channel.created"],"timeout_ms":3000,"created_at":1714566896000000000,"updated_at":1714566896000000000}`;
    api.reset([FOREIGN_HOOKS[0].get, ours, FOREIGN_HOOKS[1].get]);

    const { code, out } = await configure(['--path', 'webhook', '--yes']);

    expect(code).toBe(0);
    const hooks = patchedHooks();
    expect(hooks).toHaveLength(3);
    expect(hooks[1]).toEqual({
      id: 'ours-1',
      hook_type: 'webhook',
      enabled: true,
      webhook_url: STACK.webhookUrl,
      event_types: [...STACK.webhookTypes],
      timeout_ms: 3000,
      created_at: '2024-05-01T12:34:56.000000000Z',
      updated_at: '2024-05-01T12:34:56.000000000Z',
    });
    expect(Object.keys(hooks[1] ?? {})).toEqual(Object.keys(JSON.parse(ours) as object));
    expect(out).toContain(`~ update webhook ${STACK.webhookUrl} (id ours-1)`);
    expect(out).toMatch(/enabled\s+false → true/);
    expect(out).toMatch(/event_types\s+2 types → 3 types/);
    expect(out).toContain('+ message.updated, reaction.new');
    expect(out).toContain('- channel.created');
  });

  it('keeps our hook when Stream lists its types in another order', async () => {
    const types = [...STACK.webhookTypes].reverse();
    api.reset([
      `{"id":"ours-1","hook_type":"webhook","enabled":true,"webhook_url":"${STACK.webhookUrl}","event_types":${JSON.stringify(types)},"created_at":1,"updated_at":1}`,
    ]);

    const { code } = await configure(['--path', 'webhook', '--yes']);

    expect(code).toBe(0);
    expect(api.patches()).toHaveLength(0);
  });

  it('removes a second hook on our target (split outputs registered by hand)', async () => {
    const part = (id: string, types: string[]): string =>
      `{"id":"${id}","hook_type":"webhook","enabled":true,"webhook_url":"${STACK.webhookUrl}","event_types":${JSON.stringify(types)}}`;
    api.reset([part('p1', ['message.new', 'message.updated']), part('p2', ['reaction.new'])]);

    const { code, out } = await configure(['--path', 'webhook', '--yes']);

    expect(code).toBe(0);
    expect(patchedHooks().map((hook) => [hook.id, hook.event_types])).toEqual([
      ['p1', [...STACK.webhookTypes]],
    ]);
    expect(out).toContain(`- remove webhook ${STACK.webhookUrl} (id p2)`);
  });

  it('sends no PATCH on a dry run', async () => {
    const { code, out } = await configure(['--path', 'webhook', '--dry-run']);

    expect(code).toBe(0);
    expect(api.requests.map((request) => request.method)).toEqual(['GET']);
    expect(out).toContain('Dry run: nothing sent.');
  });

  it('refuses to apply without --yes when no one can confirm: exit 1, no PATCH', async () => {
    const { code, out, err } = await configure(['--path', 'webhook']);

    expect(code).toBe(1);
    expect(api.patches()).toHaveLength(0);
    expect(out).toContain(`+ add webhook ${STACK.webhookUrl}`);
    expect(err).toContain('re-run with --yes');
  });

  it('applies after a yes on a terminal', async () => {
    const io = fakeIO({ env: ENV, interactive: true, answer: true });

    const { code } = await configure(['--path', 'webhook'], io);

    expect(code).toBe(0);
    expect(io.questions).toEqual(["Replace the app's event_hooks with these 4 hooks?"]);
    expect(api.patches()).toHaveLength(1);
  });

  it('applies nothing after a no on a terminal: exit 1', async () => {
    const io = fakeIO({ env: ENV, interactive: true, answer: false });

    const { code, out } = await configure(['--path', 'webhook'], io);

    expect(code).toBe(1);
    expect(api.patches()).toHaveLength(0);
    expect(out).toContain('Not applied.');
  });
});

describe('configure --path sqs and sns', () => {
  it('adds one hook per consumer group queue', async () => {
    const { code } = await configure(['--path', 'sqs', '--yes']);

    expect(code).toBe(0);
    expect(patchedHooks().slice(FOREIGN_HOOKS.length)).toEqual([
      {
        hook_type: 'sqs',
        enabled: true,
        sqs_queue_url: STACK.queueUrl,
        sqs_region: STACK.region,
        sqs_auth_type: 'resource',
        event_types: [],
      },
      {
        hook_type: 'sqs',
        enabled: true,
        sqs_queue_url: STACK.chatQueueUrl,
        sqs_region: STACK.region,
        sqs_auth_type: 'resource',
        event_types: [...STACK.chatTypes],
      },
    ]);
  });

  it('sends nothing on a second run: Stream answers null for the hook that takes every event', async () => {
    await configure(['--path', 'sqs', '--yes']);
    expect(api.appText()).toContain(`"sqs_queue_url":"${STACK.queueUrl}"`);
    expect(api.appText()).toMatch(/"event_types":null/);

    const { code, out } = await configure(['--path', 'sqs', '--yes']);

    expect(code).toBe(0);
    expect(api.patches()).toHaveLength(1);
    expect(out).toContain(`= unchanged sqs ${STACK.queueUrl}`);
    expect(out).toContain('Nothing to change');
  });

  it('adds only the named group with --group', async () => {
    const { code, out } = await configure(['--path', 'sqs', '--group', 'chat', '--yes']);

    expect(code).toBe(0);
    expect(
      patchedHooks()
        .slice(FOREIGN_HOOKS.length)
        .map((hook) => hook.sqs_queue_url),
    ).toEqual([STACK.chatQueueUrl]);
    expect(out).toMatch(/event_types\s+2 types: message.new, message.updated/);
  });

  it('names the groups when --group matches none', async () => {
    const { code, err } = await configure(['--path', 'sqs', '--group', 'nope', '--yes']);

    expect(code).toBe(1);
    expect(err).toContain('no consumer group "nope" (groups: all, chat)');
    expect(api.requests).toHaveLength(0);
  });

  it('adds the SNS hook', async () => {
    const { code } = await configure(['--path', 'sns', '--yes']);

    expect(code).toBe(0);
    expect(patchedHooks().at(-1)).toMatchObject({
      hook_type: 'sns',
      sns_topic_arn: STACK.topicArn,
      sns_auth_type: 'resource',
    });
  });

  it('explains a path the stack does not deploy', async () => {
    const withoutSns = stackOutputsWithout('EventHooksSns');
    const file = await writeOutputsFile(stream.dir(), withoutSns);
    const io = fakeIO({ env: ENV });

    const { code } = await stream.run(configureCommand, ['--path', 'sns'], { io, file });

    expect(code).toBe(1);
    expect(io.err()).toContain('has no output EventHooksSns: the sns path is not deployed');
  });
});

describe('configure --json', () => {
  it('prints {path, changed, applied, changes}', async () => {
    const { code, out } = await configure(['--path', 'webhook', '--yes', '--json']);

    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      path: 'webhook',
      changed: true,
      applied: true,
      changes: [{ action: 'add', hook: WEBHOOK_HOOK }],
    });
  });

  it('reports keep, and applied false, when nothing changes', async () => {
    await configure(['--path', 'webhook', '--yes']);
    const { out } = await configure(['--path', 'webhook', '--yes', '--json']);

    const report = JSON.parse(out) as { changed: boolean; applied: boolean; changes: unknown[] };
    expect(report).toMatchObject({ path: 'webhook', changed: false, applied: false });
    expect(report.changes).toEqual([
      {
        action: 'keep',
        hook: expect.objectContaining({ id: expect.stringMatching(/^hook-/), ...WEBHOOK_HOOK }),
      },
    ]);
  });

  it('prints the update with its before, and an error as {"error"}', async () => {
    api.reset([
      `{"id":"ours-1","hook_type":"webhook","enabled":true,"webhook_url":"${STACK.webhookUrl}","event_types":["message.new"],"created_at":1}`,
    ]);
    const dry = await configure(['--path', 'webhook', '--dry-run', '--json']);
    const refused = await configure(['--path', 'webhook', '--json']);

    expect(JSON.parse(dry.out)).toEqual({
      path: 'webhook',
      changed: true,
      applied: false,
      changes: [
        {
          action: 'update',
          hook: {
            id: 'ours-1',
            hook_type: 'webhook',
            enabled: true,
            webhook_url: STACK.webhookUrl,
            event_types: [...STACK.webhookTypes],
            created_at: '1970-01-01T00:00:00.000000001Z',
          },
          before: {
            id: 'ours-1',
            hook_type: 'webhook',
            enabled: true,
            webhook_url: STACK.webhookUrl,
            event_types: ['message.new'],
            created_at: '1970-01-01T00:00:00.000000001Z',
          },
        },
      ],
    });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toEqual({
      error: expect.stringContaining('re-run with --yes'),
    });
  });
});

describe('configure failures', () => {
  it("shows Stream's own message for a bad secret: exit 1", async () => {
    const io = fakeIO({ env: { ...ENV, STREAM_API_SECRET: 'not-the-secret' } });

    const { code, err } = await configure(['--path', 'webhook', '--yes'], io);

    expect(code).toBe(1);
    expect(err).toContain(
      'Stream: JWTAuth error: signature is not valid. Make sure the token is created using the secret for API key "fake-api-key" (HTTP 401, code 5)',
    );
    expect(err).not.toContain('not-the-secret');
    expect(api.patches()).toHaveLength(0);
  });

  it('explains both ways to give credentials when there are none: exit 1', async () => {
    const { code, err } = await configure(['--path', 'webhook', '--yes'], fakeIO({ env: {} }));

    expect(code).toBe(1);
    expect(err).toContain('no Stream credentials');
    expect(err).toContain('STREAM_API_KEY and STREAM_API_SECRET');
    expect(err).toContain('--from-secret');
    expect(api.requests).toHaveLength(0);
  });

  it("reads the credentials from the stack's secret with --from-secret", async () => {
    const read: string[] = [];
    const command = createConfigureCommand({
      readSecret: (arn) => {
        read.push(arn);
        return Promise.resolve(JSON.stringify({ [FAKE_API_KEY]: [FAKE_API_SECRET, 'older'] }));
      },
    });
    const io = fakeIO({ env: {} });

    const { code } = await stream.run(command, ['--path', 'webhook', '--yes', '--from-secret'], {
      io,
    });

    expect(code).toBe(0);
    expect(read).toEqual([STACK.secretArn]);
    expect(io.out() + io.err()).not.toContain(FAKE_API_SECRET);
  });

  it('takes the base URL from STREAM_BASE_URL', async () => {
    const io = fakeIO({ env: { ...ENV, STREAM_BASE_URL: api.url } });

    const code = await configureCommand.run(
      ['--path', 'webhook', '--dry-run', '--outputs-file', stream.outputsFile()],
      io,
    );

    expect(code).toBe(0);
    expect(api.requests).toHaveLength(1);
  });

  it('says which outputs file it cannot read: exit 1', async () => {
    const io = fakeIO({ env: ENV });

    const { code } = await stream.run(configureCommand, ['--path', 'webhook'], {
      io,
      file: join(stream.dir(), 'missing.json'),
    });

    expect(code).toBe(1);
    expect(io.err()).toContain(
      `cannot read the outputs file ${join(stream.dir(), 'missing.json')}: no such file`,
    );
  });

  it.each([
    [[], '--path is required'],
    [
      ['--path', 'ftp'],
      '--path must be one of webhook, sqs, sns, pending-messages, before-message-send, custom-commands, got "ftp"',
    ],
    [['--path', 'webhook', '--group', 'chat'], '--group applies to --path sqs only'],
    [['--path', 'webhook', '--dry-run', '--yes'], 'contradict'],
    [['--path', 'webhook', '--bogus'], "Unknown option '--bogus'"],
    [['--path', 'webhook', 'extra'], 'extra'],
    [['--path', 'webhook', '--base-url', 'nope'], '--base-url nope is not a URL'],
    [
      ['--path', 'webhook', '--base-url', 'http://chat.stream-io-api.com'],
      '--base-url http://chat.stream-io-api.com is not https',
    ],
    [['--path', 'webhook', '--api-key', 'k'], '--api-key picks a key'],
  ])('rejects %j with exit 2', async (args, message) => {
    const { code, err } = await configure(args);

    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain('See: stream-events configure --help');
    expect(api.requests).toHaveLength(0);
  });

  it('prints its help with --help: exit 0', async () => {
    const io = fakeIO();

    const code = await configureCommand.run(['--help'], io);

    expect(code).toBe(0);
    expect(io.out()).toContain('Usage: stream-events configure --path webhook|sqs|sns');
    expect(configureCommand).toMatchObject({ name: 'configure', help: expect.any(String) });
  });
});
