import { patternMatches } from './patterns.js';

/** The families in the order the catalog lists them; `chat` takes every type no rule claims. */
export const PRODUCT_FAMILIES = ['chat', 'video', 'feeds', 'moderation'] as const;
export type ProductFamily = (typeof PRODUCT_FAMILIES)[number];
export const DEFAULT_FAMILY: ProductFamily = 'chat';

/**
 * The grouping rule: a type belongs to the family of the first pattern (lambda/lib/domain/patterns.ts
 * syntax) that matches it, else to `chat` (message, channel, reaction, member, user, thread,
 * notification, reminder, campaign, channel_batch_update, user_group, export.channels/users,
 * ...). The catalog generator and the runtime metrics share it, so a type the SDK does not
 * declare yet (a new `call.*`) is counted under the family the catalog will list it in.
 * test/lambda/lib/domain/product-family.test.ts checks it against what the SDKs' types say.
 */
export const FAMILY_RULES: readonly (readonly [pattern: string, family: ProductFamily])[] = [
  ['call.*', 'video'],
  ['ingress.*', 'video'],
  // A call's custom event (the SDK's CustomVideoEvent); chat's custom events keep the type
  // their sender chose, so they never arrive as `custom`.
  ['custom', 'video'],
  ['feeds.*', 'feeds'],
  ['moderation.*', 'moderation'],
  ['moderation_check.*', 'moderation'],
  ['moderation_rule.*', 'moderation'],
  ['review_queue_item.*', 'moderation'],
  ['appeal.*', 'moderation'],
  ['flag.*', 'moderation'],
  ['export.bulk_image_moderation.*', 'moderation'],
  ['export.moderation_logs.*', 'moderation'],
  ['export.review_queue.*', 'moderation'],
  ['user.flagged', 'moderation'],
  ['message.flagged', 'moderation'],
];

export function familyOf(type: string): ProductFamily {
  return FAMILY_RULES.find(([pattern]) => patternMatches(pattern, type))?.[1] ?? DEFAULT_FAMILY;
}
