/**
 * The soak (`npm run soak`) at a size CI runs in seconds: signed events through the dev
 * pipeline's real webhook, a share re-delivered with the same webhook id and a share gzipped.
 * The same run with the claims switched off must report events handled twice, or the soak's
 * "0 handled twice" would prove nothing.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../../scripts/soak/run-soak.js';

const SMALL = { count: 300, duplicateShare: 0.2, gzipShare: 0.3, settleTimeoutMs: 30_000 };

describe('soak', () => {
  it('loses nothing and handles nothing twice', async () => {
    const report = await runSoak(SMALL);

    expect(report).toMatchObject({
      sent: 300,
      deliveries: 360,
      duplicateDeliveries: 60,
      gzipped: 90,
      rejected: 0,
      handled: 300,
      lost: 0,
      handledTwice: 0,
      deadLettered: 0,
      settled: true,
    });
    // Every accepted delivery became one queue message, and each was either run or skipped.
    expect(report.duplicatesSkipped).toBe(report.deliveries - report.handled);
  });

  it('reports every re-delivered event as handled twice when the claims are off', async () => {
    const report = await runSoak({ ...SMALL, dedupe: false });

    expect(report).toMatchObject({ lost: 0, handledTwice: 60, duplicatesSkipped: 0 });
  });
});
