import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lambda/lib/config.js';
import { InvalidPattern } from '../../../lambda/lib/patterns.js';
import { parseRoutes } from '../../../lambda/lib/routing-table.js';

const route = (overrides: Record<string, unknown> = {}) => ({
  group: 'messages',
  patterns: ['message.*'],
  queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/messages',
  fifo: false,
  ...overrides,
});

describe('parseRoutes (the verifier’s ROUTES)', () => {
  it('reads each group with its patterns, queue and FIFO flag, in order', () => {
    // Arrange
    const table = [route(), route({ group: 'calls', patterns: ['call.*'], fifo: true })];

    // Act
    const routes = parseRoutes(JSON.stringify(table));

    // Assert
    expect(routes).toEqual(table);
  });

  it('drops fields it does not know', () => {
    expect(parseRoutes(JSON.stringify([route({ extra: 1 })]))).toEqual([route()]);
  });

  it.each([
    ['an empty queueUrl', [route({ queueUrl: '' })], 'ROUTES[0]'],
    ['fifo as a string', [route({ fifo: 'true' })], 'ROUTES[0]'],
    ['no patterns', [route({ patterns: [] })], 'ROUTES[0]'],
    ['a group named twice', [route(), route()], 'ROUTES names group "messages" twice'],
    ['a bad group name', [route({ group: 'Messages' })], 'consumer group name "Messages"'],
  ])('refuses %s', (_what, table, message) => {
    expect(() => parseRoutes(JSON.stringify(table))).toThrow(ConfigError);
    expect(() => parseRoutes(JSON.stringify(table))).toThrow(message);
  });

  it('refuses a malformed pattern', () => {
    expect(() => parseRoutes(JSON.stringify([route({ patterns: ['message*'] })]))).toThrow(
      InvalidPattern,
    );
  });
});
