/**
 * CPU time this test process spent in a synchronous call, in milliseconds.
 *
 * The time bounds in unit tests guard against super-linear work (a regex that backtracks, a
 * quadratic loop over a hostile page); speed targets live in `npm run bench`. Wall-clock time
 * grows with every other process on a loaded two-core machine, this process's own CPU time does
 * not: vitest runs each test file in its own forked worker (the default `forks` pool), so
 * `process.cpuUsage()` counts only the work under test (plus its garbage collection).
 */
export function cpuMs(fn: () => unknown): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** The same for asynchronous work (fake-indexeddb): the process's CPU time until it settles. */
export async function cpuMsAsync<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(start);
  return { value, ms: (used.user + used.system) / 1000 };
}
