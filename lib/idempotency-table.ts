import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** The key attribute Powertools idempotency writes by default: `group#key`. */
export const IDEMPOTENCY_KEY_ATTRIBUTE = 'id';
/** The TTL attribute Powertools idempotency writes by default (epoch seconds). */
export const IDEMPOTENCY_TTL_ATTRIBUTE = 'expiration';

/**
 * What a consumer does on the table: Powertools idempotency claims with a conditional PutItem,
 * reads a claim with GetItem, marks it done with UpdateItem and releases it with DeleteItem when
 * the handler fails. No Query, Scan or batch operations.
 */
export const IDEMPOTENCY_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

/**
 * The claims that give each consumer group exactly-once effects: one item per group and event
 * (`<group>#<hash>` of the SHA-256 of its bytes), shared by all groups, and one per pending-message
 * callback the hook function ran (`hook:pending-messages#<hash>`), expiring after the dedupe window.
 */
export class IdempotencyTable extends Construct {
  /** The DynamoDB table. */
  public readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: IDEMPOTENCY_KEY_ATTRIBUTE, type: AttributeType.STRING },
      // On demand: the load follows the event rate, which is bursty and unknown up front.
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: IDEMPOTENCY_TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS-owned key (SSE is always on): the items are keys (hashes), a status and
      // expiry times, never event payloads, so a customer-managed key would add cost, not safety.
      encryption: TableEncryption.DEFAULT,
      // DESTROY, unlike DynamoDB's usual RETAIN: the table holds only short-lived claims (gone
      // after the dedupe window) that mean nothing once the stack and its queues are deleted, so
      // keeping it would only leave an orphan to find and delete by hand. It also matches the
      // queues, which `cdk destroy` deletes. (Construct id and key never change: a replacement
      // would forget the claims in flight and let a duplicate through once.)
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }
}
