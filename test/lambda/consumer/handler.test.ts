/**
 * The consumer through `createConsumerHandler` with handwritten SQS events: decode, route, run,
 * and report exactly the records that failed.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsumerHandler } from '../../../lambda/consumer/handler.js';
import { exactNumbers } from '../../../lambda/lib/domain/exact-numbers.js';
import type { HandlerContext, HandlerMap } from '../../../lambda/lib/domain/handlers.js';
import { createLogger } from '../../../lambda/lib/adapters/logger.js';
import { eventBytes, eventOfType, messageNew, nonAsciiEvent } from '../../fixtures/events.js';
import { captureLogs, type LogCapture } from '../support/log-capture.js';
import { lambdaContext, snsEnvelope, sqsEvent, sqsRecord as record } from '../support/sqs-event.js';

const GROUP = 'chat';
const logger = createLogger('stream-events-consumer-test');
let logs: LogCapture;

beforeEach(() => {
  logs = captureLogs();
});

afterEach(() => {
  logs.restore();
});

// ---------------------------------------------------------------------------------------------

const invocation = lambdaContext();

function sqsRecord(messageId: string, body: string, attributes: Record<string, string> = {}) {
  return record(messageId, body, { attributes });
}

/** The verifier's (and Stream's JS SDK's) format: base64 of the JSON. */
const base64Of = (event: unknown): string => eventBytes(event).toString('base64');

const VERIFIER_ATTRIBUTES = {
  webhook_id: 'wh-123',
  webhook_attempt: '3',
  event_type: 'message.new',
  received_at: '2025-01-01T12:00:00.123Z',
  source: 'webhook',
};

function consumer(handlers: HandlerMap) {
  // Every pattern, no claims: the filter and the dedupe have their own files (filter.test.ts,
  // dedupe.test.ts).
  return createConsumerHandler({
    group: GROUP,
    patterns: ['*'],
    handlers,
    claims: null,
    ordering: 'none',
    logger,
    maxInflatedBytes: 1024 * 1024,
  });
}

/** Handlers under the given patterns that record which pattern took which event type. */
function recordingHandlers() {
  const taken: Array<readonly [string, string]> = [];
  const handlers: HandlerMap = {
    'message.new': (event) => {
      taken.push(['message.new', event.type]);
    },
    'message.*': (event) => {
      taken.push(['message.*', event.type]);
    },
    'feeds.*': (event) => {
      taken.push(['feeds.*', event.type]);
    },
    'feeds.activity.*': (event) => {
      taken.push(['feeds.activity.*', event.type]);
    },
    '*': (event) => {
      taken.push(['*', event.type]);
    },
  };
  return { taken, handlers };
}

function linesWith(msg: string): Record<string, unknown>[] {
  return logs.lines().filter((line) => line.msg === msg);
}

// ---------------------------------------------------------------------------------------------

describe('consumer: routing', () => {
  it.each([
    ['message.new', 'message.new', 'the exact type beats message.* and *'],
    ['message.updated', 'message.*', 'message.* beats *'],
    ['feeds.activity.added', 'feeds.activity.*', 'the longest prefix wins over feeds.*'],
    ['feeds.comment.added', 'feeds.*', 'a shorter prefix takes what the longer does not'],
    ['reaction.new', '*', '* takes what nothing else does'],
    ['my_custom_event', '*', '* takes custom events'],
  ])('routes %s to %s (%s)', async (type, pattern) => {
    // Arrange
    const { taken, handlers } = recordingHandlers();

    // Act
    const result = await consumer(handlers)(
      sqsEvent(sqsRecord('m1', base64Of(eventOfType(type)))),
      invocation,
    );

    // Assert
    expect(taken).toEqual([[pattern, type]]);
    expect(result.batchItemFailures).toEqual([]);
  });

  it('acknowledges and logs an event no handler takes (no *)', async () => {
    // Arrange
    const calls: string[] = [];
    const handlers: HandlerMap = {
      'message.new': (event) => {
        calls.push(event.type);
      },
    };

    // Act
    const result = await consumer(handlers)(
      sqsEvent(sqsRecord('m1', base64Of(eventOfType('call.session_started')), VERIFIER_ATTRIBUTES)),
      invocation,
    );

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(calls).toEqual([]);
    expect(linesWith('event unhandled')).toEqual([
      expect.objectContaining({
        level: 'INFO',
        type: 'call.session_started',
        group: GROUP,
        webhook_id: 'wh-123',
        message_id: 'm1',
      }),
    ]);
  });

  it('refuses a malformed pattern when the handler is created (cold start), not per record', () => {
    // Arrange
    const handlers = { 'message*': () => undefined } as unknown as HandlerMap;

    // Act / Assert
    expect(() => consumer(handlers)).toThrow('"message*" is not an event pattern');
  });
});

