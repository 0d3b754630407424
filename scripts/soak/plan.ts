/** What the soak sends, decided up front from a seed so a run can be repeated exactly. */
export interface SoakEvent {
  readonly index: number;
  readonly webhookId: string;
  readonly json: Buffer;
  readonly gzip: boolean;
}

export interface PlanOptions {
  readonly count: number;
  /** Share of events delivered a second time with the same webhook id, 0-1. */
  readonly duplicateShare: number;
  /** Share of events sent gzipped (Content-Encoding: gzip), 0-1. */
  readonly gzipShare: number;
  readonly seed: number;
}

export interface SoakPlan {
  readonly events: readonly SoakEvent[];
  /** Deliveries in sending order: every event once, the duplicated ones again later. */
  readonly deliveries: readonly SoakEvent[];
  readonly duplicated: number;
  readonly gzipped: number;
}

/** mulberry32: a small seeded PRNG; Math.random cannot be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `share` of `count` indexes, exactly (rounded), chosen at random. */
function pick(count: number, share: number, next: () => number): Set<number> {
  const indexes = [...Array(count).keys()];
  for (let i = indexes.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [indexes[i], indexes[j]] = [indexes[j]!, indexes[i]!];
  }
  return new Set(indexes.slice(0, Math.round(count * share)));
}

export function planSoak(options: PlanOptions): SoakPlan {
  const next = random(options.seed);
  const duplicated = pick(options.count, options.duplicateShare, next);
  const gzipped = pick(options.count, options.gzipShare, next);
  const runId = `${options.seed.toString(36)}-${Date.now().toString(36)}`;
  const events: SoakEvent[] = [...Array(options.count).keys()].map((index) => ({
    index,
    webhookId: `soak-${runId}-${index}`,
    // A message.new as Stream sends it, trimmed; distinct bytes per event.
    json: Buffer.from(
      JSON.stringify({
        type: 'message.new',
        cid: 'messaging:soak',
        channel_id: 'soak',
        channel_type: 'messaging',
        message: { id: `soak-${runId}-${index}`, text: `soak event ${index}`, type: 'regular' },
        user: { id: 'soak-user' },
        created_at: new Date().toISOString(),
      }),
    ),
    gzip: gzipped.has(index),
  }));
  // A re-delivery lands at a random later point, as Stream's retry of a timed-out attempt may:
  // sometimes right behind the first copy (the same batch), sometimes far after it.
  const deliveries: SoakEvent[] = [...events];
  for (const event of events) {
    if (!duplicated.has(event.index)) continue;
    const first = deliveries.indexOf(event);
    const at = first + 1 + Math.floor(next() * (deliveries.length - first));
    deliveries.splice(at, 0, event);
  }
  return { events, deliveries, duplicated: duplicated.size, gzipped: gzipped.size };
}
