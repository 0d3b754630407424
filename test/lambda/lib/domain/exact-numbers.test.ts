import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { exactNumbers } from '../../../../lambda/lib/domain/exact-numbers.js';
import { parseJson, type StreamEvent } from '../../../../lambda/lib/domain/stream-event.js';

/** A nanosecond timestamp as Stream writes one: 19 digits, beyond 2^53. */
const NANOS = '1714566896123456789';

/** The event as a handler gets it, and the context that carries its bytes. */
function delivered(text: string) {
  const rawEvent = Buffer.from(text, 'utf8');
  return { event: parseJson(rawEvent) as StreamEvent, context: { rawEvent } };
}

describe('exactNumbers', () => {
  it('reads a 19-digit integer exactly, where the event holds it rounded', () => {
    const { event, context } = delivered(`{"type":"call.ended","ended_at_ns":${NANOS}}`);

    expect(String(event.ended_at_ns)).not.toBe(NANOS);
    expect(exactNumbers(event, context).ended_at_ns).toBe(BigInt(NANOS));
  });

  it('finds them at any depth and of either sign, and leaves every other value as it was', () => {
    const text = `{"type":"x","a":[{"b":-${NANOS}}],"safe":9007199254740991,"edge":9007199254740992,"f":1.5,"e":1e21,"s":"${NANOS}","n":null}`;
    const { event, context } = delivered(text);

    expect(exactNumbers(event, context)).toEqual({
      type: 'x',
      a: [{ b: -BigInt(NANOS) }],
      safe: 9007199254740991,
      edge: 9007199254740992n,
      f: 1.5,
      e: 1e21,
      s: NANOS,
      n: null,
    });
  });

  it('returns the event itself when no 16-digit run could hold such an integer', () => {
    const { event, context } = delivered(
      '{"type":"x","big":999999999999999,"id":"123456789012345"}',
    );

    expect(exactNumbers(event, context)).toBe(event);
  });

  it('reads what JSON.parse reads, integers beyond 2^53 aside', () => {
    fc.assert(
      fc.property(fc.json(), fc.bigInt(), (json, big) => {
        const text = `{"type":"x","value":${json},"big":${big}}`;
        const { event, context } = delivered(text);

        const exact = exactNumbers(event, context);

        expect(exact.big).toBe(Number.isSafeInteger(Number(big)) ? Number(big) : big);
        const asNumbers = JSON.parse(
          JSON.stringify(exact, (_key, value: unknown) =>
            typeof value === 'bigint' ? Number(value) : value,
          ),
        ) as unknown;
        expect(asNumbers).toEqual(JSON.parse(JSON.stringify(event)));
      }),
    );
  });

  it('keeps the last of repeated keys and a "__proto__" key as data, as JSON.parse does', () => {
    const { event, context } = delivered(
      `{"type":"x","t":1,"t":${NANOS},"__proto__":{"polluted":true}}`,
    );

    const exact = exactNumbers(event, context);

    expect(exact.t).toBe(BigInt(NANOS));
    expect(Object.getPrototypeOf(exact)).toBe(Object.prototype);
    expect(Object.keys(exact)).toEqual(Object.keys(event));
  });

  it('types every number as number | bigint', () => {
    const event = { type: 'x', n: 1, list: [{ m: 2 }], s: 'a' } as const satisfies StreamEvent;
    const exact = exactNumbers(event, { rawEvent: Buffer.from(JSON.stringify(event)) });

    expectTypeOf(exact.n).toEqualTypeOf<number | bigint>();
    expectTypeOf(exact.list[0]!.m).toEqualTypeOf<number | bigint>();
    expectTypeOf(exact.s).toEqualTypeOf<'a'>();
  });
});