describe('consumer: partial batch failures', () => {
  it('reports only the record whose handler threw', async () => {
    // Arrange
    const handled: string[] = [];
    const handlers: HandlerMap = {
      '*': (event) => {
        if (event.type === 'reaction.new') throw new Error('downstream unavailable');
        handled.push(event.type);
      },
    };
    const event = sqsEvent(
      sqsRecord('ok-1', base64Of(eventOfType('message.new'))),
      sqsRecord('fails', base64Of(eventOfType('reaction.new'))),
      sqsRecord('ok-2', base64Of(eventOfType('user.updated'))),
    );

    // Act
    const result = await consumer(handlers)(event, invocation);

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'fails' }]);
    expect(handled.sort()).toEqual(['message.new', 'user.updated']);
    expect(linesWith('handler failed')).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        type: 'reaction.new',
        message_id: 'fails',
        pattern: '*',
      }),
    ]);
  });

  it('reports an async handler that rejects', async () => {
    // Arrange
    const handlers: HandlerMap = {
      'message.new': async () => {
        await Promise.resolve();
        throw new Error('rejected later');
      },
    };

    // Act
    const result = await consumer(handlers)(
      sqsEvent(sqsRecord('m1', base64Of(messageNew()))),
      invocation,
    );

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
  });

  it.each([
    ['not base64 and not JSON', 'this is not an event'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64')],
    ['corrupt gzip', Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3]).toString('base64')],
    ['JSON without type', '{"message":{"id":"m1"}}'],
    ['a JSON array', '[{"type":"message.new"}]'],
  ])('reports an undecodable body (%s) and runs no handler', async (_what, body) => {
    // Arrange
    const { taken, handlers } = recordingHandlers();
    const event = sqsEvent(sqsRecord('bad', body), sqsRecord('good', base64Of(messageNew())));

    // Act
    const result = await consumer(handlers)(event, invocation);

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(taken).toEqual([['message.new', 'message.new']]);
    expect(linesWith('message undecodable')).toEqual([
      expect.objectContaining({ level: 'ERROR', group: GROUP, message_id: 'bad' }),
    ]);
  });

  it('never logs an undecodable body itself', async () => {
    // Arrange
    const body = '{"secret_text":"do-not-log-me"';

    // Act
    await consumer({})(sqsEvent(sqsRecord('bad', body)), invocation);

    // Assert
    expect(linesWith('message undecodable')).toHaveLength(1);
    expect(logs.text()).not.toContain('do-not-log-me');
  });

  it('reports every record, without throwing, when the whole batch fails', async () => {
    // Arrange
    const handlers: HandlerMap = {
      '*': () => {
        throw new Error('all down');
      },
    };
    const event = sqsEvent(
      sqsRecord('a', base64Of(messageNew())),
      sqsRecord('b', base64Of(messageNew())),
    );

    // Act
    const result = await consumer(handlers)(event, invocation);

    // Assert
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }]);
  });
});

describe('consumer: body forms', () => {
  const event = nonAsciiEvent();
  const json = eventBytes(event);
  const envelope = snsEnvelope;
  const forms: ReadonlyArray<readonly [string, string]> = [
    ['raw JSON', json.toString('utf8')],
    ['base64(JSON)', json.toString('base64')],
    ['base64(gzip(JSON))', gzipSync(json).toString('base64')],
    ['an SNS envelope around raw JSON', envelope(json.toString('utf8'))],
    ['an SNS envelope around base64(JSON)', envelope(json.toString('base64'))],
    ['an SNS envelope around base64(gzip(JSON))', envelope(gzipSync(json).toString('base64'))],
  ];

  it.each(forms)('hands the handler the event from %s', async (_form, body) => {
    // Arrange
    const received: unknown[] = [];
    const handlers: HandlerMap = {
      'message.new': (decoded) => {
        received.push(decoded);
      },
    };

    // Act
    const result = await consumer(handlers)(sqsEvent(sqsRecord('m1', body)), invocation);

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(received).toEqual([event]);
  });
});

