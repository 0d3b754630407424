/** The few parts of `dynalite` (no types of its own) the dev pipeline and the tests use. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** How long a table stays CREATING, DELETING or UPDATING. @default 500 */
    readonly createTableMs?: number;
    readonly deleteTableMs?: number;
    readonly updateTableMs?: number;
    /** A LevelDB directory; in memory when left out. */
    readonly path?: string;
  }

  export default function dynalite(options?: DynaliteOptions): Server;
}
