import { randomUUID } from 'node:crypto';
import { signedRequest } from '../lambda/lib/domain/stream-request-signer.js';

export const KIB = 1024;

/** The sizes issue 7 asks for: a chat message, a typical one, a big one, and one past 256 KiB. */
export const EVENT_SIZES = [1 * KIB, 4 * KIB, 64 * KIB, 512 * KIB] as const;

export const BENCH_API_KEY = 'bench-api-key';
export const BENCH_API_SECRET = 'bench-api-secret';

const WORDS = [
  'stream',
  'channel',
  'message',
  'reply',
  'thread',
  'reaction',
  'member',
  'moderation',
  'call',
  'session',
  'video',
  'feed',
  'activity',
  'hello',
  'world',
  'ship',
  'today',
  'review',
  'please',
  'thanks',
  'meeting',
  'update',
  'the',
  'a',
  'to',
  'and',
  'of',
  'in',
  'is',
  'it',
  '42',
  '2026',
];

/**
 * Text that gzips about as well as chat text does (about 3:1); a run of one letter would make
 * every gzip figure meaningless. Deterministic, so every run measures the same bytes.
 */
function filler(length: number): string {
  let seed = 7;
  const parts: string[] = [];
  let size = 0;
  while (size < length) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    const word = WORDS[seed % WORDS.length] as string;
    parts.push(word);
    size += word.length + 1;
  }
  return parts.join(' ').slice(0, length);
}

/** A `message.new` as Stream sends it (compact JSON) whose text makes it exactly `size` bytes. */
export function messageNewOfSize(size: number, id: string = randomUUID()): Buffer {
  const at = '2026-11-23T12:00:00.000000Z';
  const user = { id: 'bench-user', role: 'user', name: 'Bench User' };
  const event = {
    type: 'message.new',
    cid: 'messaging:general',
    channel_id: 'general',
    channel_type: 'messaging',
    message_id: id,
    message: { id, cid: 'messaging:general', type: 'regular', text: '', user, created_at: at },
    user,
    created_at: at,
  };
  const room = size - Buffer.byteLength(JSON.stringify(event));
  if (room < 0) throw new RangeError(`a message.new event cannot be as small as ${size} bytes`);
  event.message.text = filler(room);
  return Buffer.from(JSON.stringify(event));
}

export interface SignedBody {
  readonly body: Buffer;
  /** Lower-case names, as API Gateway hands them to the verifier. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Signed as `npm run send` signs (as Stream does: over the uncompressed JSON). */
export function signedBody(json: Buffer, gzip: boolean, webhookId: string): SignedBody {
  const { body, headers } = signedRequest(json, {
    apiKey: BENCH_API_KEY,
    secret: BENCH_API_SECRET,
    gzip,
    webhookId,
  });
  return {
    body,
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
    ),
  };
}

/** `1 KB`, `512 KB`: how the tables name a size. */
export function sizeLabel(bytes: number): string {
  return bytes >= KIB ? `${Math.round(bytes / KIB)} KB` : `${bytes} B`;
}
