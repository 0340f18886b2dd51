// CPU time from Linux's /proc, for benches that count more than this thread's own (other threads,
// worker processes, database servers).

import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) recorded in a /proc stat file (/proc/PID/stat, /proc/self/task/TID/stat); NaN when unreadable. */
export function statCpuSec(path: string): number {
  try {
    const f = readFileSync(path, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}
