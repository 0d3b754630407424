import { UsageError, parseOptions } from '../../cli/command.js';

export interface CostArgs {
  readonly eventsPerMonth: number;
  readonly eventKb?: number;
  readonly batchSize?: number;
  readonly verifierMs?: number;
  readonly consumerMs?: number;
  readonly json: boolean;
}

/**
 * The largest event every path carries as one message: its base64 fits SNS's 256 KiB. Larger
 * events take the large-event path (a stored body), which the model does not price.
 */
export const MAX_EVENT_KB = 192;

const SUFFIXES: Readonly<Record<string, number>> = { k: 1e3, m: 1e6, b: 1e9 };

/** `1000000`, `1e6`, `1M`, `100M`, `1B`, `2.5k` (also with `_` or `,` between digits). */
export function parseEventCount(text: string): number {
  const match = /^(\d+(?:\.\d+)?(?:e\d+)?)([kmb]?)$/i.exec(
    text.trim().replace(/(?<=\d)[_,](?=\d)/g, ''),
  );
  const value = match ? Number(match[1]) * (SUFFIXES[(match[2] ?? '').toLowerCase()] ?? 1) : NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(
      `--events-per-month must be a whole number of events, at least 1 (e.g. 1000000, 1e6, 1M, 100M, 1B), got "${text}"`,
    );
  }
  return value;
}

export function parseCostArgs(argv: readonly string[]): CostArgs {
  const values = parseOptions(argv, {
    'events-per-month': { type: 'string' },
    'event-kb': { type: 'string' },
    'batch-size': { type: 'string' },
    'verifier-ms': { type: 'string' },
    'consumer-ms': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const events = values['events-per-month'];
  if (events === undefined)
    throw new UsageError('--events-per-month is required (e.g. --events-per-month 100M)');
  return {
    eventsPerMonth: parseEventCount(events),
    eventKb: optionalNumber('event-kb', values['event-kb'], {
      min: 0,
      max: MAX_EVENT_KB,
      exclusiveMin: true,
    }),
    batchSize: optionalNumber('batch-size', values['batch-size'], {
      min: 1,
      max: 10_000,
      integer: true,
    }),
    verifierMs: optionalNumber('verifier-ms', values['verifier-ms'], { min: 1, max: 900_000 }),
    consumerMs: optionalNumber('consumer-ms', values['consumer-ms'], { min: 1, max: 900_000 }),
    json: values.json ?? false,
  };
}

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly exclusiveMin?: boolean;
  readonly integer?: boolean;
}

function optionalNumber(
  name: string,
  text: string | undefined,
  bounds: Bounds,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const low = bounds.exclusiveMin ? value > bounds.min : value >= bounds.min;
  const ok = text.trim() !== '' && Number.isFinite(value) && low && value <= bounds.max;
  if (!ok || (bounds.integer && !Number.isInteger(value))) {
    const range = `${bounds.exclusiveMin ? 'above' : 'from'} ${bounds.min} to ${bounds.max}`;
    throw new UsageError(
      `--${name} must be ${bounds.integer ? 'a whole number' : 'a number'} ${range}, got "${text}"`,
    );
  }
  return value;
}
