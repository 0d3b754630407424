import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { IdempotencyTable } from '../../lib/idempotency-table.js';

describe('IdempotencyTable', () => {
  const stack = new Stack(new App(), 'Test');
  const { table } = new IdempotencyTable(stack, 'Idempotency');
  const template = Template.fromStack(stack);

  it('is keyed by the string id Powertools writes, expiring on its expiration attribute', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
    });
  });

  it('is on demand, with point-in-time recovery, deleted with the stack', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        ProvisionedThroughput: Match.absent(),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
      DeletionPolicy: 'Delete',
    });
  });

  it('exposes the table', () => {
    expect(stack.resolve(table.tableName)).toEqual({
      Ref: expect.stringMatching(/^IdempotencyTable/),
    });
  });
});
