import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../../cli/command.js';
import { createEventHooksCommand, eventHooksCommand } from '../../cli/event-hooks.js';
import { FOREIGN_HOOKS, STACK } from '../support/fake-stream-api.js';
import { fakeIO } from '../support/fake-io.js';
import { useFakeStreamApi } from '../support/use-fake-stream-api.js';

const OUR_WEBHOOK = `{"id":"ours-1","hook_type":"webhook","enabled":false,"webhook_url":"${STACK.webhookUrl}","event_types":["message.new","message.updated"],"created_at":1714566896123456789}`;
const OUR_QUEUE = `{"id":"ours-2","hook_type":"sqs","enabled":true,"sqs_queue_url":"${STACK.chatQueueUrl}","sqs_auth_type":"resource","event_types":[]}`;

const stream = useFakeStreamApi({
  tmpPrefix: 'hooks-test-',
  hooks: [FOREIGN_HOOKS[0].get, OUR_WEBHOOK, FOREIGN_HOOKS[2].get, OUR_QUEUE],
});
const { api, env: ENV } = stream;

describe('hooks', () => {
  it('lists the hooks as a table and marks the ones pointing at this stack', async () => {
    const io = fakeIO({ env: ENV });

    const { code } = await stream.run(eventHooksCommand, [], { io });

    expect(code).toBe(0);
    const lines = io.out().split('\n');
    expect(lines[0]).toMatch(/^ +TYPE +TARGET +EVENTS +ENABLED +ID$/);
    expect(lines[1]).toMatch(
      /^ {2}webhook +https:\/\/other\.example\.com\/hook\?a=1&b=2 +1 +yes +foreign-1$/,
    );
    expect(lines[2]).toMatch(new RegExp(`^\\* webhook +${STACK.webhookUrl} +2 +no +ours-1$`));
    // Our URL, another hook type: not ours.
    expect(lines[3]).toMatch(/^ {2}pending_message +\S+ +all +yes +foreign-3$/);
    expect(lines[4]).toMatch(/^\* sqs +\S+Eventschat-B2 +all +yes +ours-2$/);
    expect(io.out()).toContain(`* points at stack ${STACK.name}`);
    expect(io.out()).toContain(': 2 of 4.');
    expect(api.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /api/v2/app',
    ]);
  });

  it('prints the same data with --json', async () => {
    const io = fakeIO({ env: ENV });

    const { code } = await stream.run(eventHooksCommand, ['--json'], { io });

    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as { stack: unknown; hooks: unknown[] };
    expect(report.stack).toEqual({ name: STACK.name, origin: stream.outputsFile() });
    expect(report.hooks).toEqual([
      {
        ours: false,
        type: 'webhook',
        target: 'https://other.example.com/hook?a=1&b=2',
        events: 1,
        enabled: true,
        id: 'foreign-1',
      },
      {
        ours: true,
        type: 'webhook',
        target: STACK.webhookUrl,
        events: 2,
        enabled: false,
        id: 'ours-1',
      },
      {
        ours: false,
        type: 'pending_message',
        target: STACK.webhookUrl,
        events: 'all',
        enabled: true,
        id: 'foreign-3',
      },
      {
        ours: true,
        type: 'sqs',
        target: STACK.chatQueueUrl,
        events: 'all',
        enabled: true,
        id: 'ours-2',
      },
    ]);
  });

  it('marks none, with a warning, when the default stack cannot be read', async () => {
    const command = createEventHooksCommand({
      describeStack: () => Promise.reject(new CommandError('no AWS credentials to read stack')),
    });
    const io = fakeIO({ env: ENV });

    const code = await command.run(['--base-url', api.url], io);

    expect(code).toBe(0);
    expect(io.err()).toContain('warning: no AWS credentials to read stack');
    expect(io.out()).not.toMatch(/^\*/m);
    expect(io.out()).toContain('Stack outputs unknown: no hook marked.');
  });

  it('fails when the stack it was told to read cannot be read', async () => {
    const io = fakeIO({ env: ENV });

    const { code } = await stream.run(eventHooksCommand, [], {
      io,
      file: join(stream.dir(), 'nope.json'),
    });

    expect(code).toBe(1);
    expect(io.err()).toContain('cannot read the outputs file');
    expect(api.requests).toHaveLength(0);
  });

  it('warns that an app not on multiple event hooks ignores them, naming where Stream delivers', async () => {
    api.useHookV2 = false;
    api.legacy.set('webhook_url', 'https://legacy.example.com/hook');
    const io = fakeIO({ env: ENV });

    const { code } = await stream.run(eventHooksCommand, [], { io });

    expect(code).toBe(0);
    expect(io.out()).toContain('ours-1');
    expect(io.err()).toBe(
      'warning: this app is not on multiple event hooks yet (use_hook_v2 is false): Stream ' +
        'ignores these event_hooks and delivers to its legacy settings alone: webhook_url ' +
        'https://legacy.example.com/hook (see configure --legacy)\n',
    );
  });

  it('says when the app has no hooks', async () => {
    api.reset([]);
    const io = fakeIO({ env: ENV });

    const { code } = await stream.run(eventHooksCommand, [], { io });

    expect(code).toBe(0);
    expect(io.out()).toBe('The app has no event_hooks.\n');
  });

  it('shows Stream\'s error for a wrong API key: exit 1, {"error"} with --json', async () => {
    const io = fakeIO({ env: { ...ENV, STREAM_API_KEY: 'other-key' } });

    const { code } = await stream.run(eventHooksCommand, ['--json'], { io });

    expect(code).toBe(1);
    expect(JSON.parse(io.out())).toEqual({
      error: 'Stream: api_key not found: "other-key" (HTTP 401, code 2)',
    });
  });

  it('rejects arguments it does not take: exit 2', async () => {
    const io = fakeIO({ env: ENV });

    expect(await eventHooksCommand.run(['--path', 'sqs'], io)).toBe(2);
    expect(io.err()).toContain("Unknown option '--path'");
  });

  it('prints its help', async () => {
    const io = fakeIO();

    expect(await eventHooksCommand.run(['-h'], io)).toBe(0);
    expect(io.out()).toContain('Usage: stream-events hooks');
  });
});
