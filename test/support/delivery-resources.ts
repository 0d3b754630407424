import type { Template } from 'aws-cdk-lib/assertions';

/**
 * The logical ids of the resources of `type` outside the alarms and dashboard (their own topic
 * and key are tested in test/lib/observability.test.ts), so a delivery path's tests count only
 * what that path creates.
 */
export function deliveryLogicalIds(template: Template, type: string): string[] {
  return Object.keys(template.findResources(type)).filter((id) => !id.startsWith('Observability'));
}
