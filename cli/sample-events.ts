import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The sample events shipped in events/, one `<type>.json` each. */
export const SAMPLE_EVENTS_DIR = fileURLToPath(new URL('../events/', import.meta.url));

export interface EventToSend {
  /** The event's `type`, or null when the file holds no JSON object with one. */
  readonly type: string | null;
  /** The exact bytes to sign and send. */
  readonly bytes: Buffer;
  /** Where they came from, for the user: `sample message.new` or the file's path. */
  readonly source: string;
}

export class EventNotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventNotFound';
  }
}

/** A path when it looks like one; otherwise the name of a sample event type. */
export function isPath(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || spec.endsWith('.json');
}

export async function sampleEventTypes(dir = SAMPLE_EVENTS_DIR): Promise<string[]> {
  const files = await readdir(dir);
  return files
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

function typeOf(bytes: Buffer): string | null {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    const type = (value as { type?: unknown } | null)?.type;
    return typeof type === 'string' ? type : null;
  } catch {
    return null;
  }
}

/**
 * A sample event with `created_at` set to `now`, serialized compactly as Stream sends it; or a
 * user's file, sent byte for byte (so odd encodings and formatting can be tried as they are).
 */
export async function loadEvent(
  spec: string,
  options: { readonly dir?: string; readonly now?: Date } = {},
): Promise<EventToSend> {
  if (isPath(spec)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(spec);
    } catch (error) {
      throw new EventNotFound(`cannot read ${spec}: ${(error as Error).message}`);
    }
    return { type: typeOf(bytes), bytes, source: spec };
  }
  const dir = options.dir ?? SAMPLE_EVENTS_DIR;
  const types = await sampleEventTypes(dir);
  if (!types.includes(spec)) {
    throw new EventNotFound(`no sample event "${spec}"; samples: ${types.join(', ')}`);
  }
  const sample = JSON.parse(await readFile(join(dir, `${spec}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
  const event = { ...sample, created_at: (options.now ?? new Date()).toISOString() };
  return {
    type: spec,
    bytes: Buffer.from(JSON.stringify(event), 'utf8'),
    source: `sample ${spec}`,
  };
}
