/**
 * CPU time of one browser's processes, from Linux's /proc (the page-load bench's second measure).
 *
 * On a 2-core machine shared with other work, side-by-side load times scatter widely (p25–p75 of
 * one page 180–400 ms at load average 8); the CPU time the browser's processes spend on a load
 * does not depend on how long they waited for a core, so it attributes a cost where the wall clock
 * cannot. A browser's processes are those whose command line names its profile directory
 * (`--user-data-dir=`: the browser, renderers, the extension's worker, utility processes).
 * Resolution: one clock tick (10 ms at CLK_TCK 100) per process and snapshot.
 */
import { readFileSync, readdirSync } from 'node:fs';

const TICK_MS = 1000 / 100; // sysconf(_SC_CLK_TCK) is 100 on Linux (USER_HZ)

/** pid → user + system CPU ms of every live process of the browser using `userDataDir`. */
export function browserCpu(userDataDir: string): Map<number, number> {
  const out = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out; // not Linux: no figure
  }
  const marker = `--user-data-dir=${userDataDir}`;
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces): utime and stime are 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(pid), (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** CPU ms spent between two snapshots by the processes alive at the second (new ones count whole). */
export function cpuBetween(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += ms - (before.get(pid) ?? 0);
  return sum;
}
