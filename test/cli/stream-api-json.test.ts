import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonEqual, LosslessNumber, parseJson, stringifyJson } from '../../cli/stream-api-json.js';

describe('parseJson / stringifyJson', () => {
  it('keeps integers beyond 2^53 exactly, where JSON.parse rounds them', () => {
    const text = '{"created_at":1714566896123456789}';

    expect(JSON.stringify(JSON.parse(text))).toBe('{"created_at":1714566896123456800}');
    expect(parseJson(text)).toEqual({ created_at: new LosslessNumber('1714566896123456789') });
    expect(stringifyJson(parseJson(text))).toBe(text);
  });

  it.each(['1.50', '1e5', '1E+2', '-0', '0.1000', '123456789012345678901234567890'])(
    'writes the number %s back as it came',
    (number) => {
      expect(stringifyJson(parseJson(`[${number}]`))).toBe(`[${number}]`);
    },
  );

  it('keeps plain numbers as numbers', () => {
    expect(parseJson('[1,-2.5,1e+21,0]')).toEqual([1, -2.5, 1e21, 0]);
  });

  it('keeps key order, escapes and a key named __proto__ as data', () => {
    const text = '{"z":1,"a":"\\u00e9\\n\\"","__proto__":{"x":true},"m":[null,false,{}]}';

    const value = parseJson(text);

    expect(stringifyJson(value)).toBe(JSON.stringify(JSON.parse(text)));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value as object)).toEqual(['z', 'a', '__proto__', 'm']);
  });

  it('reads and writes what JSON.parse and JSON.stringify do', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(stringifyJson(parseJson(text))).toBe(JSON.stringify(JSON.parse(text)));
        expect(stringifyJson(parseJson(text), 2)).toBe(JSON.stringify(JSON.parse(text), null, 2));
      }),
    );
  });

  it.each(['', '{', '{"a":1,}', '[1 2]', '01', '"\u0001"', 'nul', '{"a":1} x', "{'a':1}", '"\\x"'])(
    'rejects %j',
    (text) => {
      expect(() => parseJson(text)).toThrow(SyntaxError);
    },
  );

  it('compares values by their serialisation', () => {
    expect(jsonEqual(parseJson('[1.50]'), parseJson('[1.50]'))).toBe(true);
    expect(jsonEqual(parseJson('[1.50]'), parseJson('[1.5]'))).toBe(false);
    expect(jsonEqual(undefined, undefined)).toBe(true);
    expect(jsonEqual(undefined, null)).toBe(false);
  });
});
