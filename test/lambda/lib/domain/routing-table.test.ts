import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../lambda/lib/config/env.js';
import { InvalidPattern } from '../../../../contract/patterns.js';
import { parseRoutes, routesFor } from '../../../../lambda/lib/domain/routing-table.js';

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
    ['a pattern that is not a string', [route({ patterns: ['*', 5] })], 'ROUTES[0]'],
    ['patterns that are not a list', [route({ patterns: 'message.*' })], 'ROUTES[0]'],
    ['no group', [route({ group: undefined })], 'ROUTES[0]'],
    ['a numeric queueUrl', [route({ queueUrl: 7 })], 'ROUTES[0]'],
    ['a null entry', [null], 'ROUTES[0]'],
    ['a string entry', ['messages'], 'ROUTES[0]'],
    ['a bad second entry', [route(), route({ group: 'calls', fifo: 1 })], 'ROUTES[1]'],
    ['not JSON', '[{', 'ROUTES is not JSON'],
    ['an empty array', [], 'ROUTES must be a non-empty JSON array of consumer groups'],
    ['an object', {}, 'ROUTES must be a non-empty JSON array of consumer groups'],
  ])('refuses %s', (_what, table, message) => {
    const json = typeof table === 'string' ? table : JSON.stringify(table);
    expect(() => parseRoutes(json)).toThrow(ConfigError);
    expect(() => parseRoutes(json)).toThrow(message);
  });

  it('spells out the shape it expects', () => {
    expect(() => parseRoutes(JSON.stringify([route({ fifo: 'no' })]))).toThrow(
      'ROUTES[0] must be {group, patterns: string[], queueUrl, fifo: boolean}',
    );
  });

  it('refuses a malformed pattern', () => {
    expect(() => parseRoutes(JSON.stringify([route({ patterns: ['message*'] })]))).toThrow(
      InvalidPattern,
    );
  });
});

describe('routesFor', () => {
  const routes = [
    { group: 'all', patterns: ['*'] },
    { group: 'messages', patterns: ['reaction.new', 'message.*'] },
    { group: 'calls', patterns: ['call.*'] },
  ];

  it('gives every group whose patterns take the type, in table order', () => {
    expect(routesFor('message.new', routes).map((r) => r.group)).toEqual(['all', 'messages']);
    expect(routesFor('reaction.new', routes).map((r) => r.group)).toEqual(['all', 'messages']);
  });

  it('gives no group when none takes the type', () => {
    expect(routesFor('user.updated', routes.slice(1))).toEqual([]);
  });
});
