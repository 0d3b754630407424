/** The `msg` of the lines bench/verifier-server.ts prints, which bench/memory.ts waits for. */
export const VERIFIER_READY = 'bench verifier ready';
export const VERIFIER_STOPPED = 'bench verifier stopped';
