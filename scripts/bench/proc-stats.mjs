// What the benchmarks read from /proc about processes: memory (RSS, PSS), CPU seconds, and the process tree.
import { readFileSync, readdirSync } from 'node:fs';
// ---------------------------------------------------------------- memory

/** The `NAME:  N kB` figure of a /proc file, or 0 when the process (or the line) is gone. */
function kibLine(path, name) {
  try {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync(path, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident set size in KiB of one process (VmRSS), or 0 when it is gone. */
export const rssKiB = (pid) => kibLine(`/proc/${pid}/status`, 'VmRSS');

/** Proportional set size in KiB (shared pages divided among the processes sharing them), or 0. */
export const pssKiB = (pid) => kibLine(`/proc/${pid}/smaps_rollup`, 'Pss');

// ---------------------------------------------------------------- CPU time

const TICKS_PER_SECOND = 100; // USER_HZ: /proc reports times in these on every Linux architecture we run on

/**
 * CPU seconds (user + system) of a process from /proc/PID/stat: its own, and that of its children it has waited
 * for (a child's figure includes its own waited-for children). A server's total counts every connection process
 * that has ended; this process's `children` counts every client that has ended. NaN when the process is gone.
 */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14-17 of proc(5) (utime, stime, cutime, cstime) are 11-14 here, counting from the state field.
    const [utime, stime, cutime, cstime] = [f[11], f[12], f[13], f[14]].map(Number);
    return { self: (utime + stime) / TICKS_PER_SECOND, children: (cutime + cstime) / TICKS_PER_SECOND };
  } catch {
    return { self: NaN, children: NaN };
  }
}

/** Total CPU seconds of a server so far: the listener and every connection process that has ended. */
export function serverCpuSeconds(server) {
  const t = cpuSeconds(server.pid);
  return t.self + t.children;
}

/** CPU seconds of this process's ended children (the clients and their feeders). */
export function clientCpuSeconds() {
  return cpuSeconds(process.pid).children;
}

/** Every live process id with its parent id, session id and command name, from /proc. */
export function processTable() {
  const table = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      table.push({ pid: Number(name), comm, ppid: Number(fields[1]), sid: Number(fields[3]) });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** The descendants of `pid` (children, grandchildren, ...), from a processTable(). */
export function descendants(pid, table = processTable()) {
  const out = [];
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift();
    for (const row of table) {
      if (row.ppid === p) {
        out.push(row);
        queue.push(row.pid);
      }
    }
  }
  return out;
}
