// Lines to the system log. Node cannot write to /dev/log (a datagram socket) itself, so a `logger(1)` process
// reads our lines on a pipe, each with its `<PRI>` prefix (facility and severity, RFC 3164 §4.1.1), and sends them
// on. Workers started by tsshd share the listener's pipe as their stderr (TSSHD_SYSLOG_PIPE tells them so) and name
// themselves in each line (see LOG_TO_ENV in log.ts); a worker started by inetd opens its own.
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

/** Another socket than /dev/log (a syslog daemon elsewhere, or a test's own receiver). */
export const SYSLOG_SOCKET_ENV = 'TSSH_SYSLOG_SOCKET';

const FACILITIES: Readonly<Record<string, number>> = Object.freeze({
  KERN: 0,
  USER: 1,
  MAIL: 2,
  DAEMON: 3,
  AUTH: 4,
  SYSLOG: 5,
  AUTHPRIV: 10,
  LOCAL0: 16,
  LOCAL1: 17,
  LOCAL2: 18,
  LOCAL3: 19,
  LOCAL4: 20,
  LOCAL5: 21,
  LOCAL6: 22,
  LOCAL7: 23,
});

/** syslog(3) severities. */
export type SyslogSeverity = 'crit' | 'err' | 'warning' | 'info' | 'debug';
const SEVERITIES: Readonly<Record<SyslogSeverity, number>> = Object.freeze({ crit: 2, err: 3, warning: 4, info: 6, debug: 7 });

/** `<PRI>` for a facility name (as SyslogFacility spells it) and a severity; unknown facilities are AUTH. */
export function syslogPrefix(facility: string, severity: SyslogSeverity): string {
  return `<${(FACILITIES[facility.toUpperCase()] ?? FACILITIES.AUTH) * 8 + SEVERITIES[severity]}>`;
}

export interface SyslogPipe {
  stream: Writable;
  /** Handed to children as their stderr. */
  stdio: Writable;
  close(): void;
}

/** Starts `logger` for `tag[pid]`; lines written to the stream must start with their `<PRI>`. */
export function openSyslog(tag: string, env: NodeJS.ProcessEnv = process.env): SyslogPipe {
  const socket = env[SYSLOG_SOCKET_ENV];
  const args = ['--prio-prefix', '-t', tag, `--id=${process.pid}`, ...(socket ? ['-u', socket] : [])];
  // Detached: a ^C on the terminal of `tsshd -D` must not take the logger before our last line.
  const child = spawn('logger', args, { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  child.on('error', () => {}); // no logger(1): the lines are lost, as syslog(3) loses them without a daemon
  child.unref();
  const stdin = child.stdin!;
  stdin.on('error', () => {});
  (stdin as unknown as { unref?: () => void }).unref?.();
  return { stream: stdin, stdio: stdin, close: () => stdin.end() };
}
