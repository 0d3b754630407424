/** Runs the tasks given to it one after another, in call order. */
export type OneAtATime = <T>(task: () => Promise<T>) => Promise<T>;

/** A task that fails (or throws) does not stop the ones queued behind it. */
export function oneAtATime(): OneAtATime {
  let last: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = last.then(() => task());
    last = run.catch(() => undefined);
    return run;
  };
}
