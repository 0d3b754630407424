/**
 * Reading a function's environment: each value is text, set by the stack (or unset), and checked
 * once at cold start. A wrong value is a deploy mistake, so it stops the function with a message
 * that names the variable.
 */

/** A function's environment: names to values, any of them unset. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown at cold start when the function's environment is wrong: a deploy mistake, not a request's. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function requiredString(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`environment variable ${name} is not set`);
  return value;
}

/** The value, or null when unset or empty (the stack writes no empty value). */
export function optionalString(env: Env, name: string): string | null {
  return env[name] || null;
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

/** A positive integer, or null (off) when unset or empty. */
export function optionalPositiveInteger(env: Env, name: string): number | null {
  // Set means a positive whole number: the fallback is never used.
  return env[name] ? positiveInteger(env, name, 1) : null;
}

/** The JSON `raw` read from `name`, or a ConfigError saying it is not JSON. */
export function parseJson(name: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name} is not JSON`);
  }
}
