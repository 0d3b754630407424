/**
 * The memory every function gets unless its props say otherwise. Kept apart from
 * lib/node-function.ts (which loads aws-cdk-lib) so bench/ can report against it cheaply.
 */
export const DEFAULT_FUNCTION_MEMORY_MB = 256;
