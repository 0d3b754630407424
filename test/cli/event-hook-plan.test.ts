import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventHookTarget,
  nanosToRfc3339,
  patchableEventHook,
  planEventHooks,
  type RawEventHook,
} from '../../cli/event-hook-plan.js';
import { LosslessNumber, parseJson, stringifyJson, type Json } from '../../cli/stream-api-json.js';

const URL_A = 'https://a.example.com/webhook';
const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/1/q';

const webhook = (types: string[] = ['message.new']): RawEventHook => ({
  hook_type: 'webhook',
  enabled: true,
  webhook_url: URL_A,
  event_types: types,
});

const parse = (text: string): Json[] => parseJson(text) as Json[];

describe('nanosToRfc3339', () => {
  it.each([
    [1714566896123456789n, '2024-05-01T12:34:56.123456789Z'],
    [1700000000000000001n, '2023-11-14T22:13:20.000000001Z'],
    [0n, '1970-01-01T00:00:00.000000000Z'],
    [-1n, '1969-12-31T23:59:59.999999999Z'],
  ])('writes %s as %s', (nanos, text) => {
    expect(nanosToRfc3339(nanos)).toBe(text);
  });

  it('gives null outside what a Date can print', () => {
    expect(nanosToRfc3339(10n ** 30n)).toBeNull();
  });
});

describe('patchableEventHook', () => {
  it('converts integer timestamps in place and keeps every other key and value as it was', () => {
    const [hook] = parse(
      '[{"id":"x","created_at":1714566896123456789,"z":{"n":12345678901234567890},"updated_at":5,"a":1.50}]',
    );

    const result = patchableEventHook(hook as RawEventHook);

    expect(stringifyJson(result)).toBe(
      '{"id":"x","created_at":"2024-05-01T12:34:56.123456789Z","z":{"n":12345678901234567890},"updated_at":"1970-01-01T00:00:00.000000005Z","a":1.50}',
    );
  });

  it('keeps string timestamps and leaves out values that are not integers', () => {
    const hook: RawEventHook = {
      created_at: '2024-05-01T12:34:56Z',
      updated_at: new LosslessNumber('1.5e18'),
      id: 'x',
    };

    expect(patchableEventHook(hook)).toEqual({ created_at: '2024-05-01T12:34:56Z', id: 'x' });
  });

  it('returns the very hook when nothing needs converting', () => {
    const hook: RawEventHook = { id: 'x', created_at: '2024-05-01T12:34:56Z' };

    expect(patchableEventHook(hook)).toBe(hook);
  });
});

describe('eventHookTarget', () => {
  it.each([
    [{ hook_type: 'webhook', webhook_url: URL_A }, 'webhook', URL_A],
    [{ hook_type: 'sqs', sqs_queue_url: QUEUE }, 'sqs', QUEUE],
    [{ hook_type: 'sns', sns_topic_arn: 'arn:t' }, 'sns', 'arn:t'],
    [{ hook_type: 'pending_message', webhook_url: URL_A }, 'pending_message', URL_A],
    [{ hook_type: 'sqs', webhook_url: URL_A }, 'sqs', null],
    [{ enabled: true }, '?', null],
  ] as [RawEventHook, string, string | null][])('reads %j', (hook, type, target) => {
    expect(eventHookTarget(hook)).toEqual({ type, target });
  });
});

