import type { Context } from 'aws-lambda';

export type ClaimOutcome = 'ran' | 'duplicate';

/** Exactly-once effects for one consumer group. */
export interface Claims {
  /**
   * Claims `key` for this group, runs `work`, and marks the claim done; resolves `'duplicate'`
   * without running `work` when an earlier run completed it (within the TTL).
   * @throws ClaimInProgress when another run holds the claim and its invocation has time left.
   * @throws ClaimFailed when the claim store cannot be read or written.
   * @throws whatever `work` throws, after releasing the claim so a retry runs it again.
   */
  once(key: string, work: () => Promise<void>, context: Context): Promise<ClaimOutcome>;
}

/**
 * Runs the claims of one key one after another within this container. Two copies of an event in
 * one batch (a duplicate SQS delivery, SNS and SQS both) would otherwise race: the loser finds
 * the claim in progress and comes back only after a whole visibility timeout. Queued behind the
 * winner, it finds the claim completed and is acknowledged as a duplicate at once.
 */
export function oneAtATimePerKey(claims: Claims): Claims {
  const running = new Map<string, Promise<unknown>>();
  return {
    async once(key, work, context) {
      const before = running.get(key);
      const mine = (async () => {
        if (before !== undefined) await before.catch(() => undefined);
        return claims.once(key, work, context);
      })();
      running.set(key, mine);
      try {
        return await mine;
      } finally {
        if (running.get(key) === mine) running.delete(key);
      }
    },
  };
}
