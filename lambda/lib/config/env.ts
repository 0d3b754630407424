import { parseCidrList, sourceIpAllowlist, type SourceAllowed } from '../domain/source-ip.js';

/** The env var the stack writes the source-IP allowlist into (lib/webhook-ingress.ts, lib/sync-hooks.ts). */
export const ALLOWED_SOURCE_CIDRS = 'ALLOWED_SOURCE_CIDRS';

/** Thrown at cold start when the function's environment is wrong: a deploy mistake, not a request's. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

export function requiredString(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`environment variable ${name} is not set`);
  return value;
}

export function positiveInteger(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(`environment variable ${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

/**
 * `ALLOWED_SOURCE_CIDRS` (comma-separated CIDRs, written by the stack): the source-IP allowlist,
 * or undefined (no check) when unset or empty.
 */
export function optionalSourceAllowlist(env: Env): SourceAllowed | undefined {
  const raw = env[ALLOWED_SOURCE_CIDRS];
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return sourceIpAllowlist(parseCidrList(raw));
  } catch (error) {
    throw new ConfigError(
      `environment variable ${ALLOWED_SOURCE_CIDRS}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
