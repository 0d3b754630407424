import { describe, expect, it } from 'vitest';
import { PRICE_NAMES, loadPriceBook, parsePriceBook } from '../../../scripts/cost/prices.js';
import { stackSettings } from '../../../scripts/cost/stack-settings.js';

describe('scripts/cost/aws-prices.json', () => {
  const book = loadPriceBook();

  it('gives every price its unit, an AWS source and the day it was checked', () => {
    expect(book.region).toBe('us-east-1');
    expect(book.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const name of PRICE_NAMES) {
      const price = book.prices[name];
      expect(price.unit, name).not.toBe('');
      expect(price.source, name).toMatch(/^https:\/\/aws\.amazon\.com\//);
    }
  });

  it('carries the chunk sizes the model meters payloads by', () => {
    expect(book.prices.sqsStandardRequests.chunkKb).toBe(64);
    expect(book.prices.snsPublishRequests.chunkKb).toBe(64);
    expect(book.prices.apiGatewayHttpRequests.meteredKb).toBe(512);
  });

  it('rejects a book with a price missing or an open-ended tier list', () => {
    const { lambdaRequests, ...rest } = book.prices;
    expect(() => parsePriceBook({ ...book, prices: rest })).toThrow('no price "lambdaRequests"');
    expect(() =>
      parsePriceBook({
        ...book,
        prices: {
          ...book.prices,
          lambdaRequests: { ...lambdaRequests, tiers: [{ upTo: 1e6, usd: 0.2 }] },
        },
      }),
    ).toThrow('lambdaRequests.tiers must end with an uncapped tier');
  });
});

describe('the stack settings the cost reads', () => {
  it('follow the stack: memory sizes from its functions, batch size and groups from cdk context', () => {
    const consumers = [
      { name: 'messages', events: ['message.*'], batchSize: 25 },
      { name: 'rest', events: ['*'] },
    ];

    const settings = stackSettings({ consumers });

    expect(settings).toMatchObject({
      verifierMemoryMb: 256,
      consumerMemoryMb: 256,
      batchSize: 25,
      groups: 2,
      fifo: false,
    });
    expect(settings.alarms).toBeGreaterThan(0);
    expect(settings.dashboards).toBeGreaterThan(0);
  });
});