describe('consumer: handler context', () => {
  async function contextFor(
    attributes: Record<string, string>,
  ): Promise<HandlerContext | undefined> {
    let seen: HandlerContext | undefined;
    const handlers: HandlerMap = {
      '*': (_event, context) => {
        seen = context;
      },
    };
    await consumer(handlers)(
      sqsEvent(sqsRecord('msg-42', base64Of(messageNew()), attributes)),
      invocation,
    );
    return seen;
  }

  it('carries the verifier attributes', async () => {
    // Act
    const context = await contextFor(VERIFIER_ATTRIBUTES);

    // Assert
    expect(context).toMatchObject({
      group: GROUP,
      webhookId: 'wh-123',
      attempt: 3,
      source: 'webhook',
      receivedAt: '2025-01-01T12:00:00.123Z',
      messageId: 'msg-42',
    });
    expect(context?.logger).toBe(logger);
  });

  it('has nulls and source "unknown" for a direct delivery from Stream (no attributes)', async () => {
    // Act
    const context = await contextFor({});

    // Assert
    expect(context).toMatchObject({
      group: GROUP,
      webhookId: null,
      attempt: null,
      source: 'unknown',
      receivedAt: null,
      messageId: 'msg-42',
    });
  });

  it('gives the event bytes, from which exactNumbers reads a 19-digit integer exactly', async () => {
    // Arrange: compressed, as Stream sends it with compression on
    const text = '{"type":"call.ended","call_cid":"default:c1","ended_at_ns":1714566896123456789}';
    let seen: { rawEvent: Buffer; rounded: unknown; exact: unknown } | undefined;
    const handlers: HandlerMap = {
      '*': (event, context) => {
        const { ended_at_ns: exact } = exactNumbers(event, context);
        seen = { rawEvent: context.rawEvent, rounded: event.ended_at_ns, exact };
      },
    };

    // Act
    await consumer(handlers)(
      sqsEvent(sqsRecord('m1', gzipSync(Buffer.from(text)).toString('base64'))),
      invocation,
    );

    // Assert
    expect(seen?.rawEvent.toString('utf8')).toBe(text);
    expect(seen?.rounded).toBe(1714566896123456800);
    expect(seen?.exact).toBe(1714566896123456789n);
  });

  it.each(['sqs', 'sns', 'webhook'])('passes the known source %s through', async (source) => {
    expect((await contextFor({ source }))?.source).toBe(source);
  });

  it.each([
    ['an unknown source', { source: 'carrier-pigeon' }, 'source', 'unknown'],
    ['a non-numeric attempt', { webhook_attempt: 'three' }, 'attempt', null],
    ['a zero attempt', { webhook_attempt: '0' }, 'attempt', null],
    ['a fractional attempt', { webhook_attempt: '1.5' }, 'attempt', null],
  ])('reads %s as absent', async (_what, attributes, field, expected) => {
    const context = await contextFor(attributes);
    expect(context?.[field as keyof HandlerContext]).toBe(expected);
  });
});

describe('consumer: log lines', () => {
  it('logs "event handled" with type, group, pattern and webhook_id', async () => {
    // Arrange
    const handlers: HandlerMap = { 'message.*': () => undefined };

    // Act
    await consumer(handlers)(
      sqsEvent(sqsRecord('m1', base64Of(messageNew()), VERIFIER_ATTRIBUTES)),
      invocation,
    );

    // Assert
    expect(linesWith('event handled')).toEqual([
      expect.objectContaining({
        level: 'INFO',
        msg: 'event handled',
        type: 'message.new',
        webhook_id: 'wh-123',
        group: GROUP,
        pattern: 'message.*',
        message_id: 'm1',
      }),
    ]);
  });

  it('logs webhook_id as null, present in the JSON line, for a direct delivery', async () => {
    // Arrange
    const handlers: HandlerMap = { '*': () => undefined };

    // Act
    await consumer(handlers)(sqsEvent(sqsRecord('m1', base64Of(messageNew()))), invocation);

    // Assert
    const [line] = linesWith('event handled');
    expect(line).toBeDefined();
    expect(line).toHaveProperty('webhook_id', null);
    expect(line).toMatchObject({ type: 'message.new', group: GROUP });
  });

  it('never logs the event body', async () => {
    // Arrange
    const handlers: HandlerMap = { '*': () => undefined };
    const event = messageNew({ message: { id: 'm', text: 'private words of alice' } });

    // Act
    await consumer(handlers)(sqsEvent(sqsRecord('m1', base64Of(event))), invocation);

    // Assert
    expect(linesWith('event handled')).toHaveLength(1);
    expect(logs.text()).not.toContain('private words of alice');
  });
});
