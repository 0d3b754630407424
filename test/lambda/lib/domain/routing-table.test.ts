import { describe, expect, it } from 'vitest';
import { routesFor } from '../../../../lambda/lib/domain/routing-table.js';
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