describe('planEventHooks', () => {
  it('appends a hook Stream does not have', () => {
    const plan = planEventHooks([], [webhook()]);

    expect(plan).toEqual({
      hooks: [webhook()],
      changes: [{ action: 'add', hook: webhook() }],
      others: 0,
      changed: true,
    });
  });

  it('keeps foreign hooks, only their timestamps converted, and does not count that as a change', () => {
    const current = parse(
      `[{"hook_type":"webhook","webhook_url":"https://other/","x":{"y":[1]},"created_at":1},{"id":"ours","hook_type":"webhook","enabled":true,"webhook_url":"${URL_A}","event_types":["message.new"],"updated_at":2}]`,
    );

    const plan = planEventHooks(current, [webhook()]);

    expect(plan.changed).toBe(false);
    expect(plan.others).toBe(1);
    expect(plan.changes.map((change) => change.action)).toEqual(['keep']);
    expect(stringifyJson(plan.hooks)).toBe(
      `[{"hook_type":"webhook","webhook_url":"https://other/","x":{"y":[1]},"created_at":"1970-01-01T00:00:00.000000001Z"},{"id":"ours","hook_type":"webhook","enabled":true,"webhook_url":"${URL_A}","event_types":["message.new"],"updated_at":"1970-01-01T00:00:00.000000002Z"}]`,
    );
  });

  it('updates ours in place: same position, id, unknown fields and key order', () => {
    const current = parse(
      `[{"id":"f"},{"id":"ours","hook_type":"webhook","future":{"a":1},"webhook_url":"${URL_A}","enabled":false,"event_types":["message.new"]},{"id":"g"}]`,
    );

    const plan = planEventHooks(current, [webhook(['message.new', 'reaction.new'])]);

    expect(plan.changed).toBe(true);
    expect(stringifyJson(plan.hooks)).toBe(
      `[{"id":"f"},{"id":"ours","hook_type":"webhook","future":{"a":1},"webhook_url":"${URL_A}","enabled":true,"event_types":["message.new","reaction.new"]},{"id":"g"}]`,
    );
    expect(plan.changes).toEqual([{ action: 'update', hook: plan.hooks[1], before: current[1] }]);
  });

  it('treats event_types as a set', () => {
    const current = [webhook(['b.x', 'a.x'])];

    expect(planEventHooks(current, [webhook(['a.x', 'b.x'])]).changed).toBe(false);
    expect(planEventHooks(current, [webhook(['a.x'])]).changed).toBe(true);
    expect(planEventHooks([webhook([])], [webhook(['a.x'])]).changed).toBe(true);
  });

  it('reads null, absent and [] event_types as one value: every event', () => {
    const absent: RawEventHook = { hook_type: 'webhook', enabled: true, webhook_url: URL_A };
    const every: RawEventHook[] = [{ ...webhook(), event_types: null }, absent, webhook([])];

    for (const current of every) {
      for (const wanted of every) {
        expect(planEventHooks([current], [wanted]).changed).toBe(false);
      }
      expect(planEventHooks([current], [webhook(['a.x'])]).changed).toBe(true);
    }
    expect(planEventHooks([webhook(['a.x'])], [webhook([])]).changed).toBe(true);
    expect(planEventHooks([webhook(['a.x'])], [{ ...webhook(), event_types: null }]).changed).toBe(
      true,
    );
  });

  it('matches on hook type and target together', () => {
    const pending: RawEventHook = { hook_type: 'pending_message', webhook_url: URL_A };
    const queue: RawEventHook = { hook_type: 'sqs', sqs_queue_url: URL_A };

    const plan = planEventHooks([pending, queue], [webhook()]);

    expect(plan.hooks).toEqual([pending, queue, webhook()]);
    expect(plan.others).toBe(2);
  });

  it('drops further hooks on one of our targets and keeps the first', () => {
    const current: RawEventHook[] = [
      { ...webhook(['a.x']), id: '1' },
      { id: 'other', hook_type: 'webhook', webhook_url: 'https://other/' },
      { ...webhook(['b.x']), id: '2' },
    ];

    const plan = planEventHooks(current, [webhook(['a.x', 'b.x'])]);

    expect(plan.hooks.map((hook) => (hook as RawEventHook).id)).toEqual(['1', 'other']);
    expect(plan.changes.map((change) => [change.action, change.hook.id])).toEqual([
      ['update', '1'],
      ['remove', '2'],
    ]);
  });

  it('keeps entries that are not hook objects', () => {
    expect(planEventHooks([null, 'x'], [webhook()]).hooks).toEqual([null, 'x', webhook()]);
  });

  it('refuses two desired hooks on one target', () => {
    expect(() => planEventHooks([], [webhook(), webhook(['x.y'])])).toThrow(/share one target/);
  });

  it('is idempotent: planning from its own output changes nothing', () => {
    const target = fc.constantFrom(URL_A, 'https://b/', QUEUE);
    const hook = fc.record(
      {
        id: fc.string({ maxLength: 3 }),
        hook_type: fc.constantFrom('webhook', 'sqs', 'pending_message'),
        webhook_url: target,
        sqs_queue_url: target,
        enabled: fc.boolean(),
        event_types: fc.subarray(['a.x', 'b.x', 'c.x']),
        created_at: fc.bigInt({ min: 0n, max: 2n ** 62n }).map((n) => new LosslessNumber(`${n}`)),
        extra: fc.jsonValue(),
      },
      { requiredKeys: ['hook_type'] },
    );
    const desired = fc.uniqueArray(
      fc.record({
        hook_type: fc.constantFrom('webhook', 'sqs'),
        target,
        enabled: fc.constant(true),
        event_types: fc.subarray(['a.x', 'b.x', 'c.x']),
      }),
      { selector: (item) => `${item.hook_type} ${item.target}`, maxLength: 3 },
    );
    fc.assert(
      fc.property(fc.array(hook, { maxLength: 6 }), desired, (current, wanted) => {
        const mine: RawEventHook[] = wanted.map(({ target: url, ...rest }) => ({
          ...rest,
          [rest.hook_type === 'sqs' ? 'sqs_queue_url' : 'webhook_url']: url,
        }));

        const first = planEventHooks(current as Json[], mine);
        const second = planEventHooks(first.hooks, mine);

        expect(second.changed).toBe(false);
        expect(stringifyJson(second.hooks)).toBe(stringifyJson(first.hooks));
        expect(first.others).toBe(second.others);
      }),
    );
  });
});
