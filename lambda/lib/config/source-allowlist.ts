import { ALLOWED_SOURCE_CIDRS } from '../../../contract/env/common.js';
import { ConfigError } from '../../../contract/env/parse.js';
import { parseCidr, sourceIpAllowlist, type SourceAllowed } from '../domain/source-ip.js';

/**
 * The allowlist's entries (contract/env/common.ts reads them from `ALLOWED_SOURCE_CIDRS`) as the
 * matcher the HTTP functions check each caller with; undefined, no check, when there are none.
 */
export function sourceAllowlistFrom(cidrs: readonly string[] | null): SourceAllowed | undefined {
  if (cidrs === null) return undefined;
  try {
    return sourceIpAllowlist(cidrs.map(parseCidr));
  } catch (error) {
    throw new ConfigError(
      `environment variable ${ALLOWED_SOURCE_CIDRS}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
