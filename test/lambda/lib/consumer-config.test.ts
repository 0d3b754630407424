import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lambda/lib/config.js';
import { loadConsumerConfig } from '../../../lambda/lib/consumer-config.js';
import { DEFAULT_MAX_INFLATED_BYTES } from '../../../lambda/lib/gzip.js';

describe('loadConsumerConfig', () => {
  it('defaults to the single group "all" and the 16 MiB inflation cap', () => {
    expect(loadConsumerConfig({})).toEqual({
      group: 'all',
      maxInflatedBytes: DEFAULT_MAX_INFLATED_BYTES,
    });
  });

  it('reads the group and the cap', () => {
    expect(loadConsumerConfig({ CONSUMER_GROUP: 'chat', MAX_INFLATED_BYTES: '1024' })).toEqual({
      group: 'chat',
      maxInflatedBytes: 1024,
    });
  });

  it('treats an empty group as the default', () => {
    expect(loadConsumerConfig({ CONSUMER_GROUP: '' }).group).toBe('all');
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => loadConsumerConfig({ MAX_INFLATED_BYTES: '-5' })).toThrow(ConfigError);
  });
});
