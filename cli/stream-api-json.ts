/**
 * JSON that survives a round trip through the CLI unchanged. Stream answers `GET /api/v2/app`
 * with hook timestamps as integer nanoseconds (`1714566896123456789`), beyond the 2^53 that a
 * JavaScript number holds exactly, and the settings may carry fields of any shape we do not know.
 * `JSON.parse` would round such numbers (and Node 20 has no `JSON.parse` source access), so this
 * parser keeps every number whose text a `number` does not reproduce as a `LosslessNumber` holding
 * its original text, and `stringifyJson` writes it back verbatim. Key order is kept as parsed
 * (JavaScript objects list integer-like keys first; Stream's hook fields are all named).
 */

/** A JSON number kept as its source text because a `number` would not reproduce it. */
export class LosslessNumber {
  constructor(readonly raw: string) {}

  /** Approximate: for display only, never for writing back. */
  toJSON(): number {
    return Number(this.raw);
  }

  toString(): string {
    return this.raw;
  }
}

export type Json = null | boolean | number | string | LosslessNumber | JsonArray | JsonObject;
export type JsonArray = readonly Json[];
export interface JsonObject {
  readonly [key: string]: Json;
}

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof LosslessNumber)
  );
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** Parses JSON text like `JSON.parse`, keeping numbers a `number` cannot reproduce exactly. */
export function parseJson(text: string): Json {
  let at = 0;

  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${at} of the JSON text`);
  };
  const skipWhitespace = (): void => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const expect = (char: string): void => {
    skipWhitespace();
    if (text[at] !== char) fail(`expected '${char}'`);
    at += 1;
  };

  const parseString = (): string => {
    const start = at;
    at += 1; // the opening quote
    for (;;) {
      const char = text[at];
      if (char === undefined) fail('unterminated string');
      if (char === '"') break;
      at += char === '\\' ? 2 : 1;
    }
    at += 1;
    try {
      // The standard parser decodes the escapes and rejects control characters.
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      at = start;
      return fail('invalid string');
    }
  };

  const parseValue = (): Json => {
    skipWhitespace();
    const char = text[at];
    if (char === '{') {
      at += 1;
      const object: Record<string, Json> = {};
      skipWhitespace();
      if (text[at] === '}') {
        at += 1;
        return object;
      }
      for (;;) {
        skipWhitespace();
        if (text[at] !== '"') fail('expected a key');
        const key = parseString();
        expect(':');
        // defineProperty: a key named __proto__ is data, as JSON.parse makes it.
        Object.defineProperty(object, key, {
          value: parseValue(),
          enumerable: true,
          writable: true,
          configurable: true,
        });
        skipWhitespace();
        if (text[at] === ',') {
          at += 1;
          continue;
        }
        expect('}');
        return object;
      }
    }
    if (char === '[') {
      at += 1;
      const array: Json[] = [];
      skipWhitespace();
      if (text[at] === ']') {
        at += 1;
        return array;
      }
      for (;;) {
        array.push(parseValue());
        skipWhitespace();
        if (text[at] === ',') {
          at += 1;
          continue;
        }
        expect(']');
        return array;
      }
    }
    if (char === '"') return parseString();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (match === null) return fail('unexpected character');
    at = NUMBER.lastIndex;
    const raw = match[0];
    const value = Number(raw);
    return String(value) === raw ? value : new LosslessNumber(raw);
  };

  const value = parseValue();
  skipWhitespace();
  if (at !== text.length) fail('unexpected text after the JSON value');
  return value;
}

/**
 * Writes JSON like `JSON.stringify(value, null, indent)`, with each `LosslessNumber` as its
 * original text.
 */
export function stringifyJson(value: Json, indent = 0): string {
  const pad = ' '.repeat(indent);
  const write = (item: Json, depth: string): string => {
    if (item === null) return 'null';
    if (item instanceof LosslessNumber) return item.raw;
    if (typeof item === 'number') return Number.isFinite(item) ? String(item) : 'null';
    if (typeof item !== 'object') return JSON.stringify(item);
    const inner = depth + pad;
    const open = indent > 0 ? `\n${inner}` : '';
    const close = indent > 0 ? `\n${depth}` : '';
    const separator = indent > 0 ? `,\n${inner}` : ',';
    if (Array.isArray(item)) {
      if (item.length === 0) return '[]';
      return `[${open}${item.map((element: Json) => write(element, inner)).join(separator)}${close}]`;
    }
    const entries = Object.entries(item as JsonObject).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const colon = indent > 0 ? ': ' : ':';
    const body = entries
      .map(([key, v]) => `${JSON.stringify(key)}${colon}${write(v, inner)}`)
      .join(separator);
    return `{${open}${body}${close}}`;
  };
  return write(value, '');
}

/** True when the two values serialise identically (same keys in the same order, same numbers). */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return stringifyJson(a) === stringifyJson(b);
}
